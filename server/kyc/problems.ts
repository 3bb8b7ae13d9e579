import type { ProblemTable } from '../platform/http/problem-table.js';

/** Real-name verification and tiers: the problem codes this domain answers with. */
export const KYC_PROBLEMS = {} as const satisfies ProblemTable;
