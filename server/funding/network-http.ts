import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { fenToJson } from '../platform/money.js';
import { type HttpAdapterSettings, createOutboundClient } from '../platform/outbound-http.js';
import { type InterbankNetwork, InterbankUnavailable, type PaymentStatus } from './network.js';

/**
 * The real interbank network over HTTP (docs/funding.md), every request signed by
 * platform/outbound-http.ts:
 * `POST /v1/online-payments` (our order id as `idempotency-key`) → `{ networkRef, redirectUrl }`;
 * `GET /v1/online-payments/:requestId` → `{ status: 'created' | 'paid' | 'cancelled', networkRef?, amountFen? }`,
 * 404 when the network never saw it; `POST /v1/credit-transfers/:networkRef/return` `{ reason }` → 200.
 * Any other answer, a timeout or an open circuit is InterbankUnavailable.
 */

const Started = Type.Object({
  networkRef: Type.String({ minLength: 1, maxLength: 128 }),
  redirectUrl: Type.String({ minLength: 1, maxLength: 2000, pattern: '^https://' }),
});
const Status = Type.Object({
  status: Type.Union([Type.Literal('created'), Type.Literal('paid'), Type.Literal('cancelled')]),
  networkRef: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  amountFen: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
});

export function createHttpInterbankNetwork(settings: HttpAdapterSettings, deps: { clock: Clock }): InterbankNetwork {
  const client = createOutboundClient(settings, deps.clock, { system: 'interbank-network' });
  const call = async (...args: Parameters<typeof client.call>) => {
    try {
      return await client.call(...args);
    } catch (error) {
      throw new InterbankUnavailable(error instanceof Error ? error.message : String(error));
    }
  };
  return {
    async startPayment(request) {
      const answer = await call(
        'POST',
        '/v1/online-payments',
        {
          requestId: request.requestId,
          bankCode: request.bankCode,
          amountFen: fenToJson(request.amountFen),
          currency: request.currency,
          returnUrl: request.returnUrl,
        },
        { idempotencyKey: request.requestId },
      );
      if (answer.status !== 200 || !Value.Check(Started, answer.body))
        throw new InterbankUnavailable(`online payment not started: HTTP ${answer.status}`);
      return { networkRef: answer.body.networkRef, redirectUrl: answer.body.redirectUrl };
    },

    async queryPayment(requestId): Promise<PaymentStatus> {
      const answer = await call('GET', `/v1/online-payments/${encodeURIComponent(requestId)}`);
      if (answer.status === 404) return { status: 'not_found' };
      if (answer.status !== 200 || !Value.Check(Status, answer.body))
        throw new InterbankUnavailable(`online payment status: HTTP ${answer.status}`);
      const body = answer.body;
      if (body.status !== 'paid') return { status: body.status };
      if (!body.networkRef || body.amountFen === undefined)
        throw new InterbankUnavailable('a paid status without its reference or amount');
      return { status: 'paid', networkRef: body.networkRef, amountFen: BigInt(body.amountFen) };
    },

    async returnTransfer(request) {
      const answer = await call(
        'POST',
        `/v1/credit-transfers/${encodeURIComponent(request.networkRef)}/return`,
        { reason: request.reason },
        { idempotencyKey: `return:${request.networkRef}` },
      );
      if (answer.status !== 200) throw new InterbankUnavailable(`return refused: HTTP ${answer.status}`);
    },
  };
}
