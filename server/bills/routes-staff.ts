import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { may } from '../ops/roles.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { Id, IdParams } from '../platform/http/schemas.js';
import { fenToJson } from '../platform/money.js';
import type { StaffActor } from './billers.js';
import { parseDay } from './days.js';
import { BillerSchema, PaymentSchema, RunSchema, billerJson, paymentJson, runJson } from './dto.js';
import type { BillsService } from './service.js';

/** The console's bills pages: billers, a holder's bill payments, reconciliation, autopay runs. Every action audited. */

const tags = ['bills-staff'];
const actor = (request: FastifyRequest): StaffActor => ({
  id: request.principal?.id as string,
  requestId: request.id,
  ip: request.ip,
});
const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
const Day = Type.String({ maxLength: 10, description: 'YYYY-MM-DD, an Asia/Shanghai day' });

const StaffBillerSchema = Type.Intersect([
  BillerSchema,
  Type.Object({
    settlementAccountId: Type.String(),
    paymentsToday: Type.Integer(),
    disabledReason: Type.Union([Type.String(), Type.Null()]),
  }),
]);

const MismatchSchema = Type.Object({
  id: Type.String(),
  day: Type.Union([Type.String(), Type.Null()]),
  billerId: Type.String(),
  kind: Type.String({ description: 'missing_in_wallet | missing_at_biller | amount_mismatch | late_result' }),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  networkRef: Type.Union([Type.String(), Type.Null()]),
  fileAmount: Type.Union([Type.Integer(), Type.Null()]),
  walletAmount: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

function dayOrProblem(day: string | undefined): string | null {
  if (day === undefined) return null;
  if (!parseDay(day))
    throw problemFrom({ code: 'VALIDATION_FAILED', field: 'day', message: 'days are written YYYY-MM-DD' });
  return day;
}

const mismatchJson = (row: Awaited<ReturnType<BillsService['reconciliation']['overview']>>['mismatches'][number]) => ({
  id: row.id,
  day: row.day,
  billerId: row.biller_id,
  kind: row.kind,
  paymentId: row.payment_id,
  networkRef: row.network_ref,
  fileAmount: row.file_amount === null ? null : fenToJson(row.file_amount),
  walletAmount: row.wallet_amount === null ? null : fenToJson(row.wallet_amount),
  status: row.status,
  note: row.note,
  createdAt: row.created_at.toISOString(),
});

export function billStaffRoutes(bills: BillsService, now: () => Date) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/ops/bills/billers',
      {
        config: may('bills.view'),
        schema: {
          tags,
          operationId: 'opsListBillers',
          summary: 'Every biller, enabled or not, with its settlement account and payments today',
          response: { 200: Type.Object({ items: Type.Array(StaffBillerSchema) }) },
        },
      },
      async () => {
        const today = new Date(`${new Date(now().getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`);
        const counts = await bills.billers.paymentsSince(today);
        const items = [];
        for (const biller of await bills.billers.list({ includeDisabled: true })) {
          const row = await bills.billers.find(biller.id);
          items.push({
            ...billerJson(biller),
            settlementAccountId: row?.settlement_account_id ?? '',
            paymentsToday: counts.get(biller.id) ?? 0,
            disabledReason: row?.disabled_reason ?? null,
          });
        }
        return { items };
      },
    );

    for (const [action, operationId, summary] of [
      ['disable', 'opsDisableBiller', 'Stop taking payments for a biller (audited)'],
      ['enable', 'opsEnableBiller', 'Take payments for a biller again (audited)'],
    ] as const) {
      app.post<{ Params: { id: string }; Body: { reason: string } }>(
        `/api/v1/ops/bills/billers/:id/${action}`,
        {
          config: may('bills.manage'),
          schema: {
            tags,
            operationId,
            summary,
            problems: ['BILLER_NOT_FOUND'],
            params: IdParams,
            body: Reason,
            response: { 200: BillerSchema },
          },
        },
        async (request) => {
          const changed = await bills.billers.setEnabled(
            actor(request),
            request.params.id,
            action === 'enable',
            request.body.reason,
          );
          if (!changed.ok) throw problemFrom(changed.error);
          return billerJson(changed.value);
        },
      );
    }

    app.post<{
      Params: { id: string };
      Body: { startsAt: string; endsAt: string; messageZh: string; messageEn: string };
    }>(
      '/api/v1/ops/bills/billers/:id/maintenance',
      {
        config: may('bills.manage'),
        schema: {
          tags,
          operationId: 'opsAnnounceBillerMaintenance',
          summary:
            "Announce a biller's own maintenance: inquiry and paying answer BILLER_UNAVAILABLE meanwhile (audited)",
          problems: ['BILLER_NOT_FOUND'],
          params: IdParams,
          body: Type.Object(
            {
              startsAt: Type.String({ format: 'date-time' }),
              endsAt: Type.String({ format: 'date-time' }),
              messageZh: Type.String({ minLength: 1, maxLength: 200 }),
              messageEn: Type.String({ minLength: 1, maxLength: 200 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: BillerSchema },
        },
      },
      async (request) => {
        const { startsAt, endsAt, messageZh, messageEn } = request.body;
        const announced = await bills.billers.announceMaintenance(actor(request), request.params.id, {
          startsAt: new Date(startsAt),
          endsAt: new Date(endsAt),
          messageZh,
          messageEn,
        });
        if (!announced.ok) throw problemFrom(announced.error);
        return billerJson(announced.value);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/ops/bills/billers/:id/maintenance/end',
      {
        config: may('bills.manage'),
        schema: {
          tags,
          operationId: 'opsEndBillerMaintenance',
          summary: "End a biller's maintenance window now (audited)",
          problems: ['BILLER_NOT_FOUND'],
          params: IdParams,
          response: { 200: BillerSchema },
        },
      },
      async (request) => {
        const ended = await bills.billers.endMaintenance(actor(request), request.params.id);
        if (!ended.ok) throw problemFrom(ended.error);
        return billerJson(ended.value);
      },
    );

    app.get<{ Querystring: { userId: string; status?: string; before?: string; limit?: number } }>(
      '/api/v1/ops/bills/payments',
      {
        config: may('bills.view'),
        schema: {
          tags,
          operationId: 'opsListBillPayments',
          summary: "A holder's bill payments, newest first (the view is audited)",
          querystring: Type.Object(
            {
              userId: Id,
              status: Type.Optional(
                Type.Union(
                  ['awaiting_confirmation', 'processing', 'succeeded', 'failed', 'expired'].map((s) => Type.Literal(s)),
                ),
              ),
              before: Type.Optional(Id),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Intersect([PaymentSchema, Type.Object({ userId: Type.String() })])),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { userId, status, before, limit } = request.query;
        await bills.billers.auditView(actor(request), 'bills.payments_viewed', 'user', userId);
        const page = await bills.paying.list({ userId, status: status ?? null, before: before ?? null }, limit ?? 50);
        return { items: page.items.map((item) => ({ ...paymentJson(item), userId })), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Querystring: { day?: string; status?: 'open' | 'resolved'; limit?: number } }>(
      '/api/v1/ops/bills/reconciliation',
      {
        config: may('bills.reconciliation'),
        schema: {
          tags,
          operationId: 'opsBillReconciliation',
          summary: "Reconciliation runs against each biller's settlement file, and the mismatches found",
          querystring: Type.Object(
            {
              day: Type.Optional(Day),
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              runs: Type.Array(
                Type.Object({
                  day: Type.String(),
                  billerId: Type.String(),
                  billerName: Type.String(),
                  fileCount: Type.Integer(),
                  fileTotal: Type.Integer(),
                  ledgerCount: Type.Integer(),
                  ledgerTotal: Type.Integer(),
                  mismatches: Type.Integer(),
                  ranAt: Type.String({ format: 'date-time' }),
                }),
              ),
              mismatches: Type.Array(MismatchSchema),
            }),
          },
        },
      },
      async (request) => {
        const overview = await bills.reconciliation.overview(
          { day: dayOrProblem(request.query.day), status: request.query.status ?? null },
          request.query.limit ?? 100,
        );
        const runs = [];
        for (const run of overview.runs) {
          runs.push({
            day: run.day,
            billerId: run.biller_id,
            billerName: (await bills.billers.find(run.biller_id))?.name ?? run.biller_id,
            fileCount: run.file_count,
            fileTotal: fenToJson(run.file_total),
            ledgerCount: run.ledger_count,
            ledgerTotal: fenToJson(run.ledger_total),
            mismatches: run.mismatches,
            ranAt: run.ran_at.toISOString(),
          });
        }
        return { runs, mismatches: overview.mismatches.map(mismatchJson) };
      },
    );

    app.post<{ Params: { id: string }; Body: { note: string } }>(
      '/api/v1/ops/bills/reconciliation/mismatches/:id/resolve',
      {
        config: may('bills.reconciliation'),
        schema: {
          tags,
          operationId: 'opsResolveBillMismatch',
          summary: 'Mark a reconciliation mismatch resolved, with a note (audited)',
          problems: ['BILL_MISMATCH_NOT_FOUND'],
          params: IdParams,
          body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
          response: { 200: MismatchSchema },
        },
      },
      async (request) => {
        const resolved = await bills.reconciliation.resolve(actor(request), request.params.id, request.body.note);
        if (!resolved.ok) throw problemFrom(resolved.error);
        return mismatchJson(resolved.value);
      },
    );

    app.get<{ Querystring: { userId?: string; outcome?: string; before?: string; limit?: number } }>(
      '/api/v1/ops/bills/autopay-runs',
      {
        config: may('bills.view'),
        schema: {
          tags,
          operationId: 'opsListAutopayRuns',
          summary: "Autopay runs, newest first; one holder's with userId",
          querystring: Type.Object(
            {
              userId: Type.Optional(Id),
              outcome: Type.Optional(Type.String({ maxLength: 32 })),
              before: Type.Optional(Id),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Intersect([RunSchema, Type.Object({ billerName: Type.String() })])),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { userId, outcome, before, limit } = request.query;
        const size = limit ?? 50;
        if (userId) await bills.billers.auditView(actor(request), 'bills.autopay_runs_viewed', 'user', userId);
        const rows = await bills.autopay.runs(
          { userId: userId ?? null, outcome: outcome ?? null, before: before ?? null },
          size + 1,
        );
        const page = rows.slice(0, size);
        const items = [];
        for (const run of page)
          items.push({ ...runJson(run), billerName: (await bills.billers.find(run.biller_id))?.name ?? run.biller_id });
        return { items, nextBefore: rows.length > size ? page[page.length - 1].id : null };
      },
    );
  };
}
