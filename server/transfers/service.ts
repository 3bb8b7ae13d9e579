import type { ConfirmationView, Operation } from '../confirmations/service.js';
import type { Identity, PartyView } from '../identity/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Currency, formatFen, fenToJson } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import { type OutgoingRisk, type RequestOrigin, type RiskVerdict, riskRefusal } from '../risk/port.js';
import type { TransferError } from './errors.js';
import { createTransferPoster, transferOperation, transferReference } from './posting.js';
import * as store from './store.js';
import type { TransferRow } from './store.js';

/**
 * Transfers between wallet holders: look the payee up (masked), prepare a transfer with a
 * confirmation bound to amount and payee, and complete it once confirmed: the confirmation is
 * consumed, the money posted and the transfer marked completed in one database transaction.
 */

/** The risk engine as transfers see it (server/risk/port.ts). */
export type TransferRisk = OutgoingRisk<'p2p'>;
export type { RequestOrigin };

export type PayeeRef = { phone: string } | { walletId: string };

export interface TransferServiceDeps {
  db: Db;
  clock: Clock;
  ledger: LedgerService;
  identity: Identity;
  notifications: NotificationService;
  risk?: TransferRisk;
  /** Phone-number resolutions per holder per hour (lookups and transfers by phone). */
  lookupsPerHour?: number;
}

export interface PrepareInput {
  payee: PayeeRef;
  amountFen: bigint;
  currency: Currency;
  note?: string;
  /** The caller's Idempotency-Key: a retried prepare returns the same transfer. */
  clientKey?: string | null;
  requestId?: string | null;
}

export interface Prepared {
  transfer: TransferRow;
  confirmation: ConfirmationView | null;
}

export const DEFAULT_LOOKUPS_PER_HOUR = 30;
const HOUR_MS = 3600_000;
const MAX_PAGE = 100;

export function createTransferService(deps: TransferServiceDeps) {
  const { db, clock, ledger, identity, notifications } = deps;
  const lookupsPerHour = deps.lookupsPerHour ?? DEFAULT_LOOKUPS_PER_HOUR;
  const poster = createTransferPoster({ db, clock, ledger, identity });

  /** Phone numbers count against the hourly cap, since they can be enumerated; wallet ids do not. */
  async function countLookup(userId: string, payee: PayeeRef): Promise<TransferError | null> {
    if (!('phone' in payee)) return null;
    const now = clock.now();
    const used = await store.countLookupsSince(db, userId, new Date(now.getTime() - HOUR_MS));
    if (used >= lookupsPerHour) return { code: 'PAYEE_LOOKUP_LIMITED', retryAfterSeconds: 3600 };
    await store.recordLookup(db, userId, now);
    return null;
  }

  const partyRef = (payee: PayeeRef) =>
    'phone' in payee ? { phone: payee.phone } : { walletAccountId: payee.walletId };

  function checkPayee(userId: string, party: PartyView | null): Result<PartyView, TransferError> {
    if (!party) return err({ code: 'PAYEE_NOT_FOUND' });
    if (party.userId === userId) return err({ code: 'SELF_TRANSFER' });
    return ok(party);
  }

  /** Resolves a payee (a lookup before paying). */
  async function resolvePayee(userId: string, payee: PayeeRef): Promise<Result<PartyView, TransferError>> {
    const limited = await countLookup(userId, payee);
    if (limited) return err(limited);
    return checkPayee(userId, await identity.findParty(partyRef(payee)));
  }

  /** Both parties of a payment in one read (after the lookup cap, for phone numbers). */
  async function resolveParties(
    userId: string,
    payeeRef: PayeeRef,
  ): Promise<Result<{ payer: PartyView; payee: PartyView }, TransferError>> {
    const limited = await countLookup(userId, payeeRef);
    if (limited) return err(limited);
    const parties = await identity.findPaymentParties(userId, partyRef(payeeRef));
    assert(parties.payer, `user ${userId} exists`);
    const payee = checkPayee(userId, parties.payee);
    if (!payee.ok) return payee;
    return ok({ payer: parties.payer, payee: payee.value });
  }

  /**
   * Early refusals that need no write: frozen payer, not enough money, over the per-payment limit.
   * `owned` is what the ledger holds for the payer, read beside the parties' lookup.
   */
  async function precheck(
    payer: PartyView,
    owned: Awaited<ReturnType<LedgerService['accountsOwnedBy']>>,
    amountFen: bigint,
    currency: string,
  ): Promise<TransferError | null> {
    const account =
      owned.find((candidate) => candidate.id === payer.walletAccountId) ??
      (await ledger.getAccount(payer.walletAccountId));
    assert(account, `wallet ${payer.walletAccountId} of ${payer.userId} exists`);
    if (account.frozen) return { code: 'ACCOUNT_FROZEN', accountId: account.id };
    if (account.currency !== currency)
      return { code: 'CURRENCY_MISMATCH', accountId: account.id, expected: account.currency, actual: currency };
    if (account.availableFen < amountFen)
      return {
        code: 'INSUFFICIENT_FUNDS',
        accountId: account.id,
        availableFen: account.availableFen,
        requiredFen: amountFen,
      };
    const perMovement = account.limits.perMovementFen;
    if (perMovement !== undefined && amountFen > perMovement) {
      return {
        code: 'LIMIT_EXCEEDED',
        accountId: account.id,
        limit: 'perMovementFen',
        limitFen: perMovement,
        usedFen: 0n,
        remainingFen: perMovement,
      };
    }
    return null;
  }

  async function notifyCompleted(row: TransferRow): Promise<void> {
    const amount = formatFen(row.amount, row.currency as Currency);
    const data = { transferId: row.id, amount: fenToJson(row.amount), currency: row.currency };
    await notifications.notifyEach([
      {
        userId: row.payer_user_id,
        notification: {
          kind: 'transfer.sent',
          titleZh: '转账成功',
          titleEn: 'Transfer sent',
          bodyZh: `您已向${row.payee_name_masked}（${row.payee_phone_masked}）转账${amount}。`,
          bodyEn: `You sent ${amount} to ${row.payee_name_masked} (${row.payee_phone_masked}).`,
          data,
        },
      },
      {
        userId: row.payee_user_id,
        notification: {
          kind: 'transfer.received',
          titleZh: '收到转账',
          titleEn: 'Money received',
          bodyZh: `${row.payer_name_masked}（${row.payer_phone_masked}）向您转账${amount}。`,
          bodyEn: `${row.payer_name_masked} (${row.payer_phone_masked}) sent you ${amount}.`,
          data,
        },
      },
    ]);
  }

  /**
   * Completes a transfer: risk first (when there is an engine), then the poster. `found` is the
   * transfer as last read (null: read nothing, the poster's checks under the row lock decide).
   */
  async function completeFound(
    userId: string,
    transferId: string,
    found: TransferRow | null,
    confirmationId: string,
    context: RequestOrigin,
  ): Promise<Result<TransferRow, TransferError>> {
    if (deps.risk) {
      if (!found || found.payer_user_id !== userId) return err({ code: 'TRANSFER_NOT_FOUND' });
      if (found.status === 'completed') return ok(found);
      if (found.status !== 'awaiting_confirmation') return err({ code: 'TRANSFER_NOT_PENDING', status: found.status });
      const refused = riskRefusal(await service.assess(found, context));
      if (refused) {
        // A block ends the transfer; a step-up or hold leaves it waiting, to be completed once resolved.
        if (refused.outcome === 'block') await store.markTransferFailed(db, found.id, refused.code);
        return err({ ...refused, transferId: found.id, confirmationId: found.confirmation_id });
      }
    }
    // Money refusals end the transfer; a bad or reused confirmation leaves it waiting for the right one.
    const posted = await poster.post({ userId, transferId, confirmationId });
    if (!posted.ok) return err(posted.error.error);
    if (!posted.value.replayed) await notifyCompleted(posted.value.row);
    return ok(posted.value.row);
  }

  const service = {
    /** The masked name and phone of a payee, so the payer can check before paying. */
    async lookupPayee(userId: string, payee: PayeeRef): Promise<Result<PartyView, TransferError>> {
      return resolvePayee(userId, payee);
    },

    /** Records a transfer awaiting confirmation and the confirmation bound to it. Moves no money. */
    async prepare(userId: string, input: PrepareInput): Promise<Result<Prepared, TransferError>> {
      assert(input.amountFen > 0n, 'amount is positive');
      const note = (input.note ?? '').trim();
      assert([...note].length <= 50, 'note is at most 50 characters');
      // The payer's accounts (their wallet among them) are read beside the parties: neither waits for the other.
      const [parties, owned] = await Promise.all([resolveParties(userId, input.payee), ledger.accountsOwnedBy(userId)]);
      if (!parties.ok) return parties;
      const { payer, payee } = parties.value;
      const refused = await precheck(payer, owned, input.amountFen, input.currency);
      if (refused) return err(refused);
      const now = clock.now();
      const id = newId('trf', now.getTime());
      const operation = transferOperation({
        id,
        amount: input.amountFen,
        currency: input.currency,
        payee_phone_masked: payee.phone,
      });
      const confirmation = await identity.confirmations.create(userId, operation);
      const { row, created } = await store.insertTransfer(db, {
        id,
        payer_user_id: userId,
        payer_account_id: payer.walletAccountId,
        payer_name_masked: payer.name,
        payer_phone_masked: payer.phone,
        payee_user_id: payee.userId,
        payee_account_id: payee.walletAccountId,
        payee_name_masked: payee.name,
        payee_phone_masked: payee.phone,
        amount: input.amountFen,
        currency: input.currency,
        note,
        confirmation_id: confirmation.id,
        request_id: input.requestId ?? null,
        client_key: input.clientKey ?? null,
        expires_at: confirmation.expiresAt,
        created_at: now,
      });
      if (created) return ok({ transfer: row, confirmation });
      // A retried prepare: the confirmation just made is left to expire unused.
      return ok({ transfer: row, confirmation: await identity.confirmations.get(userId, row.confirmation_id) });
    },

    /** Completes a confirmed transfer. Completing a completed transfer answers it again. */
    async complete(
      userId: string,
      transferId: string,
      confirmationId: string,
      context: RequestOrigin = {},
    ): Promise<Result<TransferRow, TransferError>> {
      // Without a risk engine the poster's checks under the row lock are all there is to do first.
      const found = deps.risk ? await store.findTransferForParty(db, transferId, userId) : null;
      return completeFound(userId, transferId, found, confirmationId, context);
    },

    /** One request moves money: prepare, confirm with the PIN, complete, each step as in the two-step flow. */
    async send(
      userId: string,
      input: PrepareInput,
      pin: string,
      context: RequestOrigin = {},
    ): Promise<Result<TransferRow, TransferError>> {
      const prepared = await service.prepare(userId, input);
      if (!prepared.ok) return prepared;
      const { transfer, confirmation } = prepared.value;
      if (transfer.status !== 'awaiting_confirmation' || !confirmation) return ok(transfer);
      if (confirmation.status === 'pending') {
        const confirmed = await identity.confirmations.confirmWithPin(userId, confirmation.id, pin);
        if (!confirmed.ok) return confirmed;
      }
      // The row prepare answered is the one to judge: confirming changes nothing on it, and the
      // poster checks its status again under the row lock.
      return completeFound(userId, transfer.id, transfer, confirmation.id, context);
    },

    /** The one place an outgoing transfer is assessed for risk before it is posted. */
    async assess(row: TransferRow, context: RequestOrigin = {}): Promise<RiskVerdict> {
      if (!deps.risk) return { outcome: 'allow', problem: null };
      return deps.risk.assessOutgoing({
        userId: row.payer_user_id,
        walletAccountId: row.payer_account_id,
        amountFen: row.amount,
        currency: row.currency as Currency,
        payeeKey: `wallet:${row.payee_account_id}`,
        payeeDisplay: row.payee_name_masked,
        channel: 'p2p',
        reference: transferReference(row.id),
        ip: context.ip,
        deviceId: context.deviceId,
      });
    },

    /** A transfer as its payer or payee sees it; null for anyone else. */
    get: (userId: string, transferId: string) => store.findTransferForParty(db, transferId, userId),

    async list(userId: string, page: { before?: string; limit?: number; direction?: 'all' | 'outgoing' | 'incoming' }) {
      const limit = Math.min(Math.max(page.limit ?? 20, 1), MAX_PAGE);
      const rows = await store.listTransfers(db, userId, {
        before: page.before ?? null,
        limit,
        direction: page.direction ?? 'all',
      });
      return { items: rows, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
    },

    /** Ends transfers whose confirmation window passed, and prunes the lookup log; run by a job. */
    async expire(batchSize = 200): Promise<number> {
      const now = clock.now();
      await store.pruneLookups(db, new Date(now.getTime() - 2 * HOUR_MS), 5_000);
      return store.expireTransfers(db, now, batchSize);
    },
  };
  /**
   * A held transfer waits while the risk engine asks the holder "was this you?". Confirmed: the
   * engine now answers allow for its reference, so the transfer is completed with the holder's
   * confirmation, if it is still usable (else the holder completes it themselves). Denied, expired
   * or voided by staff: the transfer fails. Idempotent: the engine may deliver an event again.
   */
  deps.risk?.onResolved?.('p2p', async (event) => {
    if (!event.reference.startsWith('p2p:')) return;
    const row = await store.findTransferForParty(db, event.reference.slice('p2p:'.length), event.userId);
    if (!row || row.payer_user_id !== event.userId || row.status !== 'awaiting_confirmation') return;
    if (event.outcome === 'voided') await store.markTransferFailed(db, row.id, 'RISK_BLOCKED');
    else if (event.outcome === 'approved') await service.complete(row.payer_user_id, row.id, row.confirmation_id);
  });

  return service;
}

export { transferOperation, transferReference };
export type { TransferError };

export type TransferService = ReturnType<typeof createTransferService>;
