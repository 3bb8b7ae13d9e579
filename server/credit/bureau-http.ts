import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { fenToJson } from '../platform/money.js';
import { type HttpAdapterSettings, type OutboundAnswer, createOutboundClient } from '../platform/outbound-http.js';
import { type BureauReport, BureauUnavailable, type CreditBureau, LENDER } from './bureau.js';

/**
 * The real credit bureau's gateway over HTTP (docs/credit.md, docs/operations.md), signed like
 * every outside call by platform/outbound-http.ts. Amounts are integer fen; the ID number travels
 * only in request bodies (never in a path, so never in the remote's access logs).
 *
 * - `POST /v1/inquiries {idNumber, inquirer, reason}` → `200 <report>` (the inquiry is recorded);
 * - `POST /v1/personal-reports {idNumber}` → `200 <report>`, `404` when the bureau has no file;
 * - `POST /v1/account-statuses {...}` with `idempotency-key: status:<accountRef>:<month>` → 2xx;
 * - `POST /v1/negative-records {...}` with `idempotency-key: <eventRef>` → 2xx;
 * - `POST /v1/records/<id>/corrections` with `idempotency-key: correct:<id>` → `200 {corrected}`, `404`.
 *
 * A timeout, no answer, a 5xx or an answer we cannot read is the bureau being unavailable: an
 * inquiry answers CREDIT_BUREAU_UNAVAILABLE (nothing kept), the other calls throw BureauUnavailable
 * and the daily job reports again on its next run (each report is idempotent at the bureau).
 */

const Fen = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$' });
const Kind = Type.Union([Type.Literal('loan'), Type.Literal('card')]);
const Text = Type.String({ maxLength: 200 });
const Report = Type.Object({
  asOf: Type.String({ maxLength: 40 }),
  score: Type.Union([Type.Integer({ minimum: 0, maximum: 1000 }), Type.Null()]),
  debts: Type.Array(
    Type.Object({
      lender: Text,
      kind: Kind,
      balanceFen: Fen,
      monthlyPaymentFen: Fen,
      openedOn: Day,
      overdueMonths24: Type.Integer({ minimum: 0, maximum: 24 }),
      defaulted: Type.Boolean(),
    }),
    { maxItems: 500 },
  ),
  accounts: Type.Array(
    Type.Object({
      accountRef: Text,
      lender: Text,
      kind: Kind,
      openedOn: Day,
      balanceFen: Fen,
      status: Type.Union(['current', 'overdue', 'closed', 'written_off'].map((s) => Type.Literal(s))),
      months: Type.Array(Type.Object({ month: Month, status: Type.String({ maxLength: 8 }) }), { maxItems: 600 }),
    }),
    { maxItems: 500 },
  ),
  records: Type.Array(
    Type.Object({
      id: Type.String({ minLength: 1, maxLength: 128 }),
      accountRef: Text,
      month: Month,
      kind: Type.Union([Type.Literal('overdue'), Type.Literal('write_off')]),
      amountFen: Fen,
      removed: Type.Boolean(),
    }),
    { maxItems: 1000 },
  ),
  inquiries: Type.Array(Type.Object({ day: Day, inquirer: Text, reason: Text }), { maxItems: 1000 }),
});
const Corrected = Type.Object({ corrected: Type.Boolean() });

function reportOf(body: unknown): BureauReport | null {
  if (!Value.Check(Report, body)) return null;
  const wire = body as Static<typeof Report>;
  const asOf = new Date(wire.asOf);
  if (Number.isNaN(asOf.getTime())) return null;
  return {
    asOf,
    score: wire.score,
    debts: wire.debts.map((debt) => ({
      ...debt,
      balanceFen: BigInt(debt.balanceFen),
      monthlyPaymentFen: BigInt(debt.monthlyPaymentFen),
    })),
    accounts: wire.accounts.map((account) => ({
      ...account,
      status: account.status as BureauReport['accounts'][number]['status'],
      balanceFen: BigInt(account.balanceFen),
    })),
    records: wire.records.map((record) => ({ ...record, amountFen: BigInt(record.amountFen) })),
    inquiries: wire.inquiries,
  };
}

export function createHttpBureau(settings: HttpAdapterSettings, deps: { clock: Clock }): CreditBureau {
  const client = createOutboundClient(settings, deps.clock);

  /** The answer, or null when the bureau did not answer (timeout, unreachable, circuit open). */
  async function call(path: string, body: unknown, idempotencyKey?: string): Promise<OutboundAnswer | null> {
    try {
      return await client.call('POST', path, body, idempotencyKey ? { idempotencyKey } : {});
    } catch {
      return null;
    }
  }

  async function send(path: string, body: unknown, idempotencyKey: string): Promise<void> {
    const answer = await call(path, body, idempotencyKey);
    if (!answer || answer.status < 200 || answer.status > 299)
      throw new BureauUnavailable(answer ? `bureau answered HTTP ${answer.status} on ${path}` : `no answer on ${path}`);
  }

  return {
    async inquire(idNumber, reason) {
      const answer = await call('/v1/inquiries', { idNumber, inquirer: LENDER, reason });
      const report = answer?.status === 200 ? reportOf(answer.body) : null;
      return report ? { ok: true, value: report } : { ok: false, error: { code: 'CREDIT_BUREAU_UNAVAILABLE' } };
    },
    async ownReport(idNumber) {
      const answer = await call('/v1/personal-reports', { idNumber });
      if (answer?.status === 404) return null;
      const report = answer?.status === 200 ? reportOf(answer.body) : null;
      if (!report)
        throw new BureauUnavailable(`no readable report (${answer ? `HTTP ${answer.status}` : 'no answer'})`);
      return report;
    },
    reportStatus: (report) =>
      send(
        '/v1/account-statuses',
        { ...report, lender: LENDER, balanceFen: fenToJson(report.balanceFen) },
        `status:${report.accountRef}:${report.month}`,
      ),
    reportNegative: (record) =>
      send(
        '/v1/negative-records',
        { ...record, lender: LENDER, amountFen: fenToJson(record.amountFen) },
        record.eventRef,
      ),
    async correct(recordId) {
      const answer = await call(`/v1/records/${encodeURIComponent(recordId)}/corrections`, {}, `correct:${recordId}`);
      if (answer?.status === 404) return false;
      if (answer?.status === 200 && Value.Check(Corrected, answer.body)) return answer.body.corrected;
      throw new BureauUnavailable(`correction not confirmed (${answer ? `HTTP ${answer.status}` : 'no answer'})`);
    },
  };
}
