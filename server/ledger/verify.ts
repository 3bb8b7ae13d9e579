import type { Queryable } from '../platform/db/types.js';
import { GENESIS_HASH, entryHash } from './hash.js';

export interface VerifyReport {
  ok: boolean;
  entries: number;
  accounts: number;
  problems: string[];
}

const PAGE = 5_000;
const MAX_PROBLEMS = 100;

/**
 * Re-derives everything the ledger stores from its postings and holds: balances, pending amounts,
 * zero sums per entry and per currency, and the unbroken hash chain. Read-only.
 */
export async function verifyLedger(db: Queryable): Promise<VerifyReport> {
  const problems: string[] = [];
  const report = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };

  const balances = await db.query<{
    id: string;
    balance: bigint;
    derived: bigint | null;
    pending_debits: bigint;
    pending_credits: bigint;
    held_debits: bigint | null;
    held_credits: bigint | null;
  }>(
    `SELECT a.id, a.balance, a.pending_debits, a.pending_credits,
            (SELECT sum(p.amount) FROM ledger_postings p WHERE p.account_id = a.id)::bigint AS derived,
            (SELECT sum(h.amount) FROM ledger_holds h WHERE h.debit_account_id = a.id AND h.status =
      'pending')::bigint AS held_debits,
            (SELECT sum(h.amount) FROM ledger_holds h WHERE h.credit_account_id = a.id AND h.status =
      'pending')::bigint AS held_credits
     FROM ledger_accounts a ORDER BY a.id`,
  );
  for (const row of balances.rows) {
    const derived = row.derived ?? 0n;
    if (derived !== row.balance) report(`account ${row.id}: balance ${row.balance} but postings sum to ${derived}`);
    if ((row.held_debits ?? 0n) !== row.pending_debits)
      report(
        `account ${row.id}: pending debits ${row.pending_debits} but pending holds sum to ${row.held_debits ?? 0n}`,
      );
    if ((row.held_credits ?? 0n) !== row.pending_credits)
      report(
        `account ${row.id}: pending credits ${row.pending_credits} but pending holds sum to ${row.held_credits ?? 0n}`,
      );
  }

  const currencies = await db.query<{ currency: string; total: bigint }>(
    `SELECT a.currency, sum(p.amount)::bigint AS total FROM ledger_postings p JOIN ledger_accounts a ON a.id =
      p.account_id GROUP BY a.currency`,
  );
  for (const row of currencies.rows)
    if (row.total !== 0n) report(`currency ${row.currency}: postings sum to ${row.total}, not zero`);

  const mixed = await db.query<{ seq: bigint }>(
    `SELECT p.entry_seq AS seq FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
     JOIN ledger_entries e ON e.seq = p.entry_seq WHERE a.currency <> e.currency LIMIT 10`,
  );
  for (const row of mixed.rows) report(`entry #${row.seq}: a posting's account is in another currency`);

  const heldNegative = await db.query<{ id: string }>(
    `SELECT id FROM ledger_accounts WHERE kind IN ('customer_wallet', 'merchant_settlement', 'fee_income') AND
      balance - pending_debits < 0`,
  );
  for (const row of heldNegative.rows) report(`account ${row.id}: available balance below zero`);

  let entries = 0;
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const page = await db.query<{
      seq: bigint;
      id: string;
      reference: string;
      kind: string;
      currency: string;
      metadata: Record<string, string>;
      hold_id: string | null;
      reverses_entry_id: string | null;
      created_at: Date;
      prev_hash: string;
      hash: string;
      postings: [string, string][] | null;
    }>(
      `SELECT e.seq, e.id, e.reference, e.kind, e.currency, e.metadata, e.hold_id, e.reverses_entry_id, e.created_at,
        e.prev_hash, e.hash,
              (SELECT json_agg(json_build_array(p.account_id, p.amount::text) ORDER BY p.idx) FROM ledger_postings p
        WHERE p.entry_seq = e.seq) AS postings
       FROM ledger_entries e WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`,
      [expectedSeq.toString(), PAGE],
    );
    for (const row of page.rows) {
      entries++;
      if (row.seq !== expectedSeq) report(`entry chain has a gap: expected #${expectedSeq}, found #${row.seq}`);
      const postings = (row.postings ?? []).map(([accountId, amount]) => ({ accountId, amountFen: BigInt(amount) }));
      const sum = postings.reduce((total, posting) => total + posting.amountFen, 0n);
      if (postings.length < 2) report(`entry #${row.seq} (${row.reference}): fewer than two postings`);
      if (sum !== 0n) report(`entry #${row.seq} (${row.reference}): postings sum to ${sum}`);
      if (row.prev_hash !== prevHash)
        report(`entry #${row.seq} (${row.reference}): previous hash does not match the chain`);
      const recomputed = entryHash({
        seq: row.seq,
        id: row.id,
        reference: row.reference,
        kind: row.kind,
        currency: row.currency,
        postings,
        metadata: row.metadata,
        holdId: row.hold_id,
        reversesEntryId: row.reverses_entry_id,
        createdAt: row.created_at,
        prevHash: row.prev_hash,
      });
      if (recomputed !== row.hash)
        report(`entry #${row.seq} (${row.reference}): content does not match its hash (altered?)`);
      prevHash = row.hash;
      expectedSeq = row.seq + 1n;
    }
    if (page.rows.length < PAGE) break;
  }
  const head = await db.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM ledger_chain_head WHERE id = 1');
  if (head.rows[0] && (head.rows[0].seq !== expectedSeq - 1n || head.rows[0].hash !== prevHash)) {
    report(`chain head (#${head.rows[0].seq}) does not match the last entry (#${expectedSeq - 1n})`);
  }

  return { ok: problems.length === 0, entries, accounts: balances.rows.length, problems };
}
