import { shanghaiDay } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';

/** SQL on reconciliation runs and breaks (differences between the network and the ledger). */

export type BreakKind =
  'missing_in_ledger' | 'missing_in_network' | 'amount_mismatch' | 'late_network_result' | 'balance_cap_exceeded';

export interface BreakRow {
  id: string;
  day: string;
  kind: BreakKind;
  reference: string;
  network_amount: bigint | null;
  ledger_amount: bigint | null;
  details: Record<string, unknown>;
  status: 'open' | 'resolved';
  created_at: Date;
}

/** Records a break once per day, kind and reference. */
export async function recordBreak(
  q: Queryable,
  input: {
    day: string | null;
    at: Date;
    kind: BreakKind;
    reference: string;
    networkAmountFen: bigint | null;
    ledgerAmountFen: bigint | null;
    details: Record<string, unknown>;
  },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO wallet_reconciliation_breaks (id, day, kind, reference, network_amount, ledger_amount, details,
      created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (day, kind, reference) DO NOTHING`,
    [
      newId('brk', input.at.getTime()),
      input.day ?? shanghaiDay(input.at),
      input.kind,
      input.reference,
      input.networkAmountFen,
      input.ledgerAmountFen,
      input.details,
      input.at,
    ],
  );
  return rowCount === 1;
}

export async function saveRun(
  q: Queryable,
  run: {
    day: string;
    networkCount: number;
    networkTotalFen: bigint;
    ledgerCount: number;
    ledgerTotalFen: bigint;
    breaks: number;
    ranAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO wallet_reconciliation_runs (day, network_count, network_total, ledger_count, ledger_total, breaks,
      ran_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (day) DO UPDATE SET network_count = EXCLUDED.network_count, network_total = EXCLUDED.network_total,
      ledger_count = EXCLUDED.ledger_count,
       ledger_total = EXCLUDED.ledger_total, breaks = EXCLUDED.breaks, ran_at = EXCLUDED.ran_at`,
    [run.day, run.networkCount, run.networkTotalFen, run.ledgerCount, run.ledgerTotalFen, run.breaks, run.ranAt],
  );
}

export interface RunRow {
  day: string;
  network_count: number;
  network_total: bigint;
  ledger_count: number;
  ledger_total: bigint;
  breaks: number;
  ran_at: Date;
}

export async function listRuns(q: Queryable, limit: number): Promise<RunRow[]> {
  const { rows } = await q.query<RunRow>('SELECT * FROM wallet_reconciliation_runs ORDER BY day DESC LIMIT $1', [
    limit,
  ]);
  return rows;
}

export async function listBreaks(
  q: Queryable,
  filter: { day: string | null; status: string | null; before: string | null; limit: number },
): Promise<BreakRow[]> {
  const { rows } = await q.query<BreakRow>(
    `SELECT * FROM wallet_reconciliation_breaks WHERE ($1::text IS NULL OR day = $1) AND ($2::text IS NULL OR status
      = $2) AND ($3::text IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [filter.day, filter.status, filter.before, filter.limit],
  );
  return rows;
}
