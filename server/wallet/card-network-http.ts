import { type Static, type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { fenToJson } from '../platform/money.js';
import {
  type HttpAdapterSettings,
  type OutboundAnswer,
  OutboundTimeout,
  createOutboundClient,
} from '../platform/outbound-http.js';
import {
  type CardNetwork,
  CardNetworkTimeout,
  DECLINE_REASONS,
  type NetworkOutcome,
  type StatusAnswer,
} from './card-network.js';

/**
 * The real card network over HTTP (wire format in docs/operations.md). Every call is signed
 * (platform/outbound-http.ts); charges and payouts carry the order id as `idempotency-key`, so a
 * retried call cannot move money twice. A charge or payout whose answer does not come in time is
 * a CardNetworkTimeout, and one whose answer we cannot read is an error: either way the order
 * stays processing and the network's signed callback or the status query settles it.
 */

const Ref = Type.String({ minLength: 1, maxLength: 128 });
const Reason = Type.Union(DECLINE_REASONS.map((reason) => Type.Literal(reason)));
const Outcome = Type.Union([
  Type.Object({ status: Type.Literal('succeeded'), networkRef: Ref }),
  Type.Object({ status: Type.Literal('failed'), reason: Reason, networkRef: Type.Optional(Ref) }),
  Type.Object({ status: Type.Literal('processing'), networkRef: Type.Optional(Ref) }),
]);
const Declined = Type.Object({ status: Type.Literal('declined'), reason: Reason });
const BindingStarted = Type.Union([
  Type.Object({ status: Type.Literal('code_sent'), bindingId: Ref, expiresAt: Type.String({ format: 'date-time' }) }),
  Declined,
]);
const BindingConfirmed = Type.Union([Type.Object({ status: Type.Literal('bound'), agreementId: Ref }), Declined]);
const Cancelled = Type.Union([
  Type.Object({ status: Type.Literal('cancelled') }),
  Type.Object({
    status: Type.Literal('too_late'),
    outcome: Type.Union([Outcome, Type.Object({ status: Type.Literal('not_found') })]),
  }),
]);
const Settlement = Type.Object({
  lines: Type.Array(
    Type.Object({
      requestId: Ref,
      kind: Type.Union([Type.Literal('charge'), Type.Literal('payout')]),
      amountFen: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      currency: Type.String({ pattern: '^[A-Z]{3}$' }),
      networkRef: Ref,
      completedAt: Type.String({ format: 'date-time' }),
    }),
    { maxItems: 1_000_000 },
  ),
});

/** The network answered something we cannot read: the outcome is unknown. */
export class CardNetworkUnreadableAnswer extends Error {
  constructor(path: string, status: number) {
    super(`card network answered ${path} with HTTP ${status} and no readable outcome`);
    this.name = 'CardNetworkUnreadableAnswer';
  }
}

function expect<S extends TSchema>(schema: S, path: string, answer: OutboundAnswer): Static<S> {
  if (answer.status !== 200 || !Value.Check(schema, answer.body))
    throw new CardNetworkUnreadableAnswer(path, answer.status);
  return answer.body as Static<S>;
}

const segment = (id: string) => encodeURIComponent(id);

export function createHttpCardNetwork(settings: HttpAdapterSettings, deps: { clock: Clock }): CardNetwork {
  const client = createOutboundClient(settings, deps.clock);

  async function move(path: string, requestId: string, body: Record<string, unknown>): Promise<NetworkOutcome> {
    let answer: OutboundAnswer;
    try {
      answer = await client.call('POST', path, body, { idempotencyKey: requestId });
    } catch (error) {
      if (error instanceof OutboundTimeout) throw new CardNetworkTimeout(requestId);
      throw error;
    }
    return expect(Outcome, path, answer) as NetworkOutcome;
  }

  return {
    async startBinding(request) {
      const path = '/v1/bindings';
      const started = expect(BindingStarted, path, await client.call('POST', path, request));
      if (started.status === 'declined') return started;
      const expiresAt = new Date(started.expiresAt);
      if (Number.isNaN(expiresAt.getTime())) throw new CardNetworkUnreadableAnswer(path, 200);
      return { status: 'code_sent', bindingId: started.bindingId, expiresAt };
    },
    async confirmBinding(request) {
      const path = `/v1/bindings/${segment(request.bindingId)}/confirm`;
      return expect(BindingConfirmed, path, await client.call('POST', path, { code: request.code }));
    },
    charge(request) {
      const body = {
        requestId: request.requestId,
        agreementId: request.agreementId,
        amountFen: fenToJson(request.amountFen),
        currency: request.currency,
      };
      return move('/v1/charges', request.requestId, body);
    },
    payout(request) {
      const body = {
        requestId: request.requestId,
        agreementId: request.agreementId,
        amountFen: fenToJson(request.amountFen),
        currency: request.currency,
        arrival: request.arrival,
      };
      return move('/v1/payouts', request.requestId, body);
    },
    async query(requestId): Promise<StatusAnswer> {
      const path = `/v1/requests/${segment(requestId)}`;
      const answer = await client.call('GET', path);
      if (answer.status === 404) return { status: 'not_found' };
      return expect(Outcome, path, answer) as NetworkOutcome;
    },
    async cancelPayout(requestId) {
      const path = `/v1/payouts/${segment(requestId)}/cancel`;
      return expect(
        Cancelled,
        path,
        await client.call('POST', path, {}, { idempotencyKey: `cancel:${requestId}` }),
      ) as Awaited<ReturnType<CardNetwork['cancelPayout']>>;
    },
    async settlementFile(day) {
      const path = `/v1/settlements/${segment(day)}`;
      const file = expect(Settlement, path, await client.call('GET', path));
      return file.lines.map((line) => ({
        ...line,
        amountFen: BigInt(line.amountFen),
        completedAt: new Date(line.completedAt),
      }));
    },
  };
}
