import type { Queryable, Tx } from '../platform/db/types.js';
import type { Currency } from '../platform/money.js';
import type {
  AccountKind,
  AccountLimits,
  AccountView,
  EntryKind,
  EntryView,
  HoldStatus,
  HoldView,
  LimitName,
  Metadata,
} from './types.js';
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

const ACCOUNT_COLUMNS =
  'id, kind, currency, owner_ref, balance, pending_debits, pending_credits, frozen, limits, version, created_at';

export async function insertAccount(
  db: Queryable,
  account: {
    id: string;
    kind: AccountKind;
    currency: Currency;
    ownerRef: string | null;
    limits: AccountLimits;
    createdAt: Date;
  },
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
     WHERE e.seq IN (SELECT entry_seq FROM ledger_postings WHERE account_id = $1 AND ($2::bigint IS NULL OR entry_seq
      < $2)
                     ORDER BY entry_seq DESC LIMIT $3)
     ORDER BY e.seq DESC`,
    [accountId, options.beforeSeq?.toString() ?? null, options.limit],
  );
  return rows.map(entryFromRow);
}

/**
 * Entries after a sequence number, oldest first: the feed readers that keep their own figures
 * (insights' rollups) follow with a watermark. Sequence numbers are gapless and taken under the
 * chain-head lock held to commit, so once seq N is visible every entry before it is too.
 */
export async function listEntriesAfter(db: Queryable, afterSeq: bigint, limit: number): Promise<StoredEntry[]> {
  const { rows } = await db.query<EntryRow>(`${ENTRY_SELECT} WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`, [
    afterSeq.toString(),
    limit,
  ]);
  return rows.map(entryFromRow);
}

export async function findAccountsByIds(db: Queryable, ids: readonly string[]): Promise<AccountView[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::text[])`,
    [[...ids]],
  );
  return rows.map(accountFromRow);
}

export async function lockChainHead(tx: Tx): Promise<{ seq: bigint; hash: string }> {
  const { rows } = await tx.query<{ seq: bigint; hash: string }>(
    'SELECT seq, hash FROM ledger_chain_head WHERE id = 1 FOR UPDATE',
  );
  return rows[0];
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
  'id, reference, command_hash, debit_account_id, credit_account_id, currency, amount, status, posted_amount, ' +
  'resolve_reference, metadata, expires_at, created_at, resolved_at, usage_day';

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

export async function readUsage(
  db: Queryable,
  accountId: string,
  periods: readonly string[],
): Promise<Map<string, bigint>> {
  const { rows } = await db.query<{ period: string; debit_amount: bigint }>(
    'SELECT period, debit_amount FROM ledger_limit_usage WHERE account_id = $1 AND period = ANY($2::text[])',
    [accountId, [...periods]],
  );
  return new Map(rows.map((row) => [row.period, row.debit_amount]));
}

export async function findPendingHoldIdsDebiting(db: Queryable, accountId: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM ledger_holds WHERE debit_account_id = $1 AND status = 'pending' ORDER BY created_at LIMIT $2`,
    [accountId, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Count and credited total of the entries of each movement kind (`metadata.kind`) created in
 * [from, to), reversals left out; kinds with no entries are absent. One entry's total is the sum of
 * its credit postings, so a fee leg does not count twice.
 */
export async function volumesBetween(
  db: Queryable,
  from: Date,
  to: Date,
  kinds: readonly string[],
): Promise<Map<string, { count: number; totalFen: bigint }>> {
  const { rows } = await db.query<{ kind: string; n: string | number; total: string | number }>(
    `SELECT e.metadata->>'kind' AS kind, count(*) AS n, COALESCE(sum(c.credited), 0) AS total
     FROM ledger_entries e
     JOIN LATERAL (SELECT sum(p.amount) AS credited FROM ledger_postings p
                   WHERE p.entry_seq = e.seq AND p.amount > 0) c ON true
     WHERE e.created_at >= $1 AND e.created_at < $2 AND e.kind <> 'reversal'
       AND e.metadata->>'kind' = ANY($3::text[])
     GROUP BY 1`,
    [from, to, kinds],
  );
  return new Map(rows.map((row) => [row.kind, { count: Number(row.n), totalFen: BigInt(row.total) }]));
}
