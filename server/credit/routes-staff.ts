import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Party } from '../approvals/service.js';
import { may } from '../ops/roles.js';
import { shanghaiDay } from '../platform/clock.js';
import { Problem } from '../platform/http/problem-error.js';
import { Id } from '../platform/http/schemas.js';
import { stateOf } from './book.js';
import { ApplicationSchema, DisputeSchema, LoanSchema, applicationDto, disputeDto, loanDto } from './dto.js';
import { fail } from './routes.js';
import type { CreditService } from './service.js';
import type { ApplicationRow, ApplicationStatus } from './store.js';
import type { ContactRow, LoanRow, LoanStatus } from './store-loans.js';

/**
 * The console's credit routes: the application queue with each decision's inputs, staff decisions
 * (maker-checker above the threshold), the loan book, the overdue list with contact history,
 * write-offs (maker-checker), disputes and the scorecard versions.
 */

const tags = ['credit-staff'];
const Note = Type.String({ minLength: 2, maxLength: 500 });
const Page = {
  before: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
};
const HolderSchema = Type.Object({ userId: Type.String(), name: Type.String(), phone: Type.String() });
const ContactSchema = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  note: Type.String(),
  by: Type.String(),
  at: Type.String({ format: 'date-time' }),
});
const contactDto = (row: ContactRow) => ({
  id: row.id,
  channel: row.channel,
  note: row.note,
  by: row.contacted_by,
  at: row.created_at.toISOString(),
});

const StaffApplicationSchema = Type.Intersect([
  ApplicationSchema,
  Type.Object({
    holder: HolderSchema,
    score: Type.Union([Type.Integer(), Type.Null()]),
    scorecardVersion: Type.String(),
    inputs: Type.Record(Type.String(), Type.Unknown()),
    components: Type.Array(Type.Object({ factor: Type.String(), value: Type.String(), points: Type.Integer() })),
    reviews: Type.Array(
      Type.Object({
        by: Type.String(),
        decision: Type.String(),
        limit: Type.Union([Type.Integer(), Type.Null()]),
        note: Type.String(),
        at: Type.String({ format: 'date-time' }),
        approvalId: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
]);

function staffOf(request: FastifyRequest): Party {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new Error('credit staff routes need a staff member');
  return { kind: 'staff', id: principal.id, roles: principal.roles, ip: request.ip, requestId: request.id };
}

export function creditStaffRoutes(
  credit: CreditService,
  holderOf: (userId: string) => Promise<{ name: string; phone: string } | null>,
) {
  return async (app: FastifyInstance) => {
    const today = () => shanghaiDay(credit.clock.now());
    const holder = async (userId: string) => {
      const found = await holderOf(userId);
      return { userId, name: found?.name ?? '', phone: found?.phone ?? '' };
    };

    async function staffApplication(row: ApplicationRow) {
      const reviews = await credit.reviewsOf(row.id);
      return {
        ...applicationDto(row, today(), null),
        holder: await holder(row.user_id),
        score: row.score,
        scorecardVersion: row.scorecard_version,
        inputs: row.inputs,
        components: row.components,
        reviews: reviews.map((review) => ({
          by: review.staff_id,
          decision: review.decision,
          limit: review.credit_limit === null ? null : Number(review.credit_limit),
          note: review.note,
          at: review.created_at.toISOString(),
          approvalId: review.approval_id,
        })),
      };
    }

    async function staffLoan(loan: LoanRow, withContacts: boolean) {
      const view = await credit.loanView(loan);
      return {
        ...loanDto(view.loan, view.rows, view.repayments, today()),
        holder: await holder(loan.user_id),
        contacts: withContacts ? (await credit.contactsOf([loan.id])).map(contactDto) : [],
      };
    }

    const StaffLoanSchema = Type.Intersect([
      LoanSchema,
      Type.Object({ holder: HolderSchema, contacts: Type.Array(ContactSchema) }),
    ]);

    app.get<{ Querystring: { status?: ApplicationStatus | 'all'; before?: string; limit?: number } }>(
      '/api/v1/ops/credit/applications',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffListApplications',
          summary: 'The application queue (default: referred), newest first, with each decision’s inputs',
          problems: ['NOT_FOUND'],
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union(
                  ['referred', 'approved', 'declined', 'awaiting_signature', 'signed', 'expired', 'all'].map((s) =>
                    Type.Literal(s),
                  ),
                ),
              ),
              ...Page,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(StaffApplicationSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const status = request.query.status ?? 'referred';
        const rows = await credit.staffApplications(
          status === 'all' ? null : status,
          request.query.before ?? null,
          limit,
        );
        return {
          items: await Promise.all(rows.map(staffApplication)),
          nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ops/credit/applications/:id',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffGetApplication',
          summary: 'One application: inputs, scorecard version, score components, reasons, reviews',
          problems: ['CREDIT_APPLICATION_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: StaffApplicationSchema },
        },
      },
      async (request) => {
        const row = await credit.staffApplication(request.params.id);
        if (!row) throw new Problem('CREDIT_APPLICATION_NOT_FOUND');
        return staffApplication(row);
      },
    );

    app.post<{
      Params: { id: string };
      Body: { decision: 'approve' | 'decline'; limit?: number; annualRateBp?: number; note: string };
    }>(
      '/api/v1/ops/credit/applications/:id/decide',
      {
        config: may('credit.decide'),
        schema: {
          tags,
          operationId: 'creditStaffDecide',
          summary: 'Decide a referred application; approvals above ¥50,000 wait for a second person',
          problems: [
            'CREDIT_APPLICATION_NOT_FOUND',
            'CREDIT_APPLICATION_NOT_REFERRED',
            'CREDIT_LIMIT_REQUIRED',
            'CREDIT_AMOUNT_ABOVE_LIMIT',
            'CREDIT_AMOUNT_BELOW_MINIMUM',
            'APPROVAL_ALREADY_PENDING',
          ],
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              decision: Type.Union([Type.Literal('approve'), Type.Literal('decline')]),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
              annualRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 2400 })),
              note: Note,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              application: StaffApplicationSchema,
              approval: Type.Union([Type.Object({ id: Type.String(), status: Type.String() }), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const { body } = request;
        const decided = await credit.applications.decide(request.params.id, staffOf(request), {
          decision: body.decision,
          limitFen: body.limit === undefined ? undefined : BigInt(body.limit),
          annualRateBp: body.annualRateBp,
          note: body.note,
        });
        if (!decided.ok) throw fail(decided.error);
        return {
          application: await staffApplication(decided.value.application),
          approval: decided.value.approvalId ? { id: decided.value.approvalId, status: 'pending' } : null,
        };
      },
    );

    app.get<{ Querystring: { status?: LoanStatus | 'all'; before?: string; limit?: number } }>(
      '/api/v1/ops/credit/loans',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffListLoans',
          summary: 'The loan book, newest first',
          problems: ['NOT_FOUND'],
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union(['active', 'overdue', 'paid_off', 'written_off', 'all'].map((s) => Type.Literal(s))),
              ),
              ...Page,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(StaffLoanSchema),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const status = request.query.status ?? 'all';
        const rows = await credit.staffLoans(status === 'all' ? null : status, request.query.before ?? null, limit);
        const items = [];
        for (const loan of rows) items.push(await staffLoan(loan, false));
        return { items, nextBefore: rows.length === limit ? rows[rows.length - 1].id : null };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ops/credit/loans/:id',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffGetLoan',
          summary: 'One loan with its schedule, repayments and contact history',
          problems: ['CREDIT_LOAN_NOT_FOUND'],
          params: Type.Object({ id: Id }),
          response: { 200: StaffLoanSchema },
        },
      },
      async (request) => {
        const loan = await credit.staffLoan(request.params.id);
        if (!loan) throw new Problem('CREDIT_LOAN_NOT_FOUND');
        return staffLoan(loan, true);
      },
    );

    app.get(
      '/api/v1/ops/credit/overdue',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffListOverdue',
          summary: 'Overdue loans with how late, how much, whether reported, and contact history',
          problems: ['NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  target: Type.String(),
                  id: Type.String(),
                  holder: HolderSchema,
                  overdueDays: Type.Integer(),
                  overdueAmount: Type.Integer(),
                  dueDate: Type.String(),
                  reported: Type.Boolean(),
                  contacts: Type.Array(ContactSchema),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const day = today();
        const loans = await credit.staffLoans('overdue', null, 100);
        const contacts = await credit.contactsOf(loans.map((loan) => loan.id));
        const items = [];
        for (const loan of loans) {
          const view = await credit.loanView(loan);
          const late = view.rows.filter((row) => row.paid_on === null && row.due_day < day);
          if (late.length === 0) continue;
          const first = late[0];
          items.push({
            target: 'loan',
            id: loan.id,
            holder: await holder(loan.user_id),
            overdueDays: Math.round((Date.parse(day) - Date.parse(first.due_day)) / 86_400_000),
            overdueAmount: Number(
              late.reduce(
                (sum, row) =>
                  sum +
                  row.principal +
                  row.interest +
                  row.penalty -
                  row.paid_principal -
                  row.paid_interest -
                  row.paid_penalty,
                0n,
              ),
            ),
            dueDate: first.due_day,
            reported: late.some((row) => row.reported && stateOf(row, day) === 'overdue'),
            contacts: contacts.filter((contact) => contact.target_id === loan.id).map(contactDto),
          });
        }
        return { items };
      },
    );

    app.post<{ Params: { id: string }; Body: { channel: 'phone' | 'sms' | 'in_app'; note: string } }>(
      '/api/v1/ops/credit/loans/:id/contacts',
      {
        config: may('credit.collect'),
        schema: {
          tags,
          operationId: 'creditStaffRecordContact',
          summary: 'Record a collection contact (never between 22:00 and 08:00)',
          problems: ['CREDIT_LOAN_NOT_FOUND', 'CREDIT_QUIET_HOURS'],
          params: Type.Object({ id: Id }),
          body: Type.Object(
            {
              channel: Type.Union([Type.Literal('phone'), Type.Literal('sms'), Type.Literal('in_app')]),
              note: Note,
            },
            { additionalProperties: false },
          ),
          response: { 201: ContactSchema },
        },
      },
      async (request, reply) => {
        const made = await credit.recordContact(request.params.id, staffOf(request), request.body);
        if (!made.ok) throw fail(made.error);
        return reply.code(201).send(contactDto(made.value));
      },
    );

    app.post<{ Params: { id: string }; Body: { reason: string } }>(
      '/api/v1/ops/credit/loans/:id/write-off',
      {
        config: may('credit.write_off'),
        schema: {
          tags,
          operationId: 'creditStaffWriteOff',
          summary: 'Ask to write an overdue loan off; a second person approves it in the approvals queue',
          problems: ['CREDIT_LOAN_NOT_FOUND', 'CREDIT_WRITE_OFF_NOT_ALLOWED', 'APPROVAL_ALREADY_PENDING'],
          params: Type.Object({ id: Id }),
          body: Type.Object({ reason: Note }, { additionalProperties: false }),
          response: { 202: Type.Object({ approval: Type.Object({ id: Type.String(), status: Type.String() }) }) },
        },
      },
      async (request, reply) => {
        await credit.prepareWriteOffAccounts();
        const asked = await credit.askWriteOff(request.params.id, staffOf(request), request.body.reason);
        if (!asked.ok) throw fail(asked.error);
        return reply.code(202).send({ approval: { id: asked.value.id, status: asked.value.status } });
      },
    );

    app.get<{ Querystring: { status?: 'open' | 'all' } }>(
      '/api/v1/ops/credit/disputes',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffListDisputes',
          summary: 'Disputes of credit records (default: open), newest first',
          problems: ['NOT_FOUND'],
          querystring: Type.Object(
            { status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('all')])) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Intersect([DisputeSchema, Type.Object({ holder: HolderSchema })])),
            }),
          },
        },
      },
      async (request) => {
        const rows = await credit.staffDisputes((request.query.status ?? 'open') === 'open');
        const items = [];
        for (const row of rows) items.push({ ...disputeDto(row), holder: await holder(row.user_id) });
        return { items };
      },
    );

    app.post<{ Params: { id: string }; Body: { outcome: 'upheld' | 'rejected'; note: string } }>(
      '/api/v1/ops/credit/disputes/:id/resolve',
      {
        config: may('credit.decide'),
        schema: {
          tags,
          operationId: 'creditStaffResolveDispute',
          summary: 'Resolve a dispute: upheld corrects the record at the bureau',
          problems: ['CREDIT_DISPUTE_NOT_FOUND', 'CREDIT_DISPUTE_RESOLVED', 'CREDIT_BUREAU_UNAVAILABLE'],
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]), note: Note },
            { additionalProperties: false },
          ),
          response: { 200: DisputeSchema },
        },
      },
      async (request) => {
        const resolved = await credit.resolveDispute(request.params.id, staffOf(request), request.body);
        if (!resolved.ok) throw fail(resolved.error);
        return disputeDto(resolved.value);
      },
    );

    app.get(
      '/api/v1/ops/credit/scorecards',
      {
        config: may('credit.view'),
        schema: {
          tags,
          operationId: 'creditStaffListScorecards',
          summary: 'Every scorecard version (read-only data) and which is in effect',
          problems: ['NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  version: Type.String(),
                  effectiveFrom: Type.String({ format: 'date-time' }),
                  active: Type.Boolean(),
                  rules: Type.Unknown(),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const rows = await credit.scorecards();
        const now = credit.clock.now();
        const active = rows.find((row) => row.effective_from <= now)?.version;
        return {
          items: rows.map((row) => ({
            version: row.version,
            effectiveFrom: row.effective_from.toISOString(),
            active: row.version === active,
            rules: row.rules,
          })),
        };
      },
    );
  };
}
