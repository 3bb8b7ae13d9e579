import type { ProblemTable } from '../platform/http/problem-table.js';

/** Risk assessment, holds to confirm and restrictions: the problem codes this domain answers with. */
export const RISK_PROBLEMS = {} as const satisfies ProblemTable;
