import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { IdParams as Id } from '../platform/http/schemas.js';
import { FEATURES, type Feature, type MaintenanceWindow } from '../maintenance/service.js';
import { Problem, jsonSafe, problemFrom } from '../platform/http/problem-error.js';
import { restrictionDto } from '../risk/routes.js';
import { allows, may, permissionsOf } from './roles.js';
import type { Movement, OpsService, StaffActor } from './service.js';
import { fenToJson } from '../platform/money.js';

/** The operations console's own API under /api/v1/ops (staff cookie or bearer; roles from roles.ts). */

const tags = ['ops'];
const Reason = Type.String({ minLength: 3, maxLength: 500 });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100 }));

const actor = (request: FastifyRequest): StaffActor => ({
  id: request.principal?.id as string,
  roles: request.principal?.roles ?? [],
  ip: request.ip,
  requestId: request.id,
});

const movementDto = (movement: Movement) => ({
  entryId: movement.entryId,
  seq: movement.seq.toString(),
  reference: movement.reference,
  kind: movement.kind,
  amount: fenToJson(movement.amountFen),
  currency: 'CNY',
  counterpartyAccountIds: movement.counterpartyAccountIds,
  metadata: jsonSafe(movement.metadata),
  createdAt: movement.createdAt.toISOString(),
});

const windowDto = (window: MaintenanceWindow, now: Date) => ({
  id: window.id,
  feature: window.feature,
  startsAt: window.startsAt.toISOString(),
  endsAt: window.endsAt.toISOString(),
  active: window.startsAt <= now && now < window.endsAt,
  titleZh: window.titleZh,
  titleEn: window.titleEn,
  messageZh: window.messageZh,
  messageEn: window.messageEn,
  createdBy: window.createdBy,
  createdAt: window.createdAt.toISOString(),
  endedEarlyAt: window.endedEarlyAt?.toISOString() ?? null,
});
const WindowSchema = Type.Object({
  id: Type.String(),
  feature: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  active: Type.Boolean(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  messageZh: Type.String(),
  messageEn: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  endedEarlyAt: Type.Union([Type.String(), Type.Null()]),
});

const CaseSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  createdAt: Type.String(),
  details: Type.Unknown(),
});
const caseDto = (found: {
  id: string;
  userId: string;
  kind: string;
  status: string;
  details: Record<string, unknown>;
  createdAt: Date;
}) => ({ ...found, details: jsonSafe(found.details), createdAt: found.createdAt.toISOString() });

const AuditSchema = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  actorKind: Type.String(),
  actorId: Type.String(),
  action: Type.String(),
  subjectType: Type.Optional(Type.String()),
  subjectId: Type.Optional(Type.String()),
  details: Type.Unknown(),
  ip: Type.Optional(Type.String()),
  requestId: Type.Optional(Type.String()),
  createdAt: Type.String(),
});

const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export function opsRoutes(ops: OpsService, now: () => Date) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/ops/permissions',
      {
        config: { auth: ['staff'] },
        schema: {
          operationId: 'getMyStaffPermissions',
          tags,
          summary: 'What the signed-in staff member may do (the console shows only these)',
          response: {
            200: Type.Object({
              staffId: Type.String(),
              name: Type.Union([Type.String(), Type.Null()]),
              roles: Type.Array(Type.String()),
              permissions: Type.Array(Type.String()),
            }),
          },
        },
      },
      async (request) => ({
        staffId: request.principal?.id as string,
        name: await ops.staffName(request.principal?.id as string),
        roles: [...(request.principal?.roles ?? [])],
        permissions: permissionsOf(request.principal?.roles ?? []),
      }),
    );

    app.get(
      '/api/v1/ops/staff-names',
      {
        config: { auth: ['staff'] },
        schema: {
          operationId: 'listStaffNames',
          tags,
          summary: "Every staff member's name by id, to name who acted (audit log, claims, approvals)",
          response: {
            200: Type.Object({
              items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() })),
            }),
          },
        },
      },
      async () => ({ items: await ops.staffDirectory() }),
    );

    app.post(
      '/api/v1/ops/logout',
      {
        config: { auth: ['staff'] },
        schema: {
          operationId: 'signOutStaff',
          tags,
          summary: 'End this staff session',
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await ops.signOut(actor(request), request.principal?.sessionId);
        ops.clearCookies(reply, 'staff');
        return reply.code(204).send();
      },
    );

    // A lookup by personal data is a POST: the phone or ID number travels in the body, never in a
    // URL that proxies, browsers and request logs keep.
    app.post<{ Body: { phone?: string; idNumber?: string } }>(
      '/api/v1/ops/customers/search',
      {
        config: may('customers.view'),
        schema: {
          operationId: 'searchCustomers',
          tags,
          summary: 'Find a holder by mobile number or resident ID number, given in the body (masked; audited)',
          body: Type.Object(
            {
              phone: Type.Optional(Type.String({ minLength: 5, maxLength: 20 })),
              idNumber: Type.Optional(Type.String({ minLength: 15, maxLength: 18 })),
            },
            { additionalProperties: false },
          ),
          problems: ['LOOKUP_INVALID', 'CUSTOMER_NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  userId: Type.String(),
                  name: Type.String(),
                  phone: Type.String(),
                  idNumber: Type.String(),
                  tier: Type.String(),
                  frozen: Type.Boolean(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { phone, idNumber } = request.body;
        if ((phone === undefined) === (idNumber === undefined)) throw problemFrom({ code: 'LOOKUP_INVALID' });
        const found = await ops.lookup(
          actor(request),
          phone !== undefined ? { phone } : { idNumber: idNumber as string },
        );
        if (!found.ok) throw problemFrom(found.error);
        return { items: found.value };
      },
    );

    app.get<{ Params: { id: string }; Querystring: { reveal?: boolean } }>(
      '/api/v1/ops/customers/:id',
      {
        config: may('customers.view'),
        schema: {
          operationId: 'getCustomer',
          tags,
          summary:
            'A holder: wallet, tier, limits and usage, recent movements, devices, restrictions and cases. ' +
            '`reveal=true` unmasks personal data (KYC reviewers and admins; audited)',
          params: Id,
          querystring: Type.Object({ reveal: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          problems: ['CUSTOMER_NOT_FOUND'],
          response: { 200: Type.Unknown() },
        },
      },
      async (request) => {
        const reveal = request.query.reveal === true;
        if (reveal && !allows(request.principal?.roles, 'customers.reveal')) throw new Problem('FORBIDDEN');
        const found = await ops.customer(actor(request), request.params.id, reveal);
        if (!found.ok) throw problemFrom(found.error);
        const { profile, wallet, usage, movements, devices, restrictions, cases } = found.value;
        return jsonSafe({
          profile,
          revealed: reveal,
          wallet: wallet && {
            accountId: wallet.accountId,
            currency: wallet.currency,
            balance: wallet.balanceFen,
            available: wallet.availableFen,
            pendingDebits: wallet.pendingDebitsFen,
            frozen: wallet.frozen,
            limits: wallet.limits,
          },
          usage,
          movements: movements.map(movementDto),
          devices,
          restrictions: {
            active: restrictions.active && restrictionDto(restrictions.active),
            history: restrictions.history.map(restrictionDto),
          },
          cases: cases.map(caseDto),
        });
      },
    );

    app.get<{ Params: { id: string }; Querystring: { beforeSeq?: string; limit?: number } }>(
      '/api/v1/ops/customers/:id/movements',
      {
        config: may('customers.view'),
        schema: {
          operationId: 'listCustomerMovements',
          tags,
          summary: "A page of the holder's ledger movements, newest first (cursor: the last seq)",
          params: Id,
          querystring: Type.Object(
            { beforeSeq: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,18}$' })), limit: Limit },
            { additionalProperties: false },
          ),
          problems: ['CUSTOMER_NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(Type.Unknown()),
              nextBeforeSeq: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 20;
        const found = await ops.movements(actor(request), request.params.id, {
          beforeSeq: request.query.beforeSeq ? BigInt(request.query.beforeSeq) : undefined,
          limit,
        });
        if (!found.ok) throw problemFrom(found.error);
        const items = found.value.map(movementDto);
        return { items, nextBeforeSeq: items.length === limit ? items[items.length - 1].seq : null };
      },
    );

    for (const [path, permission, summary] of [
      ['freeze', 'customers.freeze', 'Freeze the wallet with a reason (the holder is told; audited)'],
      ['unfreeze', 'customers.unfreeze', 'Lift a freeze with a reason (the holder is told; audited)'],
    ] as const) {
      app.post<{ Params: { id: string }; Body: { reason: string } }>(
        `/api/v1/ops/customers/:id/${path}`,
        {
          config: may(permission),
          schema: {
            operationId: path === 'freeze' ? 'freezeCustomer' : 'unfreezeCustomer',
            tags,
            summary,
            params: Id,
            problems: ['CUSTOMER_NOT_FOUND', path === 'freeze' ? 'ALREADY_FROZEN' : 'NOT_FROZEN'],
            body: Type.Object({ reason: Reason }, { additionalProperties: false }),
            response: { 204: Type.Null() },
          },
        },
        async (request, reply) => {
          const done =
            path === 'freeze'
              ? await ops.freeze(actor(request), request.params.id, request.body.reason)
              : await ops.unfreeze(actor(request), request.params.id, request.body.reason);
          if (!done.ok) throw problemFrom(done.error);
          return reply.code(204).send();
        },
      );
    }

    app.get<{ Querystring: { status?: 'open' | 'closed'; userId?: string; before?: string; limit?: number } }>(
      '/api/v1/ops/cases',
      {
        config: may('cases.view'),
        schema: {
          operationId: 'listCases',
          tags,
          summary: 'Theft-report cases, newest first (cursor: the last id)',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
              userId: Type.Optional(Type.String({ maxLength: 64 })),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Limit,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(CaseSchema), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 50;
        const items = await ops.cases(actor(request), {
          status: request.query.status,
          userId: request.query.userId,
          before: request.query.before,
          limit,
        });
        return { items: items.map(caseDto), nextBefore: items.length === limit ? items[items.length - 1].id : null };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ops/cases/:id',
      {
        config: may('cases.view'),
        schema: {
          operationId: 'getCase',
          tags,
          summary: 'A case with its holder (masked) and its attached movements',
          params: Id,
          problems: ['CASE_NOT_FOUND'],
          response: { 200: Type.Unknown() },
        },
      },
      async (request) => {
        const found = await ops.caseDetail(actor(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        return jsonSafe({
          case: caseDto(found.value.case),
          holder: found.value.holder,
          movements: found.value.movements.map(movementDto),
        });
      },
    );

    app.post<{ Params: { id: string }; Body: { note: string } }>(
      '/api/v1/ops/cases/:id/close',
      {
        config: may('cases.close'),
        schema: {
          operationId: 'closeCase',
          tags,
          summary: 'Close a case with a note (audited)',
          params: Id,
          body: Type.Object({ note: Reason }, { additionalProperties: false }),
          problems: ['CASE_NOT_FOUND', 'CASE_ALREADY_CLOSED'],
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const closed = await ops.closeCase(actor(request), request.params.id, request.body.note);
        if (!closed.ok) throw problemFrom(closed.error);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/ops/maintenance',
      {
        config: may('maintenance.view'),
        schema: {
          operationId: 'listMaintenanceWindows',
          tags,
          summary: 'Maintenance windows open now or upcoming, in both languages',
          response: { 200: Type.Object({ items: Type.Array(WindowSchema) }) },
        },
      },
      async () => ({ items: (await ops.maintenanceWindows()).map((window) => windowDto(window, now())) }),
    );

    app.post<{
      Body: {
        feature: Feature;
        startsAt: string;
        endsAt: string;
        titleZh: string;
        titleEn: string;
        messageZh: string;
        messageEn: string;
      };
    }>(
      '/api/v1/ops/maintenance',
      {
        config: may('maintenance.manage'),
        schema: {
          operationId: 'scheduleMaintenanceWindow',
          tags,
          summary: 'Schedule a maintenance window with its announcement (audited)',
          body: Type.Object(
            {
              feature: Type.Union(FEATURES.map((f) => Type.Literal(f))),
              startsAt: DateTime,
              endsAt: DateTime,
              titleZh: Text(60),
              titleEn: Text(100),
              messageZh: Text(500),
              messageEn: Text(1000),
            },
            { additionalProperties: false },
          ),
          response: { 201: WindowSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const startsAt = new Date(body.startsAt);
        const endsAt = new Date(body.endsAt);
        if (Number.isNaN(startsAt.getTime()))
          throw new Problem('VALIDATION_FAILED', {}, [{ field: 'startsAt', message: 'not a date' }]);
        if (Number.isNaN(endsAt.getTime()))
          throw new Problem('VALIDATION_FAILED', {}, [{ field: 'endsAt', message: 'not a date' }]);
        const scheduled = await ops.scheduleMaintenance(actor(request), { ...body, startsAt, endsAt });
        if (!scheduled.ok) {
          const error = scheduled.error;
          if (error.code === 'VALIDATION_FAILED')
            throw new Problem('VALIDATION_FAILED', {}, [{ field: error.field, message: error.message }]);
          throw problemFrom(error);
        }
        return reply.code(201).send(windowDto(scheduled.value, now()));
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/ops/maintenance/:id/end',
      {
        config: may('maintenance.manage'),
        schema: {
          operationId: 'endMaintenanceWindow',
          tags,
          summary: 'End a window now (audited)',
          params: Id,
          problems: ['MAINTENANCE_WINDOW_NOT_FOUND'],
          response: { 200: WindowSchema },
        },
      },
      async (request) => {
        const ended = await ops.endMaintenance(actor(request), request.params.id);
        if (!ended.ok) throw problemFrom(ended.error);
        return windowDto(ended.value, now());
      },
    );

    app.get<{
      Querystring: {
        actorId?: string;
        actorKind?: 'user' | 'staff' | 'system' | 'operator';
        subjectId?: string;
        subjectType?: string;
        action?: string;
        actionPrefix?: string;
        from?: string;
        to?: string;
        cursor?: string;
        limit?: number;
      };
    }>(
      '/api/v1/ops/audit',
      {
        config: may('audit.search'),
        schema: {
          operationId: 'searchAuditLog',
          tags,
          summary: 'Search the audit log, newest first (cursor: nextCursor); the search itself is audited',
          querystring: Type.Object(
            {
              actorId: Type.Optional(Text(64)),
              actorKind: Type.Optional(Type.Union(['user', 'staff', 'system', 'operator'].map((k) => Type.Literal(k)))),
              subjectId: Type.Optional(Text(64)),
              subjectType: Type.Optional(Text(40)),
              action: Type.Optional(Text(80)),
              actionPrefix: Type.Optional(Text(80)),
              from: Type.Optional(DateTime),
              to: Type.Optional(DateTime),
              cursor: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,15}$' })),
              limit: Limit,
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(AuditSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const { cursor, from, to, ...rest } = request.query;
        const limit = request.query.limit ?? 50;
        const fromDate = from ? new Date(from) : undefined;
        const toDate = to ? new Date(to) : undefined;
        if (fromDate && Number.isNaN(fromDate.getTime()))
          throw new Problem('VALIDATION_FAILED', {}, [{ field: 'from', message: 'not a date' }]);
        if (toDate && Number.isNaN(toDate.getTime()))
          throw new Problem('VALIDATION_FAILED', {}, [{ field: 'to', message: 'not a date' }]);
        const items = await ops.searchAudit(actor(request), {
          ...rest,
          from: fromDate,
          to: toDate,
          beforeSeq: cursor ? Number(cursor) : undefined,
          limit,
        });
        return {
          items: items.map((entry) => ({
            ...entry,
            details: jsonSafe(entry.details),
            createdAt: entry.createdAt.toISOString(),
          })),
          nextCursor: items.length === limit ? String(items[items.length - 1].seq) : null,
        };
      },
    );
  };
}
