import type { ProblemTable } from '../platform/http/problem-table.js';

/** Cards, top-up, withdraw, history and statements: the problem codes this domain answers with. */
export const WALLET_PROBLEMS = {} as const satisfies ProblemTable;
