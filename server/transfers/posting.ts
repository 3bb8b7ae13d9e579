import type { Operation } from '../confirmations/service.js';
import type { Identity } from '../identity/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { LedgerCommand } from '../ledger/types.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db/types.js';
import { createGroupCommit } from '../platform/group-commit.js';
import type { Currency } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { TransferError } from './errors.js';
import * as store from './store.js';
import type { TransferRow } from './store.js';

/**
 * Completing transfers with group commit. Each completion consumes its confirmation, posts the money
 * and marks the transfer completed in one database transaction; completions that arrive together
 * share that transaction, so the ledger's chain head (one lock for every movement) is taken once per
 * batch instead of once per transfer. Every item succeeds or fails on its own.
 *
 * Lock order, the same for every batch: transfers (by id), their requests, their confirmations (by id),
 * then the ledger's accounts (by id) and chain head.
 */

export interface PostItem {
  userId: string;
  transferId: string;
  confirmationId: string;
}

/** `ended`: the failure also ended the transfer (money refusals); otherwise it still awaits the right confirmation. */
export type PostOutcome = Result<{ row: TransferRow; replayed: boolean }, { error: TransferError; ended: boolean }>;

export const transferReference = (transferId: string) => `p2p:${transferId}`;

/**
 * The operation a transfer's confirmation is bound to: built here only, when the confirmation is
 * made (prepare) and when it is spent (completion), so the two cannot drift apart.
 */
export function transferOperation(
  row: Pick<TransferRow, 'id' | 'amount' | 'currency' | 'payee_phone_masked'>,
): Operation {
  const payee = `wallet:${row.payee_phone_masked}`;
  return { reference: transferReference(row.id), amountFen: row.amount, currency: row.currency, payee };
}

function ledgerCommand(row: TransferRow): LedgerCommand {
  return {
    type: 'transfer',
    reference: transferReference(row.id),
    currency: row.currency as Currency,
    legs: [{ debitAccountId: row.payer_account_id, creditAccountId: row.payee_account_id, amountFen: row.amount }],
    // The wallet history convention (docs/wallet.md): kind, ref, note and the other side masked. One
    // entry serves both sides, so each side's view of the other is there too: counterpartyOut is what
    // the paying wallet shows, counterpartyIn what the receiving wallet shows; counterparty names both.
    metadata: {
      kind: 'p2p',
      ref: row.id,
      note: row.note === '' ? null : row.note,
      counterparty:
        `${row.payer_name_masked} ${row.payer_phone_masked} → ${row.payee_name_masked} ` + `${row.payee_phone_masked}`,
      counterpartyOut: `${row.payee_name_masked} ${row.payee_phone_masked}`,
      counterpartyIn: `${row.payer_name_masked} ${row.payer_phone_masked}`,
      requestId: row.request_id,
    },
  };
}

const refused = (error: TransferError, ended = false): PostOutcome => err({ error, ended });

interface PosterDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  maxBatchSize?: number;
}

type Candidate = { index: number; row: TransferRow };

/** One batch being completed: its items, their answers so far, and the transfers the batch ends. */
interface Batch {
  items: readonly PostItem[];
  outcomes: PostOutcome[];
  /** The first item of each transfer; later items of the same transfer get its answer. */
  firstOf: Map<string, number>;
  ended: { id: string; code: string }[];
}

/**
 * Locks the request a transfer pays; null when the transfer may go on. Two transfers paying one
 * request in the same batch: the later one waits for the next batch.
 */
async function checkRequest(
  tx: Tx,
  batch: Batch,
  row: TransferRow,
  requestId: string,
  claimed: Set<string>,
): Promise<PostOutcome | null> {
  if (claimed.has(requestId)) return refused({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: 'pending' });
  claimed.add(requestId);
  const request = await store.lockRequest(tx, requestId);
  if (request?.status === 'pending') return null;
  batch.ended.push({ id: row.id, code: 'TRANSFER_REQUEST_NOT_PENDING' });
  return refused({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: request?.status ?? 'unknown' }, true);
}

/** The transfers of the batch that may be completed (in transfer id order); the others get their answer. */
async function checkTransfers(tx: Tx, batch: Batch, rows: Map<string, TransferRow>): Promise<Candidate[]> {
  const { items, outcomes, firstOf } = batch;
  const candidates: Candidate[] = [];
  const requestsClaimed = new Set<string>();
  for (const index of items.map((_, i) => i).sort((a, b) => (items[a].transferId < items[b].transferId ? -1 : 1))) {
    const item = items[index];
    if (firstOf.has(item.transferId)) continue;
    firstOf.set(item.transferId, index);
    const row = rows.get(item.transferId);
    if (!row || row.payer_user_id !== item.userId) outcomes[index] = refused({ code: 'TRANSFER_NOT_FOUND' });
    else if (row.status === 'completed') outcomes[index] = ok({ row, replayed: true });
    else if (row.status !== 'awaiting_confirmation')
      outcomes[index] = refused({ code: 'TRANSFER_NOT_PENDING', status: row.status });
    else if (row.confirmation_id !== item.confirmationId) outcomes[index] = refused({ code: 'CONFIRMATION_INVALID' });
    else {
      const refusal = row.request_id ? await checkRequest(tx, batch, row, row.request_id, requestsClaimed) : null;
      if (refusal) outcomes[index] = refusal;
      else candidates.push({ index, row });
    }
  }
  return candidates;
}

/** Spends the candidates' confirmations; answers those whose confirmation held. */
async function spendConfirmations(
  identity: Identity,
  tx: Tx,
  batch: Batch,
  candidates: Candidate[],
): Promise<Candidate[]> {
  const consumed = await identity.consumeConfirmations(
    tx,
    candidates.map(({ index, row }) => ({
      userId: batch.items[index].userId,
      confirmationId: batch.items[index].confirmationId,
      operation: transferOperation(row),
    })),
  );
  const toPost: Candidate[] = [];
  candidates.forEach((candidate, k) => {
    const result = consumed[k];
    if (result.ok) toPost.push(candidate);
    else batch.outcomes[candidate.index] = refused(result.error);
  });
  return toPost;
}

/** Posts the money of each transfer; a money refusal ends that transfer. Answers the entries posted. */
async function postMoney(
  ledger: LedgerService,
  tx: Tx,
  batch: Batch,
  toPost: Candidate[],
): Promise<{ id: string; entryId: string }[]> {
  if (toPost.length === 0) return [];
  const results = await ledger.execute(
    tx,
    toPost.map(({ row }) => ledgerCommand(row)),
  );
  const completed: { id: string; entryId: string }[] = [];
  results.forEach((result, k) => {
    const { index, row } = toPost[k];
    if (!result.ok) {
      // A money refusal ends the transfer; its confirmation, spent on it, is not reusable anyway.
      batch.outcomes[index] = refused(result.error, true);
      batch.ended.push({ id: row.id, code: result.error.code });
      return;
    }
    assert(result.value.type === 'transfer', 'a transfer command answers with a transfer');
    completed.push({ id: row.id, entryId: result.value.entry.id });
  });
  return completed;
}

/** Marks requests paid, transfers completed or failed, and answers the completed ones. */
async function recordResults(
  tx: Tx,
  batch: Batch,
  toPost: Candidate[],
  completed: { id: string; entryId: string }[],
  now: Date,
): Promise<void> {
  for (const { row } of toPost) {
    if (row.request_id && completed.some((done) => done.id === row.id)) {
      const paid = await store.resolveRequest(tx, row.request_id, 'paid', now, row.id);
      assert(paid, `request ${row.request_id} was pending under its lock`);
    }
  }
  const completedRows =
    completed.length > 0 ? await store.markTransfersCompleted(tx, completed, now) : new Map<string, TransferRow>();
  if (batch.ended.length > 0) await store.markTransfersFailed(tx, batch.ended);
  for (const { index, row } of toPost) {
    const done = completedRows.get(row.id);
    if (done) batch.outcomes[index] = ok({ row: done, replayed: false });
  }
}

/** The same transfer twice in one batch: the later ones see the first one's answer as a replay. */
function answerRepeats(batch: Batch): void {
  const { items, outcomes, firstOf } = batch;
  items.forEach((item, index) => {
    const first = firstOf.get(item.transferId) as number;
    if (index === first) return;
    const outcome = outcomes[first];
    outcomes[index] = 'ok' in outcome && outcome.ok ? ok({ row: outcome.value.row, replayed: true }) : outcome;
  });
}

async function postTogether(deps: PosterDeps, tx: Tx, items: readonly PostItem[]): Promise<PostOutcome[]> {
  const now = deps.clock.now();
  const rows = await store.lockTransfers(tx, [...new Set(items.map((item) => item.transferId))].sort());
  const batch: Batch = { items, outcomes: new Array(items.length), firstOf: new Map(), ended: [] };
  const candidates = await checkTransfers(tx, batch, rows);
  const toPost = await spendConfirmations(deps.identity, tx, batch, candidates);
  // Last in the transaction: the ledger holds the chain head until commit.
  const completed = await postMoney(deps.ledger, tx, batch, toPost);
  await recordResults(tx, batch, toPost, completed, now);
  answerRepeats(batch);
  return batch.outcomes;
}

export function createTransferPoster(deps: PosterDeps) {
  // Like the ledger's writer: up to two batches in flight on PostgreSQL, so one batch's reads and
  // confirmation checks overlap the other's ledger writes; PGlite has one session, so one. A batch
  // that fails unexpectedly is split, so one bad item fails alone.
  const queue = createGroupCommit<PostItem, PostOutcome>({
    name: 'transfer_completion',
    run: (items) => deps.db.transaction((tx) => postTogether(deps, tx, items)),
    maxBatchSize: deps.maxBatchSize ?? 64,
    maxConcurrentBatches: deps.db.engine === 'postgres' ? 2 : 1,
    onFailure: 'split',
  });

  return { post: (item: PostItem): Promise<PostOutcome> => queue.submit(item) };
}
