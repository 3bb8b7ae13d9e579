import type { ProblemTable } from '../platform/http/problem-table.js';

/** Transfers, merchants, QR codes, payment codes and refunds: the problem codes this domain answers with. */
export const PAYMENT_PROBLEMS = {} as const satisfies ProblemTable;
