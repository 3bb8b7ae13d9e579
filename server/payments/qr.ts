import QRCode from 'qrcode';
import { randomToken } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { COMMON_CHARSET, encodeMpm, parseMpm } from './emv/mpm.js';
import { schemeLabel, schemesOf } from './emv/schemes.js';
import { latinCityFor, latinNameFor } from './latin.js';
import * as merchantStore from './store-merchants.js';
import * as store from './store-payments.js';
import type { PaymentsDeps } from './deps.js';
import { type MerchantRow, type PaymentError, type QrCodeRow, TONGBAO_GUID } from './types.js';

/** Merchant-presented QR codes: issuing static and dynamic codes, drawing them, and reading a scanned one back. */

export const DYNAMIC_QR_DEFAULT_TTL_S = 300;
export const DYNAMIC_QR_MAX_TTL_S = 24 * 3600;

export interface QrView {
  id: string;
  kind: 'static' | 'dynamic';
  payload: string;
  amountFen: bigint | null;
  orderReference: string | null;
  terminalLabel: string | null;
  status: string;
  expiresAt: Date | null;
  createdAt: Date;
}

export const qrView = (row: QrCodeRow): QrView => ({
  id: row.id,
  kind: row.kind,
  payload: row.payload,
  amountFen: row.amount,
  orderReference: row.order_reference,
  terminalLabel: row.terminal_label,
  status: row.status,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
});

/** What a scanned payload pays: the merchant, and for our own codes the code itself. */
export interface ResolvedPayee {
  merchant: MerchantRow;
  qr: QrCodeRow | null;
  kind: 'static' | 'dynamic';
  /** Fixed by a dynamic code; null when the payer types it. */
  amountFen: bigint | null;
  orderReference: string | null;
}

const hasLocalText = (merchant: MerchantRow) =>
  !COMMON_CHARSET.test(merchant.name) || !COMMON_CHARSET.test(merchant.city);

export function createQrCodes(deps: PaymentsDeps) {
  const { db, clock } = deps;

  return {
    async create(
      merchantId: string,
      input: {
        kind: 'static' | 'dynamic';
        amountFen?: bigint;
        orderReference?: string;
        terminalLabel?: string;
        expiresInSeconds?: number;
      },
    ): Promise<Result<QrView, PaymentError>> {
      const merchant = await merchantStore.findMerchant(db, merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      if (input.kind === 'dynamic' && input.amountFen === undefined) return err({ code: 'AMOUNT_REQUIRED' });
      const now = clock.now();
      const label = `Q${randomToken(12)}`;
      const dynamic = input.kind === 'dynamic';
      const payload = encodeMpm({
        initiation: input.kind,
        guid: TONGBAO_GUID,
        merchantNumber: merchant.merchant_number,
        mcc: merchant.mcc,
        amountFen: dynamic ? input.amountFen : undefined,
        merchantName: latinNameFor(merchant),
        merchantCity: latinCityFor(merchant),
        // The Chinese name and city in tag 64 (the language template), as the EMVCo sample does.
        local: hasLocalText(merchant)
          ? { language: 'ZH', merchantName: merchant.name, merchantCity: merchant.city }
          : undefined,
        billNumber: dynamic ? input.orderReference : undefined,
        referenceLabel: label,
        terminalLabel: input.terminalLabel,
      });
      if (!payload.ok)
        return err({
          code: 'QR_PAYLOAD_INVALID',
          reason: payload.error.code,
          position: payload.error.position,
          tag: payload.error.tag,
          detail: payload.error.message,
        });
      const row: QrCodeRow = {
        id: newId('qr', now.getTime()),
        merchant_id: merchantId,
        kind: input.kind,
        label,
        amount: dynamic ? (input.amountFen as bigint) : null,
        order_reference: dynamic ? (input.orderReference ?? null) : null,
        terminal_label: input.terminalLabel ?? null,
        payload: payload.value,
        status: 'active',
        paid_payment_id: null,
        expires_at: dynamic
          ? new Date(
              now.getTime() + Math.min(input.expiresInSeconds ?? DYNAMIC_QR_DEFAULT_TTL_S, DYNAMIC_QR_MAX_TTL_S) * 1000,
            )
          : null,
        created_at: now,
      };
      await store.insertQrCode(db, row);
      return ok(qrView(row));
    },

    async get(merchantId: string, id: string): Promise<QrView | null> {
      const row = await store.findQrCode(db, id);
      return row && row.merchant_id === merchantId ? qrView(row) : null;
    },

    async list(merchantId: string, limit = 50): Promise<QrView[]> {
      return (await store.listQrCodes(db, merchantId, Math.min(Math.max(limit, 1), 100))).map(qrView);
    },

    /** A code's state for the code's issuer (online checkout): active, paid (by which payment) or revoked. */
    async state(
      id: string,
    ): Promise<{ status: QrCodeRow['status']; paidPaymentId: string | null; payload: string } | null> {
      const row = await store.findQrCode(db, id);
      return row ? { status: row.status, paidPaymentId: row.paid_payment_id, payload: row.payload } : null;
    },

    /** Revokes an unpaid dynamic code so it can no longer be paid; false when it was paid first. */
    revoke: (id: string): Promise<boolean> => store.revokeQrCode(db, id),

    /** The code drawn as PNG (error correction M, 8 pixels a module) or SVG. */
    async render(payload: string, format: 'png' | 'svg'): Promise<Buffer | string> {
      if (format === 'svg') return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
    },

    /**
     * Reads a scanned payload: a code of another wallet is read but refused; ours resolves to an
     * active merchant and, when it carries our reference label, to the exact code issued (the
     * payload must match it character for character, so amounts are never taken from the payload).
     */
    async resolve(payloadText: string): Promise<Result<ResolvedPayee, PaymentError>> {
      const parsed = parseMpm(payloadText);
      if (!parsed.ok)
        return err({
          code: 'QR_PAYLOAD_INVALID',
          reason: parsed.error.code,
          position: parsed.error.position,
          tag: parsed.error.tag,
          detail: parsed.error.message,
        });
      const payload = parsed.value;
      const account = payload.merchantAccounts.find((candidate) => candidate.guid === TONGBAO_GUID);
      if (!account) {
        // Another country's scheme is named, so the holder knows why ("PromptPay (Thailand) is not supported").
        const scheme = schemesOf(payload).find((candidate) => candidate.id !== 'tongbao');
        if (scheme)
          return err({
            code: 'QR_SCHEME_NOT_SUPPORTED',
            scheme,
            detail: `${schemeLabel(scheme, 'en')} is not supported`,
            detailZh: `暂不支持${schemeLabel(scheme, 'zh')}收款码`,
          });
      }
      if (!account || payload.currency !== '156')
        return err({ code: 'QR_NOT_SUPPORTED', guids: payload.merchantAccounts.map((candidate) => candidate.guid) });
      const label = payload.additionalData?.referenceLabel ?? null;
      // The merchant and the code are read side by side: neither read waits for the other.
      const [merchant, qr] = await Promise.all([
        account.fields['01'] ? merchantStore.findMerchantByNumber(db, account.fields['01']) : null,
        label ? store.findQrCodeByLabel(db, label) : null,
      ]);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      if (label && (!qr || qr.merchant_id !== merchant.id || qr.payload !== payloadText))
        return err({ code: 'QR_NOT_FOUND' });
      if (qr?.kind === 'dynamic') {
        if (qr.status !== 'active') return err({ code: qr.status === 'paid' ? 'QR_ALREADY_PAID' : 'QR_NOT_FOUND' });
        if ((qr.expires_at as Date) <= clock.now()) return err({ code: 'QR_EXPIRED' });
        return ok({ merchant, qr, kind: 'dynamic', amountFen: qr.amount, orderReference: qr.order_reference });
      }
      if (payload.initiation === 'dynamic' || payload.amount !== null) {
        // A dynamic code we did not issue: its amount cannot be trusted, and it cannot be marked paid.
        if (!qr) return err({ code: 'QR_NOT_FOUND' });
      }
      return ok({ merchant, qr, kind: 'static', amountFen: null, orderReference: null });
    },
  };
}

export type QrCodes = ReturnType<typeof createQrCodes>;
