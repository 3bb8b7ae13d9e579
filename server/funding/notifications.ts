import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { type Result, err, ok } from '../platform/result.js';
import type { FundingContext } from './deps.js';
import type { createIncoming } from './incoming.js';
import { type NetworkNotice, verifyNotification } from './network.js';
import type { createOnlineBanking } from './online-banking.js';
import * as store from './store.js';

/**
 * The network's signed notifications (transfers in, online-banking outcomes): the signature and its
 * time are checked first, then the body's shape; a notification id seen before is acknowledged and
 * changes nothing; the handlers themselves are idempotent on the transfer's reference and the order.
 */

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Fen = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const CreditTransfer = Type.Object({
  kind: Type.Literal('credit_transfer'),
  notificationId: Text(128),
  networkRef: Text(128),
  accountNumber: Type.String({ pattern: '^[0-9]{10,32}$' }),
  payerName: Text(64),
  payerBank: Text(32),
  payerBankName: Text(64),
  payerAccount: Type.String({ pattern: '^[0-9]{4,32}$' }),
  amountFen: Fen,
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
});
const OnlineBanking = Type.Object({
  kind: Type.Literal('online_banking_payment'),
  notificationId: Text(128),
  requestId: Text(64),
  networkRef: Text(128),
  status: Type.Union([Type.Literal('paid'), Type.Literal('cancelled')]),
  amountFen: Fen,
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
});
const Notice = Type.Union([CreditTransfer, OnlineBanking]);

export type NoticeError = { code: 'INTERBANK_SIGNATURE_INVALID' } | { code: 'INTERBANK_NOTICE_INVALID' };

export interface NoticeAnswer {
  received: true;
  replay: boolean;
  outcome: string;
  /** Why a transfer in was returned. */
  reason?: string;
}

export function createNotices(
  ctx: FundingContext,
  handlers: { incoming: ReturnType<typeof createIncoming>; onlineBanking: ReturnType<typeof createOnlineBanking> },
) {
  return async function handle(
    rawBody: string,
    signature: string | undefined,
  ): Promise<Result<NoticeAnswer, NoticeError>> {
    const now = ctx.clock.now();
    if (!verifyNotification(ctx.notificationSecret, rawBody, signature, now))
      return err({ code: 'INTERBANK_SIGNATURE_INVALID' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody);
    } catch {
      return err({ code: 'INTERBANK_NOTICE_INVALID' });
    }
    if (!Value.Check(Notice, parsed)) return err({ code: 'INTERBANK_NOTICE_INVALID' });
    const notice = parsed as NetworkNotice;
    if (await store.notificationSeen(ctx.db, notice.notificationId))
      return ok({ received: true, replay: true, outcome: 'replay' });
    let outcome: string;
    let reason: string | undefined;
    if (notice.kind === 'credit_transfer') {
      const received = await handlers.incoming.receive(notice);
      outcome = received.outcome;
      if (received.outcome === 'returned') reason = received.reason;
    } else outcome = (await handlers.onlineBanking.handleNotice(notice)).settled ? 'settled' : 'unchanged';
    const reference = notice.kind === 'credit_transfer' ? notice.networkRef : notice.requestId;
    await store.recordNotification(ctx.db, {
      id: notice.notificationId,
      kind: notice.kind,
      reference,
      received_at: now,
    });
    return ok({ received: true, replay: false, outcome, ...(reason ? { reason } : {}) });
  };
}
