import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Amount } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson } from '../platform/money.js';
import { CHANNELS, type Channel } from './explain.js';
import type { SupportService } from './service.js';
import { RECORD_KINDS, type RecordKind } from './types.js';

/** "Why did this fail?": the cause of a refused or failed record in words, and the next step. */

const tags = ['support'];
const me = (request: FastifyRequest) => request.principal?.id as string;
const Str = Type.String();

export const ExplanationSchema = Type.Object({
  kind: Str,
  id: Type.Union([Str, Type.Null()]),
  status: Str,
  failed: Type.Boolean(),
  cause: Type.Union([
    Type.Object({
      code: Str,
      titleZh: Str,
      titleEn: Str,
      detailZh: Str,
      detailEn: Str,
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
    Type.Null(),
  ]),
  nextSteps: Type.Array(Type.Object({ action: Str, labelZh: Str, labelEn: Str, path: Str })),
});

export function explanationRoutes(support: SupportService) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { kind: RecordKind; id: string } }>(
      '/api/v1/me/explanations/:kind/:id',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'explainMyRecord',
          tags,
          summary:
            'Why a payment, transfer, withdrawal, top-up, bill or held payment failed or waits: the cause from the ' +
            'data, and the next step',
          params: Type.Object({
            kind: Type.Union(RECORD_KINDS.filter((k) => k !== 'movement').map((k) => Type.Literal(k))),
            id: Type.String({ minLength: 1, maxLength: 64 }),
          }),
          problems: ['SUPPORT_RECORD_NOT_FOUND'],
          response: { 200: ExplanationSchema },
        },
      },
      async (request) => {
        const explained = await support.explainRecord(me(request), request.params);
        if (!explained) throw problemFrom({ code: 'SUPPORT_RECORD_NOT_FOUND', ...request.params });
        return explained;
      },
    );

    app.post<{ Body: { code: string; channel: Channel; amount?: number } }>(
      '/api/v1/me/explanations',
      {
        config: { auth: ['user'] as const },
        schema: {
          operationId: 'explainMyRefusal',
          tags,
          summary: 'Explain a refusal that left no record: send the problem code you were answered',
          body: Type.Object(
            {
              code: Type.String({ minLength: 2, maxLength: 60, pattern: '^[A-Z_]+$' }),
              channel: Type.Union(CHANNELS.map((c) => Type.Literal(c))),
              amount: Type.Optional(Amount),
            },
            { additionalProperties: false },
          ),
          response: { 200: ExplanationSchema },
        },
      },
      async (request) => {
        const { code, channel, amount } = request.body;
        return support.explainRefusal(me(request), {
          code,
          channel,
          amountFen: amount === undefined ? null : fenFromJson(amount),
        });
      },
    );
  };
}
