import type { ProblemEntry, ProblemTable } from './problem-table.js';
import { CORE_PROBLEMS, type Language, type ProblemCode } from './problems.js';

/**
 * The problem codes this process answers with: the platform's core codes, then each domain's table
 * as `app.ts` registers it. Codes are typed by `ProblemCodes`; this is where they get a status and
 * a message at run time.
 */
const registered = new Map<string, ProblemEntry>(Object.entries(CORE_PROBLEMS));

/**
 * Adds a domain's table. Registering the same table again (a second app in the same process) is a
 * no-op; a code that another table already defines throws, so two domains never share a code.
 */
export function registerProblems(table: ProblemTable): void {
  const duplicates = Object.keys(table).filter((code) => registered.has(code) && registered.get(code) !== table[code]);
  if (duplicates.length > 0) throw new Error(`Problem codes registered twice: ${duplicates.join(', ')}`);
  for (const [code, entry] of Object.entries(table)) registered.set(code, entry);
}

/** The entry of a registered code; undefined when its domain's table was never registered. */
export function registeredProblem(code: ProblemCode): ProblemEntry | undefined {
  return registered.get(code);
}

/** Whether a code from outside the type system (a stored verdict, say) is one this app answers with. */
export function isProblemCode(code: string): code is ProblemCode {
  return registered.has(code);
}

export function problemMessage(entry: ProblemEntry, language: Language): string {
  return language === 'en' ? entry.en : entry.zh;
}
