import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IdParams } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { receiptPdf } from './receipt-pdf.js';
import type { BillsService } from './service.js';

/**
 * The electronic bill-payment receipt (电子缴费凭证) as a PDF: the holder's own, once paid. The same
 * data as `GET /api/v1/bills/payments/:id/receipt`; another holder's payment is not found.
 */

const me = (request: FastifyRequest) => request.principal?.id as string;

export function billReceiptRoutes(bills: BillsService, now: () => Date) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>(
      '/api/v1/bills/payments/:id/receipt.pdf',
      {
        config: { auth: ['user'] as const, feature: 'bills' },
        schema: {
          tags: ['bills'],
          operationId: 'downloadBillReceiptPdf',
          summary: 'The electronic receipt (电子缴费凭证) of a paid bill, as a PDF',
          params: IdParams,
          problems: ['BILL_PAYMENT_NOT_FOUND', 'BILL_RECEIPT_NOT_READY'],
        },
      },
      async (request, reply) => {
        const found = await bills.receipts.receipt(me(request), request.params.id);
        if (!found.ok) throw problemFrom(found.error);
        const pdf = await receiptPdf(found.value, now());
        return reply
          .type('application/pdf')
          .header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="tongbao-receipt-${found.value.receiptNumber}.pdf"`)
          .send(pdf);
      },
    );
  };
}
