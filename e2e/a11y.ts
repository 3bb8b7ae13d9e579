import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * Accessibility check with axe-core (a devDependency), run inside the page under test; where it
 * cannot be resolved the tests that use this are skipped, never passed without checking.
 */

function loadAxe(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    return null;
  }
}

const AXE_SOURCE = loadAxe();
export const axeAvailable = AXE_SOURCE !== null;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe (WCAG 2 A and AA rules) on the page as it is now and returns the serious and critical
 * violations, each as "rule: help (selector)" lines, so an assertion shows what to fix.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!AXE_SOURCE) throw new Error('axe-core is not installed');
  // Evaluated over the DevTools protocol: the pages' CSP (script-src 'self') refuses inline script tags.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: Violation[] }> } })
      .axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 5).map((node) => `${v.id}: ${v.help} (${node.target.join(' ')})`));
}
