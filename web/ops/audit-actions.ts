import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For the label test: the audit actions the server writes, read from its source. An action is a
 * dotted literal (`kyc.claimed`) in an `action:` property, in a `const action =` line, or passed to
 * a helper that takes an `action: string` parameter (`record(actor, 'ops.case_viewed', …)`).
 * Actions built from a template (`risk.hold_${status}`) are returned as templates, which the test
 * expands by hand, so a new template fails it until its actions are listed.
 */

const DOTTED = /['"]([a-z_]+(?:\.[a-z_]+)+)['"]/g;

function sourceFiles(dir: string, into: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, into);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) into.push(path);
  }
  return into;
}

export function serverAuditActions(serverDir: string): { actions: Set<string>; templates: Set<string> } {
  const sources = sourceFiles(serverDir).map((path) => readFileSync(path, 'utf8'));
  const actions = new Set<string>();
  const templates = new Set<string>();
  const literals = (text: string) => {
    for (const match of text.matchAll(DOTTED)) actions.add(match[1]);
  };
  const helpers = new Set<string>();
  for (const source of sources) {
    for (const match of source.matchAll(/(\w+)\s*(?:=\s*(?:async\s*)?)?\(([^()]*?)\baction: string/g))
      helpers.add(match[1]);
  }
  for (const source of sources) {
    for (const match of source.matchAll(/\baction:\s*([^\n]+)/g)) {
      literals(match[1]);
      const template = /^`([^`]*\$\{[^`]*)`/.exec(match[1]);
      if (template) templates.add(template[1]);
    }
    for (const match of source.matchAll(/\b(?:const|let)\s+action\s*=\s*([^;]+);/g)) literals(match[1]);
    for (const helper of helpers) {
      for (const match of source.matchAll(new RegExp(`\\b${helper}\\(([\\s\\S]{0,240})`, 'g')))
        literals(match[1].split(/\)\s*;|=>/)[0]);
    }
  }
  return { actions, templates };
}
