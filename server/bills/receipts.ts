import { type Result, err, ok } from '../platform/result.js';
import type { BillError, Billers } from './billers.js';
import type { BillsDeps } from './deps.js';
import * as store from './store-payments.js';

/**
 * The electronic bill payment receipt (电子缴费凭证): everything the printed slip shows, as data;
 * the wallet renders it on screen and as a PDF.
 */
export interface ReceiptView {
  receiptNumber: string;
  paymentId: string;
  status: 'succeeded';
  titleZh: string;
  titleEn: string;
  payerName: string;
  payerAccount: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  cityName: string;
  cityNameEn: string;
  accountNumber: string;
  accountHolderName: string | null;
  period: string | null;
  billAmountFen: bigint;
  lateFeeFen: bigint;
  amountFen: bigint;
  currency: string;
  lateFeeBorneFen: bigint;
  channel: string;
  channelEn: string;
  networkRef: string | null;
  entryId: string | null;
  paidAt: Date;
  issuer: string;
  sealText: string;
}

export function createReceipts(deps: BillsDeps, billers: Billers) {
  return {
    async receipt(userId: string, paymentId: string): Promise<Result<ReceiptView, BillError>> {
      const row = await store.findUserPayment(deps.db, userId, paymentId);
      if (!row) return err({ code: 'BILL_PAYMENT_NOT_FOUND' });
      if (row.status !== 'succeeded' || !row.receipt_number || !row.completed_at)
        return err({ code: 'BILL_RECEIPT_NOT_READY', status: row.status });
      const biller = await billers.find(row.biller_id);
      const profile = await deps.identity.profile(userId);
      return ok({
        receiptNumber: row.receipt_number,
        paymentId: row.id,
        status: 'succeeded',
        titleZh: '电子缴费凭证',
        titleEn: 'Electronic bill payment receipt',
        payerName: profile?.name ?? '',
        payerAccount: profile?.phone ?? '',
        billerName: biller?.name ?? row.biller_id,
        billerNameEn: biller?.name_en ?? row.biller_id,
        billerType: biller?.type ?? '',
        cityName: biller?.city_name ?? '',
        cityNameEn: biller?.city_name_en ?? '',
        accountNumber: row.account_number,
        accountHolderName: row.holder_name,
        period: row.period,
        billAmountFen: row.bill_amount,
        lateFeeFen: row.late_fee,
        amountFen: row.amount,
        currency: row.currency,
        lateFeeBorneFen: row.late_fee_borne,
        channel: '通宝钱包',
        channelEn: 'Tongbao wallet',
        networkRef: row.network_ref,
        entryId: row.entry_id,
        paidAt: row.completed_at,
        issuer: '通宝 Tongbao',
        sealText: '通宝电子缴费专用章',
      });
    },
  };
}
