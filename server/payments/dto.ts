import { Type } from 'typebox';
import { fenToJson } from '../platform/money.js';
import type { PaymentView } from './payments.js';
import type { QrView } from './qr.js';
import type { MerchantView } from './merchants.js';

/** JSON shapes of this domain: amounts as integer fen named `amount`, times as ISO 8601. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });

export const PaymentSchema = Type.Object({
  id: Type.String(),
  merchantId: Type.String(),
  merchantName: Nullable(Type.String()),
  merchantNumber: Nullable(Type.String()),
  amount: Type.Integer(),
  currency: Type.String(),
  source: Type.String(),
  status: Type.String(),
  orderReference: Nullable(Type.String()),
  note: Nullable(Type.String()),
  passwordFree: Type.Boolean(),
  refundedAmount: Type.Integer(),
  confirmationId: Nullable(Type.String()),
  expiresAt: Time,
  completedAt: Nullable(Time),
  createdAt: Time,
  payerName: Type.Optional(Nullable(Type.String())),
});

export const paymentJson = (p: PaymentView) => ({
  id: p.id,
  merchantId: p.merchantId,
  merchantName: p.merchantName,
  merchantNumber: p.merchantNumber,
  amount: fenToJson(p.amountFen),
  currency: p.currency,
  source: p.source,
  status: p.status,
  orderReference: p.orderReference,
  note: p.note,
  passwordFree: p.passwordFree,
  refundedAmount: fenToJson(p.refundedFen),
  confirmationId: p.confirmationId,
  expiresAt: p.expiresAt.toISOString(),
  completedAt: p.completedAt?.toISOString() ?? null,
  createdAt: p.createdAt.toISOString(),
  ...(p.payerName !== undefined ? { payerName: p.payerName } : {}),
});

export const QrSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  payload: Type.String(),
  amount: Nullable(Type.Integer()),
  orderReference: Nullable(Type.String()),
  terminalLabel: Nullable(Type.String()),
  status: Type.String(),
  expiresAt: Nullable(Time),
  createdAt: Time,
  pngUrl: Type.String(),
  svgUrl: Type.String(),
});

export const qrJson = (q: QrView) => ({
  id: q.id,
  kind: q.kind,
  payload: q.payload,
  amount: q.amountFen === null ? null : fenToJson(q.amountFen),
  orderReference: q.orderReference,
  terminalLabel: q.terminalLabel,
  status: q.status,
  expiresAt: q.expiresAt?.toISOString() ?? null,
  createdAt: q.createdAt.toISOString(),
  pngUrl: `/api/v1/merchant/qr-codes/${q.id}/image.png`,
  svgUrl: `/api/v1/merchant/qr-codes/${q.id}/image.svg`,
});

export const MerchantSchema = Type.Object({
  id: Type.String(),
  merchantNumber: Type.String(),
  name: Type.String(),
  latinName: Type.String({ description: 'Tag 59 of its QR codes: the registered English or pinyin name' }),
  mcc: Type.String(),
  city: Type.String(),
  latinCity: Type.String({ description: 'Tag 60 of its QR codes: the city in pinyin' }),
  status: Type.String(),
  statusReason: Nullable(Type.String()),
  settlementAccountId: Nullable(Type.String()),
  payoutBankName: Type.String(),
  payoutAccount: Type.String(),
  createdAt: Time,
});

export const merchantJson = (m: MerchantView) => ({ ...m, createdAt: m.createdAt.toISOString() });

const LatinName = Type.String({
  minLength: 1,
  maxLength: 25,
  pattern: '^[ -~]+$',
  description:
    'The registered English or pinyin name, written in tag 59 (EMV common character set: printable ASCII, at ' +
    'most 25). The pinyin of `name` when left out',
});

const merchantFields = {
  name: Type.String({
    minLength: 1,
    maxLength: 25,
    description:
      'The Chinese name shown to payers, written in tag 64 (the language template) of its QR codes: at most 25 ' +
      'characters',
  }),
  mcc: Type.String({ pattern: '^\\d{4}$', description: 'ISO 18245 merchant category code' }),
  city: Type.String({ minLength: 1, maxLength: 15 }),
  latinCity: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 15,
      pattern: '^[ -~]+$',
      description: 'The city in pinyin for tag 60 (printable ASCII, at most 15); the pinyin of `city` when left out',
    }),
  ),
  contactPhone: Type.String({ minLength: 5, maxLength: 20 }),
  payoutBankName: Type.String({ minLength: 1, maxLength: 60 }),
  payoutAccountNumber: Type.String({ pattern: '^\\d{12,19}$' }),
  owner: Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 50 }),
      phone: Type.String({ minLength: 5, maxLength: 20 }),
      password: Type.String({ minLength: 1, maxLength: 256 }),
    },
    { additionalProperties: false },
  ),
};

export const MerchantInputSchema = Type.Object(
  { ...merchantFields, latinName: Type.Optional(LatinName) },
  { additionalProperties: false },
);

/** The public application form asks for the registered English or pinyin name (tag 59). */
export const MerchantApplicationSchema = Type.Object(
  { ...merchantFields, latinName: LatinName },
  { additionalProperties: false },
);
