import type { Queryable } from '../platform/db/types.js';

/** Reconciliation: each biller's daily run against its settlement file, and the mismatches staff resolve. */

const num = (value: unknown): bigint | null => (value === null || value === undefined ? null : BigInt(value as string));

export interface MismatchRow {
  id: string;
  day: string | null;
  biller_id: string;
  kind: string;
  payment_id: string | null;
  network_ref: string | null;
  file_amount: bigint | null;
  wallet_amount: bigint | null;
  status: 'open' | 'resolved';
  note: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  created_at: Date;
}

export async function insertMismatch(
  q: Queryable,
  input: {
    id: string;
    billerId: string;
    kind: string;
    paymentId: string | null;
    networkRef: string | null;
    fileFen: bigint | null;
    walletFen: bigint | null;
    day: string | null;
    at: Date;
  },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO bill_recon_mismatches (id, day, biller_id, kind, payment_id, network_ref, file_amount,
      wallet_amount, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) ON CONFLICT DO NOTHING`,
    [
      input.id,
      input.day,
      input.billerId,
      input.kind,
      input.paymentId,
      input.networkRef,
      input.fileFen,
      input.walletFen,
      input.at,
    ],
  );
  return rowCount > 0;
}

export async function upsertReconRun(
  q: Queryable,
  run: {
    day: string;
    billerId: string;
    fileCount: number;
    fileTotal: bigint;
    ledgerCount: number;
    ledgerTotal: bigint;
    mismatches: number;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO bill_recon_runs (day, biller_id, file_count, file_total, ledger_count, ledger_total, mismatches,
      ran_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (day, biller_id) DO UPDATE SET file_count = EXCLUDED.file_count, file_total = EXCLUDED.file_total,
       ledger_count = EXCLUDED.ledger_count, ledger_total = EXCLUDED.ledger_total, mismatches = EXCLUDED.mismatches,
       ran_at = EXCLUDED.ran_at`,
    [run.day, run.billerId, run.fileCount, run.fileTotal, run.ledgerCount, run.ledgerTotal, run.mismatches, run.at],
  );
}

export interface ReconRunRow {
  day: string;
  biller_id: string;
  file_count: number;
  file_total: bigint;
  ledger_count: number;
  ledger_total: bigint;
  mismatches: number;
  ran_at: Date;
}

export async function reconRuns(q: Queryable, day: string | null, limit: number): Promise<ReconRunRow[]> {
  const { rows } = await q.query<ReconRunRow>(
    `SELECT * FROM bill_recon_runs WHERE ($1::text IS NULL OR day = $1) ORDER BY day DESC, biller_id LIMIT $2`,
    [day, limit],
  );
  return rows.map((row) => ({ ...row, file_total: BigInt(row.file_total), ledger_total: BigInt(row.ledger_total) }));
}

export async function mismatches(
  q: Queryable,
  filter: { day: string | null; status: string | null },
  limit: number,
): Promise<MismatchRow[]> {
  const { rows } = await q.query<MismatchRow>(
    `SELECT * FROM bill_recon_mismatches WHERE ($1::text IS NULL OR day = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [filter.day, filter.status, limit],
  );
  return rows.map((row) => ({
    ...row,
    file_amount: num(row.file_amount),
    wallet_amount: num(row.wallet_amount),
  }));
}

export async function resolveMismatch(
  q: Queryable,
  id: string,
  note: string,
  by: string,
  at: Date,
): Promise<MismatchRow | null> {
  const { rows } = await q.query<MismatchRow>(
    `UPDATE bill_recon_mismatches SET status = 'resolved', note = $2, resolved_by = $3, resolved_at = $4 WHERE id =
      $1 RETURNING *`,
    [id, note, by, at],
  );
  return rows[0]
    ? { ...rows[0], file_amount: num(rows[0].file_amount), wallet_amount: num(rows[0].wallet_amount) }
    : null;
}
