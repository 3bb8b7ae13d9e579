import type { Queryable, Tx } from '../platform/db/types.js';
import type { Currency } from '../platform/money.js';
import type { AccountKind, AccountLimits, AccountView, EntryKind, EntryView, HoldStatus, HoldView, LimitName, Metadata } from './types.js';
import { LIMIT_NAMES } from './types.js';

/** All SQL on the ledger tables. Nothing outside server/ledger/ may touch them. */

interface AccountRow {
  id: string;
  kind: AccountKind;
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

export function limitsFromJson(json: Record<string, string> | null): AccountLimits {
  const limits: AccountLimits = {};
  if (!json) return limits;
  for (const name of LIMIT_NAMES) {
    const raw = json[name];
    if (typeof raw === 'string' && /^\d+$/.test(raw)) limits[name] = BigInt(raw);
  }
  return limits;
}

export function limitsToJson(limits: AccountLimits): Record<string, string> | null {
  const json: Partial<Record<LimitName, string>> = {};
  for (const name of LIMIT_NAMES) {
    const value = limits[name];
    if (value !== undefined) json[name] = value.toString();
  }
  return Object.keys(json).length ? (json as Record<string, string>) : null;
}

function accountFromRow(row: AccountRow): AccountView {
  return {
    id: row.id,
    kind: row.kind,
    currency: row.currency as Currency,
    ownerRef: row.owner_ref,
    balanceFen: row.balance,
    pendingDebitsFen: row.pending_debits,
    pendingCreditsFen: row.pending_credits,
    availableFen: row.balance - row.pending_debits,
    frozen: row.frozen,
    limits: limitsFromJson(row.limits),
    version: row.version,
    createdAt: row.created_at,
  };
}

const ACCOUNT_COLUMNS = 'id, kind, currency, owner_ref, balance, pending_debits, pending_credits, frozen, limits, version, created_at';

export async function insertAccount(
  db: Queryable,
  account: { id: string; kind: AccountKind; currency: Currency; ownerRef: string | null; limits: AccountLimits; createdAt: Date },
): Promise<AccountView> {
  const { rows } = await db.query<AccountRow>(
    `INSERT INTO ledger_accounts (id, kind, currency, owner_ref, limits, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${ACCOUNT_COLUMNS}`,
    [account.id, account.kind, account.currency, account.ownerRef, limitsToJson(account.limits), account.createdAt],
  );
  return accountFromRow(rows[0]);
}

export async function findAccount(db: Queryable, id: string): Promise<AccountView | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1`, [id]);
  return rows[0] ? accountFromRow(rows[0]) : null;
}

export async function findAccountsByOwner(db: Queryable, ownerRef: string): Promise<AccountView[]> {
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE owner_ref = $1 ORDER BY id`,
    [ownerRef],
  );
  return rows.map(accountFromRow);
}

/** Locks accounts in id order, the one order every writer uses, so writers never deadlock on them. */
export async function lockAccounts(tx: Tx, ids: readonly string[]): Promise<AccountView[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [[...ids]],
  );
  return rows.map(accountFromRow);
}

export async function updateAccountFlags(
  tx: Tx,
  id: string,
  changes: { frozen?: boolean; limits?: AccountLimits },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE ledger_accounts SET
       frozen = COALESCE($2, frozen),
       limits = CASE WHEN $3::boolean THEN $4::jsonb ELSE limits END,
       version = version + 1, updated_at = now()
     WHERE id = $1`,
    [id, changes.frozen ?? null, changes.limits !== undefined, changes.limits ? limitsToJson(changes.limits) : null],
  );
  return rowCount === 1;
}

export async function writeAccountBalances(
  tx: Tx,
  accounts: readonly { id: string; balanceFen: bigint; pendingDebitsFen: bigint; pendingCreditsFen: bigint }[],
  now: Date,
): Promise<void> {
  if (accounts.length === 0) return;
  const { rowCount } = await tx.query(
    `UPDATE ledger_accounts AS a SET
       balance = v.balance, pending_debits = v.pending_debits, pending_credits = v.pending_credits,
       version = a.version + 1, updated_at = $5
     FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(id, balance, pending_debits, pending_credits)
     WHERE a.id = v.id`,
    [
      accounts.map((a) => a.id),
      accounts.map((a) => a.balanceFen.toString()),
      accounts.map((a) => a.pendingDebitsFen.toString()),
      accounts.map((a) => a.pendingCreditsFen.toString()),
      now,
    ],
  );
  if (rowCount !== accounts.length) throw new Error(`updated ${rowCount} of ${accounts.length} ledger accounts`);
}

interface EntryRow {
  seq: bigint;
  id: string;
  reference: string;
  kind: EntryKind;
  currency: string;
  command_hash: string;
  metadata: Metadata;
  hold_id: string | null;
  reverses_entry_id: string | null;
  created_at: Date;
  prev_hash: string;
  hash: string;
  postings: [string, string][];
  reversed_by: string | null;
}

export type StoredEntry = EntryView & { commandHash: string; reversedBy: string | null };

function entryFromRow(row: EntryRow): StoredEntry {
  return {
    seq: row.seq,
    id: row.id,
    reference: row.reference,
    kind: row.kind,
    currency: row.currency as Currency,
    postings: row.postings.map(([accountId, amount]) => ({ accountId, amountFen: BigInt(amount) })),
    metadata: row.metadata,
    holdId: row.hold_id,
    reversesEntryId: row.reverses_entry_id,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
    commandHash: row.command_hash,
    reversedBy: row.reversed_by,
  };
}

const ENTRY_SELECT = `
  SELECT e.seq, e.id, e.reference, e.kind, e.currency, e.command_hash, e.metadata, e.hold_id,
         e.reverses_entry_id, e.created_at, e.prev_hash, e.hash,
         (SELECT json_agg(json_build_array(p.account_id, p.amount::text) ORDER BY p.idx)
            FROM ledger_postings p WHERE p.entry_seq = e.seq) AS postings,
         (SELECT r.id FROM ledger_entries r WHERE r.reverses_entry_id = e.id) AS reversed_by
  FROM ledger_entries e`;

export async function findEntriesByReferences(db: Queryable, references: readonly string[]): Promise<StoredEntry[]> {
  if (references.length === 0) return [];
  const { rows } = await db.query<EntryRow>(`${ENTRY_SELECT} WHERE e.reference = ANY($1::text[])`, [[...references]]);
  return rows.map(entryFromRow);
}

export async function findEntriesByIds(db: Queryable, ids: readonly string[]): Promise<StoredEntry[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<EntryRow>(`${ENTRY_SELECT} WHERE e.id = ANY($1::text[])`, [[...ids]]);
  return rows.map(entryFromRow);
}

export async function listEntriesForAccount(
  db: Queryable,
  accountId: string,
  options: { beforeSeq?: bigint; limit: number },
): Promise<StoredEntry[]> {
  const { rows } = await db.query<EntryRow>(
    `${ENTRY_SELECT}
     WHERE e.seq IN (SELECT entry_seq FROM ledger_postings WHERE account_id = $1 AND ($2::bigint IS NULL OR entry_seq < $2)
                     ORDER BY entry_seq DESC LIMIT $3)
     ORDER BY e.seq DESC`,
    [accountId, options.beforeSeq?.toString() ?? null, options.limit],
  );
  return rows.map(entryFromRow);
}

export interface NewEntryRow {
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

/** Appends entries and their postings: two statements however many entries the batch holds. */
export async function insertEntries(tx: Tx, entries: readonly NewEntryRow[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO ledger_entries (seq, id, reference, kind, currency, command_hash, metadata, hold_id, reverses_entry_id, created_at, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[])`,
    [
      entries.map((e) => e.seq.toString()),
      entries.map((e) => e.id),
      entries.map((e) => e.reference),
      entries.map((e) => e.kind),
      entries.map((e) => e.currency),
      entries.map((e) => e.commandHash),
      entries.map((e) => JSON.stringify(e.metadata)),
      entries.map((e) => e.holdId),
      entries.map((e) => e.reversesEntryId),
      entries.map((e) => e.createdAt.toISOString()),
      entries.map((e) => e.prevHash),
      entries.map((e) => e.hash),
    ],
  );
  const seqs: string[] = [];
  const idxs: number[] = [];
  const accounts: string[] = [];
  const amounts: string[] = [];
  for (const entry of entries) {
    entry.postings.forEach((posting, idx) => {
      seqs.push(entry.seq.toString());
      idxs.push(idx);
      accounts.push(posting.accountId);
      amounts.push(posting.amountFen.toString());
    });
  }
  await tx.query(
    `INSERT INTO ledger_postings (entry_seq, idx, account_id, amount)
     SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::bigint[])`,
    [seqs, idxs, accounts, amounts],
  );
}

export async function lockChainHead(tx: Tx): Promise<{ seq: bigint; hash: string }> {
  const { rows } = await tx.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM ledger_chain_head WHERE id = 1 FOR UPDATE');
  return rows[0];
}

export async function writeChainHead(tx: Tx, head: { seq: bigint; hash: string }): Promise<void> {
  await tx.query('UPDATE ledger_chain_head SET seq = $1, hash = $2 WHERE id = 1', [head.seq.toString(), head.hash]);
}

interface HoldRow {
  id: string;
  reference: string;
  command_hash: string;
  debit_account_id: string;
  credit_account_id: string;
  currency: string;
  amount: bigint;
  status: HoldStatus;
  posted_amount: bigint | null;
  resolve_reference: string | null;
  metadata: Metadata;
  expires_at: Date;
  created_at: Date;
  resolved_at: Date | null;
  usage_day: string | null;
}

export type StoredHold = HoldView & { commandHash: string; resolveReference: string | null; usageDay: string | null };

function holdFromRow(row: HoldRow): StoredHold {
  return {
    id: row.id,
    reference: row.reference,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    currency: row.currency as Currency,
    amountFen: row.amount,
    status: row.status,
    postedAmountFen: row.posted_amount,
    metadata: row.metadata,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    commandHash: row.command_hash,
    resolveReference: row.resolve_reference,
    usageDay: row.usage_day,
  };
}

const HOLD_COLUMNS =
  'id, reference, command_hash, debit_account_id, credit_account_id, currency, amount, status, posted_amount, resolve_reference, metadata, expires_at, created_at, resolved_at, usage_day';

export async function findHoldsByReferences(db: Queryable, references: readonly string[]): Promise<StoredHold[]> {
  if (references.length === 0) return [];
  const { rows } = await db.query<HoldRow>(
    `SELECT ${HOLD_COLUMNS} FROM ledger_holds WHERE reference = ANY($1::text[]) OR resolve_reference = ANY($1::text[])`,
    [[...references]],
  );
  return rows.map(holdFromRow);
}

export async function findHold(db: Queryable, id: string): Promise<StoredHold | null> {
  const { rows } = await db.query<HoldRow>(`SELECT ${HOLD_COLUMNS} FROM ledger_holds WHERE id = $1`, [id]);
  return rows[0] ? holdFromRow(rows[0]) : null;
}

/** Locks holds (in id order) before their accounts: every writer takes holds, then accounts, then the chain head. */
export async function lockHolds(tx: Tx, ids: readonly string[]): Promise<StoredHold[]> {
  if (ids.length === 0) return [];
  const { rows } = await tx.query<HoldRow>(
    `SELECT ${HOLD_COLUMNS} FROM ledger_holds WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [[...ids]],
  );
  return rows.map(holdFromRow);
}

export async function findExpiredHoldIds(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM ledger_holds WHERE status = 'pending' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((row) => row.id);
}

export async function insertHolds(tx: Tx, holds: readonly StoredHold[]): Promise<void> {
  if (holds.length === 0) return;
  await tx.query(
    `INSERT INTO ledger_holds (id, reference, command_hash, debit_account_id, credit_account_id, currency, amount, status, metadata, expires_at, created_at, usage_day)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::jsonb[], $10::timestamptz[], $11::timestamptz[], $12::text[])`,
    [
      holds.map((h) => h.id),
      holds.map((h) => h.reference),
      holds.map((h) => h.commandHash),
      holds.map((h) => h.debitAccountId),
      holds.map((h) => h.creditAccountId),
      holds.map((h) => h.currency),
      holds.map((h) => h.amountFen.toString()),
      holds.map((h) => h.status),
      holds.map((h) => JSON.stringify(h.metadata)),
      holds.map((h) => h.expiresAt.toISOString()),
      holds.map((h) => h.createdAt.toISOString()),
      holds.map((h) => h.usageDay),
    ],
  );
}

/** Resolves holds that were pending: the WHERE clause makes a second resolution impossible. */
export async function resolveHolds(tx: Tx, holds: readonly StoredHold[]): Promise<void> {
  if (holds.length === 0) return;
  const { rowCount } = await tx.query(
    `UPDATE ledger_holds AS h SET status = v.status, posted_amount = v.posted_amount,
       resolve_reference = v.resolve_reference, resolved_at = v.resolved_at
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[]) AS v(id, status, posted_amount, resolve_reference, resolved_at)
     WHERE h.id = v.id AND h.status = 'pending'`,
    [
      holds.map((h) => h.id),
      holds.map((h) => h.status),
      holds.map((h) => h.postedAmountFen?.toString() ?? null),
      holds.map((h) => h.resolveReference),
      holds.map((h) => (h.resolvedAt as Date).toISOString()),
    ],
  );
  if (rowCount !== holds.length) throw new Error(`resolved ${rowCount} of ${holds.length} holds`);
}

export async function loadUsage(tx: Tx, keys: readonly { accountId: string; period: string }[]): Promise<Map<string, bigint>> {
  const usage = new Map<string, bigint>();
  if (keys.length === 0) return usage;
  const { rows } = await tx.query<{ account_id: string; period: string; debit_amount: bigint }>(
    `SELECT u.account_id, u.period, u.debit_amount FROM ledger_limit_usage u
     JOIN unnest($1::text[], $2::text[]) AS k(account_id, period) ON k.account_id = u.account_id AND k.period = u.period`,
    [keys.map((k) => k.accountId), keys.map((k) => k.period)],
  );
  for (const row of rows) usage.set(`${row.account_id}|${row.period}`, row.debit_amount);
  return usage;
}

export async function writeUsage(tx: Tx, rows: readonly { accountId: string; period: string; debitFen: bigint }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO ledger_limit_usage (account_id, period, debit_amount)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
     ON CONFLICT (account_id, period) DO UPDATE SET debit_amount = EXCLUDED.debit_amount`,
    [rows.map((r) => r.accountId), rows.map((r) => r.period), rows.map((r) => r.debitFen.toString())],
  );
}

export async function readUsage(db: Queryable, accountId: string, periods: readonly string[]): Promise<Map<string, bigint>> {
  const { rows } = await db.query<{ period: string; debit_amount: bigint }>(
    'SELECT period, debit_amount FROM ledger_limit_usage WHERE account_id = $1 AND period = ANY($2::text[])',
    [accountId, [...periods]],
  );
  return new Map(rows.map((row) => [row.period, row.debit_amount]));
}
