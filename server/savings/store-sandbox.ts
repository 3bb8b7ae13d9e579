import type { Queryable } from '../platform/db/types.js';

/** The fund company sandbox's own tables (fund-sandbox.ts). */

export interface SandboxFundRow {
  fund_code: string;
  mode: 'normal' | 'late' | 'silent';
  late_days: number;
}

export async function findSandboxFund(q: Queryable, fundCode: string): Promise<SandboxFundRow | null> {
  const { rows } = await q.query<SandboxFundRow>(
    'SELECT fund_code, mode, late_days FROM savings_sandbox_funds WHERE fund_code = $1',
    [fundCode],
  );
  return rows[0] ?? null;
}

export async function upsertSandboxFund(q: Queryable, row: SandboxFundRow, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO savings_sandbox_funds (fund_code, mode, late_days, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (fund_code) DO UPDATE SET mode = $2, late_days = $3, updated_at = $4`,
    [row.fund_code, row.mode, row.late_days, at],
  );
}

export async function findSandboxDay(
  q: Queryable,
  fundCode: string,
  day: string,
): Promise<{ per10k_e4: bigint; yield7d_e4: bigint } | null> {
  const { rows } = await q.query<{ per10k_e4: bigint; yield7d_e4: bigint }>(
    'SELECT per10k_e4, yield7d_e4 FROM savings_sandbox_fund_days WHERE fund_code = $1 AND day = $2',
    [fundCode, day],
  );
  return rows[0] ?? null;
}

export async function insertSandboxDay(
  q: Queryable,
  row: { fundCode: string; day: string; per10kE4: bigint; yield7dE4: bigint },
): Promise<void> {
  await q.query(
    `INSERT INTO savings_sandbox_fund_days (fund_code, day, per10k_e4, yield7d_e4) VALUES ($1, $2, $3, $4)
     ON CONFLICT (fund_code, day) DO NOTHING`,
    [row.fundCode, row.day, row.per10kE4, row.yield7dE4],
  );
}
