import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApprovalSchema, approvalDto, partyOf } from '../approvals/routes.js';
import type { ApprovalError, ApprovalRow } from '../approvals/service.js';
import { Type } from 'typebox';
import { Amount, Currency, Id } from '../platform/http/schemas.js';
import { fenFromJson, fenToJson } from '../platform/money.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import type { Result } from '../platform/result.js';
import type { OperatorMovements } from './operator-movements.js';
import type { LedgerError } from './errors.js';
import type { LedgerService } from './service.js';
import {
  ACCOUNT_KINDS,
  type AccountLimits,
  type AccountView,
  type EntryView,
  type HoldView,
  LIMIT_NAMES,
} from './types.js';

/**
 * The operator's ledger API: internal, behind the operator token. Wallet holders never call it;
 * their domains (wallet, transfers, payments) ask the ledger service on their behalf.
 */

const Reference = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:/-]+$' });
export { Id };
const Metadata = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([
    Type.String({ maxLength: 500 }),
    Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
    Type.Boolean(),
    Type.Null(),
  ]),
  { maxProperties: 20 },
);
const Limits = Type.Object(
  Object.fromEntries(
    LIMIT_NAMES.map((name) => [name, Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }))]),
  ),
  { additionalProperties: false },
);

const AccountSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  currency: Type.String(),
  ownerRef: Type.Union([Type.String(), Type.Null()]),
  balance: Type.Integer(),
  pendingDebits: Type.Integer(),
  pendingCredits: Type.Integer(),
  available: Type.Integer(),
  frozen: Type.Boolean(),
  limits: Type.Record(Type.String(), Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
});
const PostingSchema = Type.Object({
  accountId: Type.String(),
  amount: Type.Integer({ description: 'Positive credits, negative debits' }),
});
export const EntrySchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  reference: Type.String(),
  kind: Type.String(),
  currency: Type.String(),
  postings: Type.Array(PostingSchema),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  holdId: Type.Union([Type.String(), Type.Null()]),
  reversesEntryId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  hash: Type.String(),
});
export const HoldSchema = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  debitAccountId: Type.String(),
  creditAccountId: Type.String(),
  currency: Type.String(),
  amount: Type.Integer(),
  status: Type.String(),
  postedAmount: Type.Union([Type.Integer(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

function accountDto(account: AccountView) {
  const limits: Record<string, number> = {};
  for (const name of LIMIT_NAMES) {
    const value = account.limits[name];
    if (value !== undefined) limits[name] = fenToJson(value);
  }
  return {
    id: account.id,
    kind: account.kind,
    currency: account.currency,
    ownerRef: account.ownerRef,
    balance: fenToJson(account.balanceFen),
    pendingDebits: fenToJson(account.pendingDebitsFen),
    pendingCredits: fenToJson(account.pendingCreditsFen),
    available: fenToJson(account.availableFen),
    frozen: account.frozen,
    limits,
    createdAt: account.createdAt.toISOString(),
  };
}

export function entryDto(entry: EntryView) {
  return {
    id: entry.id,
    seq: Number(entry.seq),
    reference: entry.reference,
    kind: entry.kind,
    currency: entry.currency,
    postings: entry.postings.map((posting) => ({ accountId: posting.accountId, amount: fenToJson(posting.amountFen) })),
    metadata: entry.metadata,
    holdId: entry.holdId,
    reversesEntryId: entry.reversesEntryId,
    createdAt: entry.createdAt.toISOString(),
    hash: entry.hash,
  };
}

export function holdDto(hold: HoldView) {
  return {
    id: hold.id,
    reference: hold.reference,
    debitAccountId: hold.debitAccountId,
    creditAccountId: hold.creditAccountId,
    currency: hold.currency,
    amount: fenToJson(hold.amountFen),
    status: hold.status,
    postedAmount: hold.postedAmountFen === null ? null : fenToJson(hold.postedAmountFen),
    expiresAt: hold.expiresAt.toISOString(),
    createdAt: hold.createdAt.toISOString(),
    resolvedAt: hold.resolvedAt?.toISOString() ?? null,
  };
}

/** One exhaustive map from ledger failures to problems; the details help the caller act. */
export function ledgerProblem(error: LedgerError): Problem {
  const { code, ...details } = error;
  return new Problem(code, details);
}

function limitsFromBody(body: Record<string, number | undefined> | undefined): AccountLimits {
  const limits: AccountLimits = {};
  for (const name of LIMIT_NAMES) {
    const value = body?.[name];
    if (value !== undefined) limits[name] = fenFromJson(value);
  }
  return limits;
}

export const operatorOnly = { auth: ['operator'] as const, feature: 'ledger' };
const PendingSchema = Type.Object({ approval: ApprovalSchema });

/** A movement asked for: 202 with the pending approval a second person must decide. */
function pendingMovement(reply: FastifyReply, requested: Result<ApprovalRow, ApprovalError>) {
  if (!requested.ok) throw problemFrom(requested.error);
  return reply.code(202).send({ approval: approvalDto(requested.value) });
}
export const moneyMoving = { ...operatorOnly, idempotent: true };
export const security = [{ operatorToken: [] }];

export function ledgerRoutes(ledger: LedgerService, movements: OperatorMovements) {
  return async (app: FastifyInstance) => {
    app.post<{
      Body: {
        kind: (typeof ACCOUNT_KINDS)[number];
        currency: 'CNY';
        ownerRef?: string;
        limits?: Record<string, number>;
      };
    }>(
      '/api/v1/ledger/accounts',
      {
        config: operatorOnly,
        schema: {
          operationId: 'openLedgerAccount',
          tags: ['ledger'],
          summary: 'Open a ledger account',
          security,
          body: Type.Object(
            {
              kind: Type.Union(ACCOUNT_KINDS.map((kind) => Type.Literal(kind))),
              currency: Currency,
              ownerRef: Type.Optional(Type.String({ maxLength: 64 })),
              limits: Type.Optional(Limits),
            },
            { additionalProperties: false },
          ),
          response: { 201: AccountSchema },
        },
      },
      async (request, reply) => {
        const account = await ledger.createAccount({ ...request.body, limits: limitsFromBody(request.body.limits) });
        return reply.code(201).send(accountDto(account));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ledger/accounts/:id',
      {
        config: operatorOnly,
        schema: {
          operationId: 'getLedgerAccount',
          tags: ['ledger'],
          summary: 'An account with its balances',
          security,
          params: Type.Object({ id: Id }),
          problems: ['ACCOUNT_NOT_FOUND'],
          response: { 200: AccountSchema },
        },
      },
      async (request) => {
        const account = await ledger.getAccount(request.params.id);
        if (!account) throw ledgerProblem({ code: 'ACCOUNT_NOT_FOUND', accountId: request.params.id });
        return accountDto(account);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { before?: number; limit?: number } }>(
      '/api/v1/ledger/accounts/:id/entries',
      {
        config: operatorOnly,
        schema: {
          operationId: 'listLedgerAccountEntries',
          tags: ['ledger'],
          summary: "An account's journal entries, newest first",
          security,
          params: Type.Object({ id: Id }),
          querystring: Type.Object({
            before: Type.Optional(Type.Integer({ minimum: 1 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({ items: Type.Array(EntrySchema), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const limit = request.query.limit ?? 20;
        const entries = await ledger.listEntries(request.params.id, {
          beforeSeq: request.query.before ? BigInt(request.query.before) : undefined,
          limit,
        });
        const last = entries.at(-1);
        return { items: entries.map(entryDto), nextBefore: entries.length === limit && last ? Number(last.seq) : null };
      },
    );

    app.post<{
      Body: {
        reference: string;
        currency: 'CNY';
        legs: { debitAccountId: string; creditAccountId: string; amount: number }[];
        metadata?: Record<string, string | number | boolean | null>;
      };
    }>(
      '/api/v1/ledger/transfers',
      {
        config: moneyMoving,
        schema: {
          operationId: 'requestLedgerTransfer',
          tags: ['ledger'],
          summary:
            'Ask to move money (one or more legs, all or nothing): 202, pending until a second operator or an admin ' +
            'approves it',
          security,
          body: Type.Object(
            {
              reference: Reference,
              currency: Currency,
              legs: Type.Array(
                Type.Object(
                  { debitAccountId: Id, creditAccountId: Id, amount: Amount },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: 10 },
              ),
              metadata: Type.Optional(Metadata),
            },
            { additionalProperties: false },
          ),
          problems: ['APPROVAL_ALREADY_PENDING'],
          response: { 202: PendingSchema },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const movement = {
          type: 'transfer' as const,
          reference: body.reference,
          currency: body.currency,
          legs: body.legs,
          ...(body.metadata ? { metadata: body.metadata } : {}),
        };
        return pendingMovement(reply, await movements.request(movement, partyOf(request)));
      },
    );

    app.post<{
      Body: {
        reference: string;
        currency: 'CNY';
        debitAccountId: string;
        creditAccountId: string;
        amount: number;
        expiresInSeconds: number;
        metadata?: Record<string, string | number | boolean | null>;
      };
    }>(
      '/api/v1/ledger/holds',
      {
        config: moneyMoving,
        schema: {
          operationId: 'placeLedgerHold',
          tags: ['ledger'],
          summary: 'Reserve funds (a pending transfer) until posted, voided or expired',
          security,
          body: Type.Object(
            {
              reference: Reference,
              currency: Currency,
              debitAccountId: Id,
              creditAccountId: Id,
              amount: Amount,
              expiresInSeconds: Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600 }),
              metadata: Type.Optional(Metadata),
            },
            { additionalProperties: false },
          ),
          problems: [
            'ACCOUNT_NOT_FOUND',
            'ACCOUNT_FROZEN',
            'CURRENCY_MISMATCH',
            'INSUFFICIENT_FUNDS',
            'LIMIT_EXCEEDED',
            'INVALID_AMOUNT',
            'REFERENCE_CONFLICT',
          ],
          response: { 201: Type.Object({ hold: HoldSchema, replayed: Type.Boolean() }) },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const result = await ledger.hold({
          reference: body.reference,
          currency: body.currency,
          debitAccountId: body.debitAccountId,
          creditAccountId: body.creditAccountId,
          amountFen: fenFromJson(body.amount),
          expiresAt: new Date(Date.now() + body.expiresInSeconds * 1000),
          metadata: { ...body.metadata, initiator: 'operator' },
        });
        if (!result.ok) throw ledgerProblem(result.error);
        return reply.code(201).send({ hold: holdDto(result.value.hold), replayed: result.value.replayed });
      },
    );

    app.post<{ Params: { id: string }; Body: { reference: string; amount?: number } }>(
      '/api/v1/ledger/holds/:id/post',
      {
        config: moneyMoving,
        schema: {
          operationId: 'requestLedgerHoldPosting',
          tags: ['ledger'],
          summary: 'Ask to post a hold in full or in part (the rest is released): 202, pending until a second approval',
          security,
          params: Type.Object({ id: Id }),
          body: Type.Object({ reference: Reference, amount: Type.Optional(Amount) }, { additionalProperties: false }),
          problems: ['APPROVAL_ALREADY_PENDING'],
          response: { 202: PendingSchema },
        },
      },
      async (request, reply) => {
        const movement = {
          type: 'post_hold' as const,
          reference: request.body.reference,
          holdId: request.params.id,
          ...(request.body.amount === undefined ? {} : { amount: request.body.amount }),
        };
        return pendingMovement(reply, await movements.request(movement, partyOf(request)));
      },
    );

    app.post<{ Params: { id: string }; Body: { reference: string } }>(
      '/api/v1/ledger/holds/:id/void',
      {
        config: moneyMoving,
        schema: {
          operationId: 'voidLedgerHold',
          tags: ['ledger'],
          summary: 'Release a hold without moving money',
          security,
          params: Type.Object({ id: Id }),
          body: Type.Object({ reference: Reference }, { additionalProperties: false }),
          problems: ['HOLD_NOT_FOUND', 'HOLD_ALREADY_RESOLVED', 'REFERENCE_CONFLICT'],
          response: { 200: Type.Object({ hold: HoldSchema, replayed: Type.Boolean() }) },
        },
      },
      async (request) => {
        const result = await ledger.voidHold({ reference: request.body.reference, holdId: request.params.id });
        if (!result.ok) throw ledgerProblem(result.error);
        return { hold: holdDto(result.value.hold), replayed: result.value.replayed };
      },
    );

    app.post<{ Params: { id: string }; Body: { reference: string; reason?: string } }>(
      '/api/v1/ledger/entries/:id/reverse',
      {
        config: moneyMoving,
        schema: {
          operationId: 'requestLedgerEntryReversal',
          tags: ['ledger'],
          summary: 'Ask to correct an entry with its exact opposite: 202, pending until a second approval',
          security,
          params: Type.Object({ id: Id }),
          body: Type.Object(
            { reference: Reference, reason: Type.Optional(Type.String({ maxLength: 500 })) },
            { additionalProperties: false },
          ),
          problems: ['APPROVAL_ALREADY_PENDING'],
          response: { 202: PendingSchema },
        },
      },
      async (request, reply) => {
        const movement = {
          type: 'reverse' as const,
          reference: request.body.reference,
          entryId: request.params.id,
          ...(request.body.reason ? { reason: request.body.reason } : {}),
        };
        return pendingMovement(reply, await movements.request(movement, partyOf(request)));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/ledger/entries/:id',
      {
        config: operatorOnly,
        schema: {
          operationId: 'getLedgerEntry',
          tags: ['ledger'],
          summary: 'One journal entry',
          security,
          params: Type.Object({ id: Id }),
          problems: ['ENTRY_NOT_FOUND'],
          response: { 200: EntrySchema },
        },
      },
      async (request) => {
        const entry = await ledger.getEntry(request.params.id);
        if (!entry) throw ledgerProblem({ code: 'ENTRY_NOT_FOUND', entryId: request.params.id });
        return entryDto(entry);
      },
    );
  };
}
