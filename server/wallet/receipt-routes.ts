import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Id } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenToJson } from '../platform/money.js';
import { movementReceiptPdf } from './movement-receipt-pdf.js';
import type { WalletService } from './service.js';

const user = { auth: ['user'] as const, feature: 'wallet' };
const me = (request: FastifyRequest) => request.principal?.id as string;

/** Records like Alipay's: a month's money in and out (for the grouped list) and a movement's 电子回单. */
export function movementReceiptRoutes(wallet: WalletService) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { month: string } }>(
      '/api/v1/wallet/history/months/:month',
      {
        config: user,
        schema: {
          operationId: 'getMyMonthTotals',
          tags: ['wallet'],
          summary: "A month's posted money in and money out (Asia/Shanghai month, YYYY-MM)",
          params: Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }),
          problems: ['INVALID_DATE_RANGE', 'STATEMENT_TOO_LARGE'],
          response: {
            200: Type.Object({
              month: Type.String(),
              income: Type.Integer({ description: 'fen' }),
              spending: Type.Integer({ description: 'fen, positive' }),
              count: Type.Integer(),
            }),
          },
        },
      },
      async (request) => {
        const built = await wallet.statements.build(me(request), { month: request.params.month });
        if (!built.ok) throw problemFrom(built.error);
        return {
          month: request.params.month,
          income: fenToJson(built.value.totalInFen),
          spending: fenToJson(built.value.totalOutFen),
          count: built.value.lines.length,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/wallet/history/:id/receipt',
      {
        config: user,
        schema: {
          operationId: 'downloadMyMovementReceipt',
          tags: ['wallet'],
          summary: 'The electronic receipt (电子回单) of one movement, as PDF',
          params: Type.Object({ id: Id }),
          problems: ['MOVEMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const found = await wallet.history.receipt(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        const { movement, holderName, issuedAt } = found.value;
        const pdf = await movementReceiptPdf(movement, holderName, issuedAt);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="tongbao-receipt-${movement.transactionNo}.pdf"`)
          .send(pdf);
      },
    );
  };
}
