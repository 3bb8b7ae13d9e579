import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { Id } from '../platform/http/schemas.js';
import { expectedInterest } from './deposits.js';
import { formatE4 } from './rules.js';
import { type CertificateDocument, type ManualDocument, certificatePdf, manualPdf } from './pdf.js';
import type { SavingsService } from './service.js';

/**
 * The savings documents as PDF: a holder's deposit certificate (only the holder's own: another's
 * answers 404 like the data route) and any product's manual. Rendered by pdf.ts from the same
 * service calls the JSON routes use.
 */

const tags = ['savings'];
const user = { auth: ['user'] as const, feature: 'savings' };
const me = (request: FastifyRequest) => request.principal?.id as string;
const Pdf = { 200: Type.Any({ description: 'application/pdf' }) };

/** "110101199003071233" → "110***********1233"; names stay as the holder's own document shows them. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.includes('*') || idNumber.length < 8) return idNumber;
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

export function savingsDocumentRoutes(savings: SavingsService) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/deposits/:id/certificate.pdf',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetDepositCertificatePdf',
          problems: ['SAVINGS_DEPOSIT_NOT_FOUND'],
          summary: 'My deposit certificate (存单) as a PDF',
          params: Type.Object({ id: Id }),
          response: Pdf,
        },
      },
      async (request, reply) => {
        const certificate = await savings.deposits.certificate(me(request), request.params.id);
        if (!certificate) throw problemFrom({ code: 'SAVINGS_DEPOSIT_NOT_FOUND' });
        const { deposit, holder } = certificate;
        const product = await savings.products.get(deposit.product_id);
        const name = product?.terms.name ?? { zh: deposit.product_id, en: deposit.product_id };
        const document: CertificateDocument = {
          certificateNo: certificate.certificateNo,
          holderName: holder.name,
          maskedIdNumber: maskIdNumber(holder.idNumber),
          productNameZh: name.zh,
          productNameEn: name.en,
          termMonths: deposit.term_months,
          principalFen: deposit.principal,
          annualRatePercent: formatE4(deposit.rate_e4),
          demandRatePercent: formatE4(deposit.demand_rate_e4),
          valueDay: deposit.opened_on,
          maturityDay: deposit.matures_on,
          atMaturity: deposit.maturity_choice,
          interestAtMaturityFen: expectedInterest(deposit),
          status: deposit.status,
          openedAt: deposit.created_at,
          generatedAt: savings.clock.now(),
        };
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="tongbao-deposit-${certificate.certificateNo}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(await certificatePdf(document));
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/savings/products/:id/manual.pdf',
      {
        config: user,
        schema: {
          tags,
          operationId: 'savingsGetProductManualPdf',
          problems: ['SAVINGS_PRODUCT_NOT_FOUND'],
          summary: 'A product manual (产品说明书) as a PDF: the version in effect now',
          params: Type.Object({ id: Id }),
          response: Pdf,
        },
      },
      async (request, reply) => {
        const product = await savings.products.get(request.params.id);
        if (!product) throw problemFrom({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
        const t = product.terms;
        const latest = product.kind === 'fund' ? await savings.products.latestYield(product) : null;
        const rateLinesZh: string[] = [];
        const rateLinesEn: string[] = [];
        if (t.rateE4 !== null) {
          rateLinesZh.push(`年利率 ${formatE4(BigInt(t.rateE4))}%`);
          rateLinesEn.push(`Annual rate ${formatE4(BigInt(t.rateE4))}%`);
        }
        if (t.demandRateE4 !== null) {
          rateLinesZh.push(`提前支取按活期利率 ${formatE4(BigInt(t.demandRateE4))}%`);
          rateLinesEn.push(`Early withdrawal at the demand rate ${formatE4(BigInt(t.demandRateE4))}%`);
        }
        if (latest) {
          const yield7d = formatE4(latest.yield7d_e4);
          const per10k = formatE4(latest.per10k_e4);
          rateLinesZh.push(`七日年化收益率 ${yield7d}%，万份收益 ${per10k} 元（${latest.day}）`);
          rateLinesEn.push(`7-day annualised yield ${yield7d}%, ¥${per10k} per 10,000 units (${latest.day})`);
        }
        if (!rateLinesZh.length) {
          rateLinesZh.push('暂无');
          rateLinesEn.push('None published yet');
        }
        const document: ManualDocument = {
          productId: product.code,
          nameZh: t.name.zh,
          nameEn: t.name.en,
          kind: product.kind,
          riskLevel: t.riskLevel,
          minimumFen: BigInt(t.minimumFen),
          rateLinesZh,
          rateLinesEn,
          feesZh: t.fees.zh,
          feesEn: t.fees.en,
          manualZh: t.manual.zh,
          manualEn: t.manual.en,
          riskWarningZh: t.riskWarning.zh,
          riskWarningEn: t.riskWarning.en,
          version: String(product.version),
          effectiveFrom: product.effective_at,
          generatedAt: savings.clock.now(),
        };
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="tongbao-${product.code}-manual.pdf"`)
          .send(await manualPdf(document));
      },
    );
  };
}
