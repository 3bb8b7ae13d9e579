import type { Identity } from '../identity/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Currency, formatFen } from '../platform/money.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { PayeeRef, Prepared, RequestOrigin, TransferError, TransferService } from './service.js';
import * as store from './store.js';
import type { RequestRow, TransferRow } from './store.js';

/**
 * Requests for money: a holder asks another for an amount; the one asked approves (which prepares
 * a transfer to the requester, confirmed like any other) or declines; the requester may cancel;
 * unanswered requests expire. The request turns `paid` in the transaction that posts the money.
 */

export const REQUEST_DEFAULT_TTL_MS = 7 * 24 * 3600_000;
export const REQUEST_MAX_TTL_MS = 30 * 24 * 3600_000;
const MAX_PAGE = 100;

export interface RequestServiceDeps {
  db: Db;
  clock: Clock;
  identity: Identity;
  notifications: NotificationService;
  transfers: TransferService;
}

export function createRequestService(deps: RequestServiceDeps) {
  const { db, clock, identity, notifications, transfers } = deps;

  async function tell(
    userId: string,
    kind: string,
    zh: [string, string],
    en: [string, string],
    request: RequestRow,
  ): Promise<void> {
    await notifications.notify(userId, {
      kind,
      titleZh: zh[0],
      bodyZh: zh[1],
      titleEn: en[0],
      bodyEn: en[1],
      data: { requestId: request.id, amount: Number(request.amount), currency: request.currency },
    });
  }

  async function pendingForPayer(userId: string, requestId: string): Promise<Result<RequestRow, TransferError>> {
    const request = await store.findRequestForParty(db, requestId, userId);
    if (!request || request.payer_user_id !== userId) return err({ code: 'TRANSFER_REQUEST_NOT_FOUND' });
    if (request.status !== 'pending' || request.expires_at <= clock.now())
      return err({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: request.status });
    return ok(request);
  }

  return {
    /** Asks another holder for money. Moves nothing; the one asked is notified. */
    async create(
      userId: string,
      input: { payer: PayeeRef; amountFen: bigint; currency: Currency; note?: string; ttlMs?: number },
    ): Promise<Result<RequestRow, TransferError>> {
      assert(input.amountFen > 0n, 'amount is positive');
      const note = (input.note ?? '').trim();
      const ttlMs = Math.min(Math.max(input.ttlMs ?? REQUEST_DEFAULT_TTL_MS, 3600_000), REQUEST_MAX_TTL_MS);
      const requester = await identity.findParty({ userId });
      assert(requester, `user ${userId} exists`);
      const payer = await transfers.lookupPayee(userId, input.payer);
      if (!payer.ok) return payer;
      const now = clock.now();
      const request = await store.insertRequest(db, {
        id: newId('trq', now.getTime()),
        requester_user_id: userId,
        requester_account_id: requester.walletAccountId,
        requester_name_masked: requester.name,
        requester_phone_masked: requester.phone,
        payer_user_id: payer.value.userId,
        payer_name_masked: payer.value.name,
        payer_phone_masked: payer.value.phone,
        amount: input.amountFen,
        currency: input.currency,
        note,
        expires_at: new Date(now.getTime() + ttlMs),
        created_at: now,
      });
      const amount = formatFen(request.amount, input.currency);
      await tell(
        request.payer_user_id,
        'transfer_request.received',
        ['收款请求', `${request.requester_name_masked}（${request.requester_phone_masked}）向您请求${amount}。`],
        [
          'Money requested',
          `${request.requester_name_masked} (${request.requester_phone_masked}) asks you for ${amount}.`,
        ],
        request,
      );
      return ok(request);
    },

    get: (userId: string, requestId: string) => store.findRequestForParty(db, requestId, userId),

    async list(userId: string, page: { box: 'incoming' | 'outgoing'; before?: string; limit?: number }) {
      const limit = Math.min(Math.max(page.limit ?? 20, 1), MAX_PAGE);
      const rows = await store.listRequests(db, userId, { box: page.box, before: page.before ?? null, limit });
      return { items: rows, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
    },

    /**
     * The one asked agrees to pay: a transfer to the requester is prepared (and, with a PIN, confirmed
     * and completed at once). The request is paid when that transfer completes.
     */
    async approve(
      userId: string,
      requestId: string,
      options: { clientKey?: string | null; pin?: string; origin?: RequestOrigin },
    ): Promise<Result<Prepared, TransferError>> {
      const request = await pendingForPayer(userId, requestId);
      if (!request.ok) return request;
      const input = {
        payee: { walletId: request.value.requester_account_id },
        amountFen: request.value.amount,
        currency: request.value.currency as Currency,
        note: request.value.note,
        clientKey: options.clientKey ?? null,
        requestId,
      };
      if (options.pin !== undefined) {
        const sent = await transfers.send(userId, input, options.pin, options.origin);
        return sent.ok ? ok({ transfer: sent.value, confirmation: null }) : sent;
      }
      const prepared = await transfers.prepare(userId, input);
      if (prepared.ok) await store.linkRequestTransfer(db, requestId, prepared.value.transfer.id);
      return prepared;
    },

    async decline(userId: string, requestId: string): Promise<Result<RequestRow, TransferError>> {
      const pending = await pendingForPayer(userId, requestId);
      if (!pending.ok) return pending;
      const declined = await store.resolveRequest(db, requestId, 'declined', clock.now());
      if (!declined) return err({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: 'resolved' });
      await tell(
        declined.requester_user_id,
        'transfer_request.declined',
        [
          '收款请求被拒绝',
          `${declined.payer_name_masked}拒绝了您${formatFen(declined.amount, declined.currency as Currency)}的收款请求。`,
        ],
        [
          'Request declined',
          `${declined.payer_name_masked} declined your request for ` +
            `${formatFen(declined.amount, declined.currency as Currency)}.`,
        ],
        declined,
      );
      return ok(declined);
    },

    async cancel(userId: string, requestId: string): Promise<Result<RequestRow, TransferError>> {
      const request = await store.findRequestForParty(db, requestId, userId);
      if (!request || request.requester_user_id !== userId) return err({ code: 'TRANSFER_REQUEST_NOT_FOUND' });
      const cancelled = await store.resolveRequest(db, requestId, 'cancelled', clock.now());
      if (!cancelled) return err({ code: 'TRANSFER_REQUEST_NOT_PENDING', status: request.status });
      await tell(
        cancelled.payer_user_id,
        'transfer_request.cancelled',
        [
          '收款请求已撤销',
          `${cancelled.requester_name_masked}撤销了${formatFen(cancelled.amount, cancelled.currency as Currency)}的收款请求。`,
        ],
        [
          'Request cancelled',
          `${cancelled.requester_name_masked} cancelled the request for ` +
            `${formatFen(cancelled.amount, cancelled.currency as Currency)}.`,
        ],
        cancelled,
      );
      return ok(cancelled);
    },

    /** Expires unanswered requests and tells both sides; run by a job. */
    async expire(batchSize = 200): Promise<number> {
      const expired = await store.expireRequests(db, clock.now(), batchSize);
      for (const request of expired) {
        const amount = formatFen(request.amount, request.currency as Currency);
        await tell(
          request.requester_user_id,
          'transfer_request.expired',
          ['收款请求已过期', `您向${request.payer_name_masked}发起的${amount}收款请求已过期。`],
          ['Request expired', `Your request to ${request.payer_name_masked} for ${amount} expired.`],
          request,
        );
        await tell(
          request.payer_user_id,
          'transfer_request.expired',
          ['收款请求已过期', `${request.requester_name_masked}向您发起的${amount}收款请求已过期。`],
          ['Request expired', `The request from ${request.requester_name_masked} for ${amount} expired.`],
          request,
        );
      }
      return expired.length;
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
export type { TransferRow };
