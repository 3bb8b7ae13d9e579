import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/architecture.md draws the domains and who may call whom as a mermaid diagram; this keeps it
 * true. The edges come from the imports (and re-exports) of every non-test file of each domain
 * folder under server/, platform and demo aside.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const server = join(root, 'server');
const NOT_DOMAINS = new Set(['platform', 'demo']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

function domainEdges(): string[] {
  const domains = readdirSync(server).filter(
    (name) => statSync(join(server, name)).isDirectory() && !NOT_DOMAINS.has(name),
  );
  const edges = new Set<string>();
  for (const domain of domains) {
    for (const file of sourceFiles(join(server, domain))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = relative(server, resolve(dirname(file), match[1])).split('/')[0];
        if (target !== domain && domains.includes(target)) edges.add(`${domain} --> ${target}`);
      }
    }
  }
  return [...edges].sort();
}

function diagramEdges(): string[] {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Domains and who may call whom'));
  const block = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('-->'))
    .sort();
}

describe('docs/architecture.md', () => {
  it('draws exactly the domain-to-domain imports the code has', () => {
    const code = domainEdges();
    const drawn = diagramEdges();
    const block = ['```mermaid', 'flowchart LR', ...code.map((edge) => `  ${edge}`), '```'].join('\n');
    const message =
      `the diagram under "Domains and who may call whom" in docs/architecture.md is out of date.\n` +
      `Missing from it: ${code.filter((edge) => !drawn.includes(edge)).join(', ') || 'none'}; ` +
      `no longer in the code: ${drawn.filter((edge) => !code.includes(edge)).join(', ') || 'none'}.\n` +
      `If the new arrows are intended, replace the block with:\n${block}\n`;
    expect(drawn, message).toEqual(code);
  });
});
