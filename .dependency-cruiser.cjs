/**
 * The dependency rules of docs/architecture.md, checked by `npm run lint:deps` (part of `npm test`
 * through test/dependencies.test.ts). Each rule names what it keeps apart.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import loop makes initialisation order fragile and two modules one in disguise.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-domain',
      severity: 'error',
      comment: 'server/platform is the floor every domain stands on; it never reaches up into a domain.',
      from: { path: '^server/platform/' },
      to: { path: '^server/', pathNot: '^server/platform/' },
    },
    {
      name: 'only-entry-points-assemble-the-app',
      severity: 'error',
      comment: 'server/app.ts wires every domain; only main.ts, the demo seed, the test harness and benchmarks may import it.',
      from: { path: '^server/[^/]+/', pathNot: ['[.]test[.]ts$', '^server/demo/'] },
      to: { path: '^server/app[.]ts$' },
    },
    {
      name: 'no-other-domains-store',
      severity: 'error',
      comment: "A domain asks another domain's service (or index.ts), never reads its tables through its store.",
      from: { path: '^server/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^server/[^/]+/store[^/]*[.]ts$', '^server/[^/]+/[^/]*-store[.]ts$'], pathNot: '^server/$1/' },
    },
    {
      name: 'web-not-server-code',
      severity: 'error',
      comment: 'The web apps import from the server only its plain data tables (problems and their catalogue) and pure rule modules the app checks early (KYC rules, PIN policy), never its code.',
      from: { path: '^web/', pathNot: '[.]test[.]ts$' },
      to: { path: '^server/', pathNot: ['/problems[.]ts$', '/problem-table[.]ts$', '^server/problem-catalogue[.]ts$', '^server/risk/text[.]ts$', '^server/kyc/rules[.]ts$', '^server/identity/pin-policy[.]ts$'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|web/dist|data|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
