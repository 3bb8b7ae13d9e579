import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { fenToJson } from '../platform/money.js';
import { type HttpAdapterSettings, createOutboundClient } from '../platform/outbound-http.js';
import { err, ok } from '../platform/result.js';
import type { PayoutRail } from './rail.js';

/**
 * The real interbank payout rail over HTTP (docs/operations.md): `POST /v1/transfers`, signed,
 * with the payout id as `idempotency-key` (the job re-sends pending payouts). `200
 * { railReference }` is sent; `422 { code: 'DECLINED', message }` is a final refusal; anything
 * else, a timeout included, is UNAVAILABLE and the job tries again with the same payout id.
 */
const Sent = Type.Object({ railReference: Type.String({ minLength: 1, maxLength: 128 }) });
const Refused = Type.Object({ code: Type.Literal('DECLINED'), message: Type.String({ maxLength: 500 }) });

export function createHttpPayoutRail(settings: HttpAdapterSettings, deps: { clock: Clock }): PayoutRail {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async send(payout) {
      const body = {
        payoutId: payout.payoutId,
        merchantId: payout.merchantId,
        amountFen: fenToJson(payout.amountFen),
        currency: 'CNY',
        bankName: payout.bankName,
        accountNumber: payout.accountNumber,
      };
      try {
        const answer = await client.call('POST', '/v1/transfers', body, { idempotencyKey: payout.payoutId });
        if (answer.status === 200 && Value.Check(Sent, answer.body))
          return ok({ railReference: answer.body.railReference });
        if (answer.status === 422 && Value.Check(Refused, answer.body))
          return err({ code: 'DECLINED', message: answer.body.message });
        return err({ code: 'UNAVAILABLE', message: `payout rail answered HTTP ${answer.status}` });
      } catch (error) {
        return err({ code: 'UNAVAILABLE', message: `payout rail did not answer: ${(error as Error).name}` });
      }
    },
  };
}
