import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApprovalSchema, DecisionBody, approvalDto, partyOf } from '../approvals/routes.js';
import type { ApprovalRow, Approvals } from '../approvals/service.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { EntrySchema, HoldSchema, entryDto, holdDto, moneyMoving, operatorOnly, security } from './routes.js';
import type { LedgerService } from './service.js';

/**
 * The second half of an operator's money movement: another operator (a different X-Operator-Id)
 * lists, approves or rejects what the first asked for. Admins do the same in the console through
 * /api/v1/staff/approvals.
 */

const tags = ['ledger'];
const KIND = 'ledger.operator_movement' as const;
const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^apr_[0-9a-z]+$' }) });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export function ledgerApprovalRoutes(ledger: LedgerService, approvals: Approvals) {
  async function applied(row: ApprovalRow) {
    const outcome = (row.outcome ?? {}) as { entryId?: string | null; holdId?: string | null; replayed?: boolean };
    const entry = outcome.entryId ? await ledger.getEntry(outcome.entryId) : null;
    const hold = outcome.holdId ? await ledger.getHold(outcome.holdId) : null;
    return {
      approval: approvalDto(row),
      entry: entry ? entryDto(entry) : null,
      hold: hold ? holdDto(hold) : null,
      replayed: outcome.replayed ?? false,
    };
  }

  return async (app: FastifyInstance) => {
    app.get<{
      Querystring: { status?: 'pending' | 'approved' | 'rejected' | 'failed'; before?: string; limit?: number };
    }>(
      '/api/v1/ledger/approvals',
      {
        config: operatorOnly,
        schema: {
          operationId: 'listLedgerApprovals',
          tags,
          summary: 'Operator movements, newest first (default: pending ones)',
          security,
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Union(['pending', 'approved', 'rejected', 'failed'].map((s) => Type.Literal(s))),
              ),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(ApprovalSchema), nextBefore: Nullable(Type.String()) }) },
        },
      },
      async (request) => {
        const page = await approvals.list({
          kinds: [KIND],
          status: request.query.status ?? 'pending',
          before: request.query.before,
          limit: request.query.limit,
        });
        return { items: page.items.map(approvalDto), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ledger/approvals/:id',
      {
        config: operatorOnly,
        schema: {
          operationId: 'getLedgerApproval',
          tags,
          summary: 'One operator movement and, once approved, what it posted',
          security,
          params: Params,
          problems: ['APPROVAL_NOT_FOUND'],
          response: {
            200: Type.Object({
              approval: ApprovalSchema,
              entry: Nullable(EntrySchema),
              hold: Nullable(HoldSchema),
              replayed: Type.Boolean(),
            }),
          },
        },
      },
      async (request) => {
        const row = await approvals.get(request.params.id);
        if (!row || row.kind !== KIND) throw problemFrom({ code: 'APPROVAL_NOT_FOUND' });
        return applied(row);
      },
    );

    app.post<{ Params: { id: string }; Body: { note: string } }>(
      '/api/v1/ledger/approvals/:id/approve',
      {
        config: moneyMoving,
        schema: {
          operationId: 'approveLedgerMovement',
          tags,
          summary: 'Approve another operator’s movement: the money moves now (never by the operator who asked)',
          security,
          params: Params,
          body: DecisionBody,
          problems: [
            'APPROVAL_NOT_FOUND',
            'APPROVAL_ALREADY_DECIDED',
            'APPROVAL_SECOND_PERSON_REQUIRED',
            'APPROVAL_ROLE_REQUIRED',
            'ACCOUNT_NOT_FOUND',
            'ACCOUNT_FROZEN',
            'CURRENCY_MISMATCH',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
            'SAME_ACCOUNT',
            'HOLD_NOT_FOUND',
            'HOLD_ALREADY_RESOLVED',
            'HOLD_EXPIRED',
            'AMOUNT_EXCEEDS_HOLD',
            'ENTRY_NOT_FOUND',
            'ENTRY_ALREADY_REVERSED',
            'REFERENCE_CONFLICT',
          ],
          response: {
            200: Type.Object({
              approval: ApprovalSchema,
              entry: Nullable(EntrySchema),
              hold: Nullable(HoldSchema),
              replayed: Type.Boolean(),
            }),
          },
        },
      },
      async (request) => {
        const found = await approvals.get(request.params.id);
        if (!found || found.kind !== KIND) throw problemFrom({ code: 'APPROVAL_NOT_FOUND' });
        const decided = await approvals.decide(found.id, partyOf(request), { approve: true, note: request.body.note });
        if (!decided.ok) throw problemFrom(decided.error);
        return applied(decided.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { note: string } }>(
      '/api/v1/ledger/approvals/:id/reject',
      {
        config: operatorOnly,
        schema: {
          operationId: 'rejectLedgerMovement',
          tags,
          summary: 'Reject another operator’s movement: nothing moves',
          security,
          params: Params,
          body: DecisionBody,
          problems: [
            'APPROVAL_NOT_FOUND',
            'APPROVAL_ALREADY_DECIDED',
            'APPROVAL_SECOND_PERSON_REQUIRED',
            'APPROVAL_ROLE_REQUIRED',
          ],
          response: { 200: ApprovalSchema },
        },
      },
      async (request) => {
        const found = await approvals.get(request.params.id);
        if (!found || found.kind !== KIND) throw problemFrom({ code: 'APPROVAL_NOT_FOUND' });
        const decided = await approvals.decide(found.id, partyOf(request), { approve: false, note: request.body.note });
        if (!decided.ok) throw problemFrom(decided.error);
        return approvalDto(decided.value);
      },
    );
  };
}
