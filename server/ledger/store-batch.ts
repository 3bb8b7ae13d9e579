import type { Tx } from '../platform/db/types.js';
import { assert } from '../platform/result.js';
import type { AccountView, EntryKind, Metadata } from './types.js';
import type { StoredHold } from './store.js';
import { limitsFromJson } from './store.js';

/**
 * The SQL of a ledger batch, shaped for few round trips: one statement locks the accounts and
 * reads their limit usage, one writes everything the batch decided.
 */

interface LockedAccountRow {
  id: string;
  kind: AccountView['kind'];
  currency: string;
  owner_ref: string | null;
  balance: bigint;
  pending_debits: bigint;
  pending_credits: bigint;
  frozen: boolean;
  limits: Record<string, string> | null;
  version: bigint;
  created_at: Date;
}

/**
 * Locks accounts in id order, the one order every writer uses, then reads the limit usage of those
 * that have limits. The usage must be read by a statement that starts after the locks are held:
 * under READ COMMITTED a subquery in the locking statement sees the snapshot taken before it waited
 * for the lock, so a writer queued behind another would miss the usage that one just committed and
 * let a burst pass a daily limit.
 */
export async function lockAccountsWithUsage(
  tx: Tx,
  ids: readonly string[],
  periods: readonly string[],
): Promise<{ accounts: AccountView[]; usage: Map<string, bigint> }> {
  const usage = new Map<string, bigint>();
  if (ids.length === 0) return { accounts: [], usage };
  const { rows } = await tx.query<LockedAccountRow>(
    `SELECT a.id, a.kind, a.currency, a.owner_ref, a.balance, a.pending_debits, a.pending_credits, a.frozen,
      a.limits, a.version, a.created_at
     FROM ledger_accounts a WHERE a.id = ANY($1::text[]) ORDER BY a.id FOR UPDATE OF a`,
    [[...ids]],
  );
  const limited = rows.filter((row) => row.limits && Object.keys(row.limits).length > 0).map((row) => row.id);
  if (limited.length > 0 && periods.length > 0) {
    const used = await tx.query<{ account_id: string; period: string; debit_amount: bigint }>(
      'SELECT account_id, period, debit_amount FROM ledger_limit_usage WHERE account_id = ANY($1::text[]) AND period ' +
        '= ANY($2::text[])',
      [limited, [...periods]],
    );
    for (const row of used.rows) usage.set(`${row.account_id}|${row.period}`, BigInt(row.debit_amount));
  }
  const accounts = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    currency: row.currency as AccountView['currency'],
    ownerRef: row.owner_ref,
    balanceFen: row.balance,
    pendingDebitsFen: row.pending_debits,
    pendingCreditsFen: row.pending_credits,
    availableFen: row.balance - row.pending_debits,
    frozen: row.frozen,
    limits: limitsFromJson(row.limits),
    version: row.version,
    createdAt: row.created_at,
  }));
  return { accounts, usage };
}

export interface EntryRow {
  seq: bigint;
  id: string;
  reference: string;
  kind: EntryKind;
  currency: string;
  commandHash: string;
  metadata: Metadata;
  holdId: string | null;
  reversesEntryId: string | null;
  createdAt: Date;
  prevHash: string;
  hash: string;
  postings: { accountId: string; amountFen: bigint }[];
}

export interface BatchWrites {
  now: Date;
  accounts: readonly { id: string; balanceFen: bigint; pendingDebitsFen: bigint; pendingCreditsFen: bigint }[];
  usage: readonly { accountId: string; period: string; debitFen: bigint }[];
  newHolds: readonly StoredHold[];
  resolvedHolds: readonly StoredHold[];
  entries: readonly EntryRow[];
  /** The new chain head, when entries were appended (the caller holds its lock). */
  head: { seq: bigint; hash: string } | null;
}

const text = (values: readonly (bigint | number | string | null)[]) =>
  values.map((value) => (value === null ? null : String(value)));

/** Writes a whole batch in one statement; checks that every row it meant to change changed. */
export async function writeBatch(tx: Tx, writes: BatchWrites): Promise<void> {
  const postings = writes.entries.flatMap((entry) =>
    entry.postings.map((posting, idx) => ({ seq: entry.seq, idx, ...posting })),
  );
  const { rows } = await tx.query<{ accounts: bigint; resolved: bigint; entries: bigint; postings: bigint }>(
    `WITH
     acc AS (
       UPDATE ledger_accounts AS a SET balance = v.balance, pending_debits = v.pending_debits, pending_credits =
      v.pending_credits,
              version = a.version + 1, updated_at = $5
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(id, balance, pending_debits,
      pending_credits)
       WHERE a.id = v.id RETURNING 1),
     use AS (
       INSERT INTO ledger_limit_usage (account_id, period, debit_amount)
       SELECT * FROM unnest($6::text[], $7::text[], $8::bigint[])
       ON CONFLICT (account_id, period) DO UPDATE SET debit_amount = EXCLUDED.debit_amount RETURNING 1),
     new_holds AS (
       INSERT INTO ledger_holds (id, reference, command_hash, debit_account_id, credit_account_id, currency, amount,
      status,
                                 posted_amount, resolve_reference, metadata, expires_at, created_at, resolved_at,
      usage_day)
       SELECT * FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
      $15::bigint[], $16::text[],
                            $17::bigint[], $18::text[], $19::jsonb[], $20::timestamptz[], $21::timestamptz[],
      $22::timestamptz[], $23::text[])
       RETURNING 1),
     resolved AS (
       UPDATE ledger_holds AS h SET status = v.status, posted_amount = v.posted_amount, resolve_reference =
      v.resolve_reference, resolved_at = v.resolved_at
       FROM unnest($24::text[], $25::text[], $26::bigint[], $27::text[], $28::timestamptz[]) AS v(id, status,
      posted_amount, resolve_reference, resolved_at)
       WHERE h.id = v.id AND h.status = 'pending' RETURNING 1),
     ent AS (
       INSERT INTO ledger_entries (seq, id, reference, kind, currency, command_hash, metadata, hold_id,
      reverses_entry_id, created_at, prev_hash, hash)
       SELECT * FROM unnest($29::bigint[], $30::text[], $31::text[], $32::text[], $33::text[], $34::text[],
      $35::jsonb[], $36::text[], $37::text[],
                            $38::timestamptz[], $39::text[], $40::text[])
       RETURNING 1),
     pst AS (
       INSERT INTO ledger_postings (entry_seq, idx, account_id, amount)
       SELECT * FROM unnest($41::bigint[], $42::smallint[], $43::text[], $44::bigint[]) RETURNING 1),
     head AS (
       UPDATE ledger_chain_head SET seq = $45::bigint, hash = $46 WHERE id = 1 AND $45::bigint IS NOT NULL RETURNING 1)
     SELECT (SELECT count(*) FROM acc) AS accounts, (SELECT count(*) FROM resolved) AS resolved,
            (SELECT count(*) FROM ent) AS entries, (SELECT count(*) FROM pst) AS postings,
            (SELECT count(*) FROM use) + (SELECT count(*) FROM new_holds) + (SELECT count(*) FROM head) AS other`,
    [
      writes.accounts.map((a) => a.id),
      text(writes.accounts.map((a) => a.balanceFen)),
      text(writes.accounts.map((a) => a.pendingDebitsFen)),
      text(writes.accounts.map((a) => a.pendingCreditsFen)),
      writes.now,
      writes.usage.map((u) => u.accountId),
      writes.usage.map((u) => u.period),
      text(writes.usage.map((u) => u.debitFen)),
      writes.newHolds.map((h) => h.id),
      writes.newHolds.map((h) => h.reference),
      writes.newHolds.map((h) => h.commandHash),
      writes.newHolds.map((h) => h.debitAccountId),
      writes.newHolds.map((h) => h.creditAccountId),
      writes.newHolds.map((h) => h.currency),
      text(writes.newHolds.map((h) => h.amountFen)),
      writes.newHolds.map((h) => h.status),
      text(writes.newHolds.map((h) => h.postedAmountFen)),
      writes.newHolds.map((h) => h.resolveReference),
      writes.newHolds.map((h) => JSON.stringify(h.metadata)),
      writes.newHolds.map((h) => h.expiresAt.toISOString()),
      writes.newHolds.map((h) => h.createdAt.toISOString()),
      writes.newHolds.map((h) => h.resolvedAt?.toISOString() ?? null),
      writes.newHolds.map((h) => h.usageDay),
      writes.resolvedHolds.map((h) => h.id),
      writes.resolvedHolds.map((h) => h.status),
      text(writes.resolvedHolds.map((h) => h.postedAmountFen)),
      writes.resolvedHolds.map((h) => h.resolveReference),
      writes.resolvedHolds.map((h) => (h.resolvedAt as Date).toISOString()),
      text(writes.entries.map((e) => e.seq)),
      writes.entries.map((e) => e.id),
      writes.entries.map((e) => e.reference),
      writes.entries.map((e) => e.kind),
      writes.entries.map((e) => e.currency),
      writes.entries.map((e) => e.commandHash),
      writes.entries.map((e) => JSON.stringify(e.metadata)),
      writes.entries.map((e) => e.holdId),
      writes.entries.map((e) => e.reversesEntryId),
      writes.entries.map((e) => e.createdAt.toISOString()),
      writes.entries.map((e) => e.prevHash),
      writes.entries.map((e) => e.hash),
      text(postings.map((p) => p.seq)),
      postings.map((p) => p.idx),
      postings.map((p) => p.accountId),
      text(postings.map((p) => p.amountFen)),
      writes.head ? writes.head.seq.toString() : null,
      writes.head?.hash ?? null,
    ],
  );
  const counts = rows[0];
  assert(
    Number(counts.accounts) === writes.accounts.length,
    `updated ${counts.accounts} of ${writes.accounts.length} accounts`,
  );
  assert(
    Number(counts.resolved) === writes.resolvedHolds.length,
    `resolved ${counts.resolved} of ${writes.resolvedHolds.length} holds`,
  );
  assert(
    Number(counts.entries) === writes.entries.length,
    `appended ${counts.entries} of ${writes.entries.length} entries`,
  );
  assert(Number(counts.postings) === postings.length, `wrote ${counts.postings} of ${postings.length} postings`);
}
