import type { Result } from '../platform/result.js';

/**
 * The fund company that runs the savings funds, as savings sees it: each business day it publishes,
 * per fund, the income per 10,000 units and the 7-day annualised yield of each calendar day since
 * the last publication (weekend and holiday days come out on the next business day). Figures are
 * integers in 1/10,000 (see rules.ts). Implementations: fund-sandbox.ts (kept in the database,
 * misbehaves on request) and fund-http.ts (the real company over HTTP).
 */

export interface FundDayFigures {
  fundCode: string;
  day: string;
  per10kE4: bigint;
  yield7dE4: bigint;
  publishedAt: Date;
}

export type FundCompanyError = { code: 'UNAVAILABLE'; message: string };

export interface FundCompany {
  /** The figures of one day, or null while the company has not published them. */
  dayFigures(fundCode: string, day: string): Promise<Result<FundDayFigures | null, FundCompanyError>>;
}
