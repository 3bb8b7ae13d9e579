import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { Amount, Id } from '../platform/http/schemas.js';
import { fenFromJson } from '../platform/money.js';
import { CATEGORIES, CATEGORY_NAMES, type Category } from './categories.js';
import {
  AlertSchema,
  AssetsSchema,
  BudgetSchema,
  CategoryCode,
  KindCode,
  MonthSchema,
  MovementSchema,
  RuleSchema,
  YearSchema,
  alertDto,
  assetsDto,
  budgetDto,
  monthDto,
  movementDto,
  ruleDto,
  yearDto,
} from './dto.js';
import type { InsightsService } from './service.js';

/** The wallet's insights routes (docs/insights.md): views, categories and rules, budgets, assets. Thin handlers. */

const tags = ['insights'];
const user = { auth: ['user'] as const };
const me = (request: FastifyRequest) => request.principal?.id as string;
const MonthParam = Type.String({ pattern: '^\\d{4}-\\d{2}$' });
const NoContent = Type.Null();

export function insightsRoutes(insights: InsightsService) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/insights/categories',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsListCategories',
          summary: 'The spending categories, with their names',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({ code: Type.String(), name: Type.Object({ zh: Type.String(), en: Type.String() }) }),
              ),
            }),
          },
        },
      },
      async () => ({ items: CATEGORIES.map((code) => ({ code, name: CATEGORY_NAMES[code] })) }),
    );

    app.get<{ Params: { month: string } }>(
      '/api/v1/insights/months/:month',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsGetMonth',
          summary: 'A month: spent, by category, by day, top merchants, vs last month and the 6-month average',
          params: Type.Object({ month: MonthParam }),
          problems: ['INSIGHTS_MONTH_INVALID'],
          response: { 200: MonthSchema },
        },
      },
      async (request) => {
        const view = await insights.month(me(request), request.params.month);
        if (!view.ok) throw problemFrom(view.error);
        return monthDto(view.value);
      },
    );

    app.get<{
      Params: { month: string };
      Querystring: { category?: string; kind?: string; cursor?: string; limit?: number };
    }>(
      '/api/v1/insights/months/:month/movements',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsListMovements',
          summary: 'A month’s movements, newest first, optionally of one category (or none) or kind',
          params: Type.Object({ month: MonthParam }),
          querystring: Type.Object(
            {
              category: Type.Optional(Type.Union([CategoryCode, Type.Literal('none')])),
              kind: Type.Optional(KindCode),
              cursor: Type.Optional(Type.String({ maxLength: 200 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            },
            { additionalProperties: false },
          ),
          problems: ['INSIGHTS_MONTH_INVALID', 'INSIGHTS_CATEGORY_UNKNOWN', 'INVALID_CURSOR'],
          response: {
            200: Type.Object({
              items: Type.Array(MovementSchema),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const page = await insights.movements(me(request), { month: request.params.month, ...request.query });
        if (!page.ok) throw problemFrom(page.error);
        return { items: page.value.items.map(movementDto), nextCursor: page.value.nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/insights/movements/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsGetMovement',
          summary: 'One movement with its kind and category',
          params: Type.Object({ id: Id }),
          problems: ['INSIGHTS_MOVEMENT_NOT_FOUND'],
          response: { 200: MovementSchema },
        },
      },
      async (request) => {
        const found = await insights.movement(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        return movementDto(found.value);
      },
    );

    app.put<{ Params: { id: string }; Body: { category: Category | null } }>(
      '/api/v1/insights/movements/:id/category',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsCategoriseMovement',
          summary: 'Puts one outgoing movement in a category by hand (null: back to automatic); its refunds follow',
          params: Type.Object({ id: Id }),
          body: Type.Object({ category: Type.Union([CategoryCode, Type.Null()]) }, { additionalProperties: false }),
          problems: ['INSIGHTS_MOVEMENT_NOT_FOUND', 'INSIGHTS_NOT_CATEGORISABLE'],
          response: { 200: MovementSchema },
        },
      },
      async (request) => {
        const changed = await insights.setCategory(me(request), request.params.id, request.body.category);
        if (!changed.ok) throw problemFrom(changed.error);
        return movementDto(changed.value);
      },
    );

    app.get(
      '/api/v1/insights/rules',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsListRules',
          summary: 'The holder’s categorisation rules, newest first',
          response: { 200: Type.Object({ items: Type.Array(RuleSchema) }) },
        },
      },
      async (request) => ({ items: (await insights.listRules(me(request))).map(ruleDto) }),
    );

    app.post<{ Body: { match?: string; fromMovementId?: string; category: Category } }>(
      '/api/v1/insights/rules',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsCreateRule',
          summary: 'A rule (“payments to 张*三 are rent”): applies to past and future outgoing movements',
          body: Type.Object(
            {
              match: Type.Optional(Type.String({ maxLength: 100 })),
              fromMovementId: Type.Optional(Id),
              category: CategoryCode,
            },
            { additionalProperties: false },
          ),
          problems: [
            'INSIGHTS_RULE_INVALID',
            'INSIGHTS_RULE_LIMIT',
            'INSIGHTS_MOVEMENT_NOT_FOUND',
            'INSIGHTS_NOT_CATEGORISABLE',
          ],
          response: { 201: RuleSchema },
        },
      },
      async (request, reply) => {
        const created = await insights.createRule(me(request), request.body);
        if (!created.ok) throw problemFrom(created.error);
        return reply.code(201).send(ruleDto(created.value));
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/insights/rules/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsDeleteRule',
          summary: 'Deletes a rule; its movements go back to their automatic category',
          params: Type.Object({ id: Id }),
          problems: ['INSIGHTS_RULE_NOT_FOUND'],
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        const deleted = await insights.deleteRule(me(request), request.params.id);
        if (!deleted.ok) throw problemFrom(deleted.error);
        return reply.code(204).send();
      },
    );

    app.get<{ Params: { year: string } }>(
      '/api/v1/insights/years/:year',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsGetYear',
          summary: 'The annual report (年度账单): totals, months, categories, merchants, busiest day, facts',
          params: Type.Object({ year: Type.String({ pattern: '^\\d{4}$' }) }),
          problems: ['INSIGHTS_YEAR_INVALID'],
          response: { 200: YearSchema },
        },
      },
      async (request) => {
        const view = await insights.year(me(request), Number(request.params.year));
        if (!view.ok) throw problemFrom(view.error);
        return yearDto(view.value);
      },
    );

    app.get(
      '/api/v1/insights/assets',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsGetAssets',
          summary: '我的资产: wallet, savings, what is owed, linked cards, and the last 12 month-ends',
          response: { 200: AssetsSchema },
        },
      },
      async (request) => assetsDto(await insights.assets(me(request))),
    );

    app.get<{ Querystring: { month?: string } }>(
      '/api/v1/insights/budgets',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsListBudgets',
          summary: 'Budgets in force in a month (this month by default) with progress, forecast and alerts',
          querystring: Type.Object({ month: Type.Optional(MonthParam) }, { additionalProperties: false }),
          problems: ['INSIGHTS_MONTH_INVALID'],
          response: {
            200: Type.Object({
              month: Type.String(),
              items: Type.Array(BudgetSchema),
              alerts: Type.Array(AlertSchema),
            }),
          },
        },
      },
      async (request) => {
        const found = await insights.budgets(me(request), request.query.month);
        if (!found.ok) throw problemFrom(found.error);
        return {
          month: found.value.month,
          items: found.value.items.map(budgetDto),
          alerts: found.value.alerts.map(alertDto),
        };
      },
    );

    app.put<{ Body: { category: Category | null; amount: number } }>(
      '/api/v1/insights/budgets',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsSetBudget',
          summary: 'Sets the monthly budget, overall (category null) or of one category, from this month on',
          body: Type.Object(
            { category: Type.Union([CategoryCode, Type.Null()]), amount: Amount },
            { additionalProperties: false },
          ),
          response: { 200: BudgetSchema },
        },
      },
      async (request) =>
        budgetDto(await insights.setBudget(me(request), request.body.category, fenFromJson(request.body.amount))),
    );

    app.delete<{ Params: { id: string } }>(
      '/api/v1/insights/budgets/:id',
      {
        config: user,
        schema: {
          tags,
          operationId: 'insightsDeleteBudget',
          summary: 'Deletes a budget',
          params: Type.Object({ id: Id }),
          problems: ['INSIGHTS_BUDGET_NOT_FOUND'],
          response: { 204: NoContent },
        },
      },
      async (request, reply) => {
        const removed = await insights.removeBudget(me(request), request.params.id);
        if (!removed.ok) throw problemFrom(removed.error);
        return reply.code(204).send();
      },
    );
  };
}
