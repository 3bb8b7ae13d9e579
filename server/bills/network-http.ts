import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { fenToJson } from '../platform/money.js';
import { type HttpAdapterSettings, OutboundTimeout, createOutboundClient } from '../platform/outbound-http.js';
import {
  type BillNetwork,
  BillNetworkTimeout,
  type InquiryAnswer,
  type PayFailure,
  type PayOutcome,
  type StatusAnswer,
} from './network.js';

/**
 * The real bill network over HTTP (docs/operations.md), signed by platform/outbound-http.ts:
 * `POST /v1/inquiries` → `{ status: 'found' | 'unknown_account' | 'unavailable', ... }`;
 * `POST /v1/payments` (our payment id as `idempotency-key`) → `{ status, networkRef, reason? }`;
 * `GET /v1/payments/:requestId` → the same, or 404 when the network never saw it;
 * `GET /v1/settlements/:billerId/:day` → `{ lines: [...] }`. Amounts are integer fen.
 * A timeout of `pay` is an unknown outcome (BillNetworkTimeout): the status query settles it.
 */

const Fen = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Bill = Type.Object({
  billRef: Type.String({ minLength: 1, maxLength: 128 }),
  period: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  amountFen: Fen,
  lateFeeFen: Fen,
  issuedAt: Type.String({ maxLength: 40 }),
  dueDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
const Found = Type.Object({
  status: Type.Literal('found'),
  holderName: Type.String({ maxLength: 64 }),
  address: Type.String({ maxLength: 200 }),
  bills: Type.Array(Bill, { maxItems: 120 }),
  prepaidBalanceFen: Type.Union([Fen, Type.Null()]),
});
const Other = Type.Object({ status: Type.Union([Type.Literal('unknown_account'), Type.Literal('unavailable')]) });
const FAILURES: readonly PayFailure[] = [
  'PAID_ELSEWHERE',
  'BILLER_DECLINED',
  'BILLER_UNAVAILABLE',
  'AMOUNT_MISMATCH',
  'UNKNOWN_ACCOUNT',
  'NOT_RECEIVED',
];
const Outcome = Type.Object({
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('processing')]),
  networkRef: Type.Optional(Type.String({ maxLength: 128 })),
  reason: Type.Optional(Type.Union(FAILURES.map((reason) => Type.Literal(reason)))),
});
const Lines = Type.Object({
  lines: Type.Array(
    Type.Object({
      requestId: Type.String({ maxLength: 128 }),
      billRef: Type.Union([Type.String({ maxLength: 128 }), Type.Null()]),
      amountFen: Fen,
      networkRef: Type.String({ maxLength: 128 }),
      completedAt: Type.String({ maxLength: 40 }),
    }),
  ),
});

function outcomeOf(body: unknown): PayOutcome | null {
  if (!Value.Check(Outcome, body)) return null;
  if (body.status === 'succeeded') return body.networkRef ? { status: 'succeeded', networkRef: body.networkRef } : null;
  if (body.status === 'failed')
    return { status: 'failed', reason: body.reason ?? 'BILLER_DECLINED', networkRef: body.networkRef };
  return { status: 'processing', networkRef: body.networkRef };
}

export function createHttpBillNetwork(settings: HttpAdapterSettings, deps: { clock: Clock }): BillNetwork {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async inquire(request): Promise<InquiryAnswer> {
      let answer: Awaited<ReturnType<typeof client.call>>;
      try {
        answer = await client.call('POST', '/v1/inquiries', request);
      } catch (error) {
        if (error instanceof OutboundTimeout) throw new BillNetworkTimeout(request.accountNumber);
        return { status: 'unavailable' };
      }
      if (answer.status === 200 && Value.Check(Found, answer.body)) {
        const body = answer.body;
        return {
          status: 'found',
          holderName: body.holderName,
          address: body.address,
          bills: body.bills.map((bill) => ({
            billRef: bill.billRef,
            period: bill.period,
            amountFen: BigInt(bill.amountFen),
            lateFeeFen: BigInt(bill.lateFeeFen),
            issuedAt: new Date(bill.issuedAt),
            dueDate: bill.dueDate,
          })),
          prepaidBalanceFen: body.prepaidBalanceFen === null ? null : BigInt(body.prepaidBalanceFen),
        };
      }
      if (answer.status === 200 && Value.Check(Other, answer.body)) return { status: answer.body.status };
      return { status: 'unavailable' };
    },

    async pay(request): Promise<PayOutcome> {
      let answer: Awaited<ReturnType<typeof client.call>>;
      try {
        answer = await client.call(
          'POST',
          '/v1/payments',
          {
            requestId: request.requestId,
            billerId: request.billerId,
            accountNumber: request.accountNumber,
            billRef: request.billRef,
            amountFen: fenToJson(request.amountFen),
            currency: 'CNY',
          },
          { idempotencyKey: request.requestId },
        );
      } catch {
        // No answer, or not one we can read: it may have been carried out.
        throw new BillNetworkTimeout(request.requestId);
      }
      const outcome = answer.status === 200 ? outcomeOf(answer.body) : null;
      if (!outcome) throw new BillNetworkTimeout(request.requestId);
      return outcome;
    },

    async query(requestId): Promise<StatusAnswer> {
      const answer = await client.call('GET', `/v1/payments/${encodeURIComponent(requestId)}`);
      if (answer.status === 404) return { status: 'not_found' };
      return (answer.status === 200 ? outcomeOf(answer.body) : null) ?? { status: 'processing' };
    },

    async settlementFile(billerId, day) {
      const answer = await client.call('GET', `/v1/settlements/${encodeURIComponent(billerId)}/${day}`);
      if (answer.status !== 200 || !Value.Check(Lines, answer.body))
        throw new Error(`bill network settlement file for ${billerId} ${day}: HTTP ${answer.status}`);
      return answer.body.lines.map((line) => ({
        requestId: line.requestId,
        billRef: line.billRef,
        amountFen: BigInt(line.amountFen),
        networkRef: line.networkRef,
        completedAt: new Date(line.completedAt),
      }));
    },
  };
}
