import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { inTransaction, type RollbackWith } from '../platform/db/transaction-result.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import type { MerchantApiDeps } from './deps.js';
import * as store from './store-mandates.js';
import type { MandateChargeRow, MandateDeps, MandateError, MandateOperation, MandateRow } from './mandate-types.js';
import { checkUrl } from './orders.js';
import type { ApiCaller, Page } from './types.js';

/**
 * Agreement payments (签约代扣): the shop asks the holder to sign a mandate on the hosted page (its
 * description, a cap per charge and per calendar month in Beijing time); the holder signs it with
 * the PIN or a passkey through a confirmation bound to the shop, the caps and the mandate; then the
 * shop charges it through the API without the holder each time. A live charge is a payment of the
 * payments domain (risk, tier limits, balance; maintenance by the route's feature); the month's use
 * is raised in the same transaction by a statement that cannot pass the cap. The holder sees and
 * revokes mandates in the wallet and is told of every charge. Test-mode mandates are signed by a
 * test-only call and their charges move no money. Rule: domain rules §10 "Agreement payments" [M].
 */

export const MANDATE_DEFAULT_TTL_S = 1800;
export const MANDATE_MIN_TTL_S = 60;
export const MANDATE_MAX_TTL_S = 7 * 24 * 3600;
/** The highest monthly cap a shop may ask for: ¥50,000. */
export const MANDATE_MAX_MONTHLY_FEN = 5_000_000n;
const HOLDER_LIST_LIMIT = 50;
const RECENT_CHARGES = 5;

export type MandateViewStatus = 'pending' | 'active' | 'revoked' | 'cancelled' | 'expired';

export interface MandateView {
  id: string;
  mode: MandateRow['mode'];
  shopMandateNumber: string;
  description: string;
  capPerChargeFen: bigint;
  capPerMonthFen: bigint;
  currency: string;
  status: MandateViewStatus;
  usedThisMonthFen: bigint;
  returnUrl: string | null;
  signUrl: string;
  requestExpiresAt: Date;
  signedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
}

export interface ChargeView {
  id: string;
  mandateId: string;
  mode: MandateChargeRow['mode'];
  amountFen: bigint;
  currency: string;
  description: string;
  status: 'succeeded';
  paymentId: string | null;
  createdAt: Date;
}

export interface MandateInput {
  shopMandateNumber: string;
  description: string;
  capPerChargeFen: bigint;
  capPerMonthFen: bigint;
  currency: 'CNY';
  returnUrl?: string;
  expiresInSeconds?: number;
}

/** The Beijing-time calendar month of an instant (YYYY-MM): monthly caps count in these. */
export const beijingMonth = (at: Date) => shanghaiDay(at).slice(0, 7);

export const mandateStatusOf = (row: MandateRow, now: Date): MandateViewStatus =>
  row.status === 'pending' && row.request_expires_at <= now ? 'expired' : row.status;

/** What the holder's signing confirmation approves: this shop, these caps, this mandate. */
export function mandateOperation(row: MandateRow, merchantNumber: string): MandateOperation {
  return {
    reference: `mandate:${row.id}:per-charge:${row.cap_per_charge}`,
    amountFen: row.cap_per_month,
    currency: row.currency,
    payee: `merchant:${merchantNumber}`,
  };
}

const chargeView = (row: MandateChargeRow): ChargeView => ({
  id: row.id,
  mandateId: row.mandate_id,
  mode: row.mode,
  amountFen: row.amount,
  currency: row.currency,
  description: row.description,
  status: 'succeeded',
  paymentId: row.payment_id,
  createdAt: row.created_at,
});

/** The shop's return URL with the mandate id added (the shop must still trust only a server-side get). */
function returnUrlOf(returnUrl: string, mandateId: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set('mandate', mandateId);
  return url.toString();
}

export function createMandates(deps: MerchantApiDeps & { mandates: MandateDeps }) {
  const { db, clock, payments, audit } = deps;
  const holders = deps.mandates;

  async function view(row: MandateRow): Promise<MandateView> {
    const now = clock.now();
    return {
      id: row.id,
      mode: row.mode,
      shopMandateNumber: row.shop_mandate_number,
      description: row.description,
      capPerChargeFen: row.cap_per_charge,
      capPerMonthFen: row.cap_per_month,
      currency: row.currency,
      status: mandateStatusOf(row, now),
      usedThisMonthFen: await store.monthUse(db, row.id, beijingMonth(now)),
      returnUrl: row.return_url,
      signUrl: `/mandate/${row.id}`,
      requestExpiresAt: row.request_expires_at,
      signedAt: row.signed_at,
      endedAt: row.ended_at,
      createdAt: row.created_at,
    };
  }

  async function own(caller: ApiCaller, id: string): Promise<MandateRow | null> {
    const row = await store.findMandate(db, id);
    return row && row.merchant_id === caller.merchantId && row.mode === caller.mode ? row : null;
  }

  async function record(action: string, actor: string, row: MandateRow, details: Record<string, unknown> = {}) {
    await audit.record(db, {
      actorKind: 'system',
      actorId: actor,
      action,
      subjectType: 'merchant_api_mandate',
      subjectId: row.id,
      details: { merchantId: row.merchant_id, mode: row.mode, ...details },
    });
  }

  /**
   * The charge's work inside the paying transaction: the mandate is still active (its row shared, so a
   * revocation waits for the charge), the month's use is raised within the cap, the charge is written.
   */
  function within(caller: ApiCaller, row: MandateRow, chargeId: string, amountFen: bigint, description: string) {
    return async (tx: Tx, paymentId: string | null): Promise<MandateError | null> => {
      const current = (await store.findMandate(tx, row.id, 'share')) as MandateRow;
      if (current.status !== 'active') return { code: 'MERCHANT_API_MANDATE_REVOKED', status: current.status };
      const now = clock.now();
      const month = beijingMonth(now);
      if (!(await store.addMonthUse(tx, row.id, month, amountFen, row.cap_per_month))) {
        const used = await store.monthUse(tx, row.id, month);
        return {
          code: 'MERCHANT_API_MANDATE_MONTHLY_CAP_REACHED',
          capPerMonthFen: row.cap_per_month,
          remainingFen: row.cap_per_month - used,
        };
      }
      await store.insertCharge(tx, {
        id: chargeId,
        mandate_id: row.id,
        merchant_id: row.merchant_id,
        mode: row.mode,
        user_id: row.user_id,
        amount: amountFen,
        currency: row.currency,
        description,
        month,
        payment_id: paymentId,
        created_by_key: caller.keyId,
        created_at: now,
      });
      return null;
    };
  }

  return {
    view,

    /** A mandate request the holder signs on the hosted page (`signUrl`). */
    async create(caller: ApiCaller, input: MandateInput): Promise<Result<MandateView, MandateError>> {
      const ttl = input.expiresInSeconds ?? MANDATE_DEFAULT_TTL_S;
      if (ttl < MANDATE_MIN_TTL_S || ttl > MANDATE_MAX_TTL_S)
        return err({
          code: 'MERCHANT_API_EXPIRY_INVALID',
          minSeconds: MANDATE_MIN_TTL_S,
          maxSeconds: MANDATE_MAX_TTL_S,
        });
      if (input.capPerChargeFen > input.capPerMonthFen || input.capPerMonthFen > MANDATE_MAX_MONTHLY_FEN)
        return err({ code: 'MERCHANT_API_MANDATE_CAPS_INVALID', maxFen: MANDATE_MAX_MONTHLY_FEN });
      const badUrl = checkUrl('returnUrl', input.returnUrl, caller.mode);
      if (badUrl) return err(badUrl as MandateError);
      const taken = await store.findMandateByNumber(db, caller.merchantId, caller.mode, input.shopMandateNumber);
      if (taken) return err({ code: 'MERCHANT_API_MANDATE_NUMBER_TAKEN', mandateId: taken.id });
      const merchant = await payments.merchant(caller.merchantId);
      if (!merchant) return err({ code: 'MERCHANT_NOT_FOUND' });
      if (merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      const now = clock.now();
      const row: MandateRow = {
        id: newId('mdt', now.getTime()),
        merchant_id: caller.merchantId,
        mode: caller.mode,
        shop_mandate_number: input.shopMandateNumber,
        description: input.description,
        cap_per_charge: input.capPerChargeFen,
        cap_per_month: input.capPerMonthFen,
        currency: input.currency,
        return_url: input.returnUrl ?? null,
        status: 'pending',
        user_id: null,
        wallet_account_id: null,
        signed_with: null,
        request_expires_at: new Date(now.getTime() + ttl * 1000),
        signed_at: null,
        ended_at: null,
        created_by_key: caller.keyId,
        created_at: now,
      };
      if (!(await store.insertMandate(db, row))) {
        const other = await store.findMandateByNumber(db, caller.merchantId, caller.mode, input.shopMandateNumber);
        return err({ code: 'MERCHANT_API_MANDATE_NUMBER_TAKEN', mandateId: other?.id ?? '' });
      }
      return ok(await view(row));
    },

    async get(caller: ApiCaller, id: string): Promise<MandateView | null> {
      const row = await own(caller, id);
      return row ? view(row) : null;
    },

    async list(caller: ApiCaller, q: { limit: number; startingAfter?: string }): Promise<Page<MandateView>> {
      const rows = await store.listMandates(db, {
        merchantId: caller.merchantId,
        mode: caller.mode,
        before: q.startingAfter ?? null,
        limit: q.limit + 1,
      });
      const more = rows.length > q.limit;
      const items = more ? rows.slice(0, q.limit) : rows;
      return { items: await Promise.all(items.map(view)), nextCursor: more ? items[items.length - 1].id : null };
    },

    /** The shop ends a mandate (pending or active); charges are refused afterwards. */
    async cancel(caller: ApiCaller, id: string): Promise<Result<MandateView, MandateError>> {
      const row = await own(caller, id);
      if (!row) return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const now = clock.now();
      if (await store.endMandate(db, id, 'cancelled', now, null)) {
        await record('merchant_api.mandate_cancelled', `merchant_api_key:${caller.keyId}`, row);
        if (row.user_id && row.status === 'active') {
          const merchant = await payments.merchant(row.merchant_id);
          await holders.notify(row.user_id, {
            kind: 'merchant_api.mandate_cancelled',
            titleZh: '代扣协议已终止',
            titleEn: 'Agreement payment ended',
            bodyZh: `${merchant?.name ?? ''}已终止代扣协议“${row.description}”，之后不会再扣款。`,
            bodyEn: `${merchant?.name ?? ''} ended the agreement “${row.description}”: it will not charge you again.`,
            data: { mandateId: row.id },
          });
        }
      }
      return ok(await view((await store.findMandate(db, id)) as MandateRow));
    },

    /** Test mode only: signs a pending test mandate as a holder would (no holder, no money). */
    async signTest(caller: ApiCaller, id: string): Promise<Result<MandateView, MandateError>> {
      if (caller.mode !== 'test') return err({ code: 'MERCHANT_API_TEST_MODE_ONLY' });
      const row = await own(caller, id);
      if (!row) return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const now = clock.now();
      const status = mandateStatusOf(row, now);
      if (
        status !== 'pending' ||
        !(await store.markSigned(db, id, { userId: null, walletAccountId: null, signedWith: 'test', at: now }))
      )
        return err({ code: 'MERCHANT_API_MANDATE_NOT_PENDING', status });
      return ok(await view((await store.findMandate(db, id)) as MandateRow));
    },

    /**
     * Charges an active mandate within its caps, without the holder. Live: a payment of the payments
     * domain (risk, limits, balance), the cap and the charge written in its transaction. Test: the cap
     * and the charge only, no money.
     */
    async charge(
      caller: ApiCaller,
      id: string,
      input: { amountFen: bigint; description: string },
    ): Promise<Result<ChargeView, MandateError>> {
      const row = await own(caller, id);
      if (!row) return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const status = mandateStatusOf(row, clock.now());
      if (status === 'revoked' || status === 'cancelled') return err({ code: 'MERCHANT_API_MANDATE_REVOKED', status });
      if (status !== 'active') return err({ code: 'MERCHANT_API_MANDATE_NOT_SIGNED', status });
      if (input.amountFen > row.cap_per_charge)
        return err({ code: 'MERCHANT_API_MANDATE_CHARGE_CAP_EXCEEDED', capPerChargeFen: row.cap_per_charge });
      const chargeId = newId('mch', clock.now().getTime());
      const work = within(caller, row, chargeId, input.amountFen, input.description);
      if (row.mode === 'live') {
        const charged = await holders.charge<MandateError>(
          {
            merchantId: row.merchant_id,
            userId: row.user_id as string,
            amountFen: input.amountFen,
            description: input.description,
            chargeId,
            createdBy: `merchant_api_key:${caller.keyId}`,
          },
          work,
        );
        if (!charged.ok) return charged;
      } else {
        const charged = await inTransaction(db, async (tx, rollback: RollbackWith<MandateError>) => {
          const refused = await work(tx, null);
          if (refused) return rollback(refused);
        });
        if (!charged.ok) return charged;
      }
      return ok(chargeView((await store.findCharge(db, chargeId)) as MandateChargeRow));
    },

    async listCharges(
      caller: ApiCaller,
      id: string,
      q: { limit: number; startingAfter?: string },
    ): Promise<Page<ChargeView> | null> {
      if (!(await own(caller, id))) return null;
      const rows = await store.listCharges(db, { mandateId: id, before: q.startingAfter ?? null, limit: q.limit + 1 });
      const more = rows.length > q.limit;
      const items = more ? rows.slice(0, q.limit) : rows;
      return { items: items.map(chargeView), nextCursor: more ? items[items.length - 1].id : null };
    },

    /** What the hosted signing page shows (public, by the mandate's unguessable id). */
    async signingPage(id: string) {
      const row = await store.findMandate(db, id);
      if (!row) return null;
      const merchant = await payments.merchant(row.merchant_id);
      return {
        id: row.id,
        mode: row.mode,
        merchantName: merchant?.name ?? '',
        merchantNumber: merchant?.merchantNumber ?? '',
        description: row.description,
        capPerChargeFen: row.cap_per_charge,
        capPerMonthFen: row.cap_per_month,
        currency: row.currency,
        status: mandateStatusOf(row, clock.now()),
        returnUrl: row.return_url ? returnUrlOf(row.return_url, row.id) : null,
        requestExpiresAt: row.request_expires_at,
      };
    },

    /** The holder starts signing: a confirmation bound to the shop, the caps and the mandate. */
    async startSigning(
      userId: string,
      id: string,
    ): Promise<Result<{ confirmation: { id: string; challenge: string; expiresAt: Date } }, MandateError>> {
      const row = await store.findMandate(db, id);
      if (!row || row.mode !== 'live') return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const status = mandateStatusOf(row, clock.now());
      if (status !== 'pending') return err({ code: 'MERCHANT_API_MANDATE_NOT_PENDING', status });
      const holder = await holders.holder(userId);
      if (!holder) return err({ code: 'UNAUTHENTICATED' });
      if (holder.frozen) return err({ code: 'ACCOUNT_FROZEN', accountId: holder.walletAccountId });
      const merchant = await payments.merchant(row.merchant_id);
      if (!merchant || merchant.status !== 'active') return err({ code: 'MERCHANT_NOT_ACTIVE' });
      const confirmation = await holders.confirmations.create(userId, mandateOperation(row, merchant.merchantNumber));
      return ok({ confirmation });
    },

    /** The holder's approved confirmation signs the mandate (spent in the signing transaction). */
    async completeSigning(
      userId: string,
      id: string,
      confirmationId: string,
    ): Promise<Result<MandateView, MandateError>> {
      const first = await store.findMandate(db, id);
      if (!first || first.mode !== 'live') return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const merchant = await payments.merchant(first.merchant_id);
      const holder = await holders.holder(userId);
      if (!merchant || !holder) return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      const signed = await inTransaction(db, async (tx, rollback: RollbackWith<MandateError>) => {
        const row = (await store.findMandate(tx, id, 'update')) as MandateRow;
        const now = clock.now();
        // A retry after it was signed by this holder answers the signed mandate.
        if (row.status === 'active' && row.user_id === userId) return { row, replayed: true };
        const status = mandateStatusOf(row, now);
        if (status !== 'pending') return rollback({ code: 'MERCHANT_API_MANDATE_NOT_PENDING', status });
        const spent = await holders.confirmations.consume(
          tx,
          userId,
          confirmationId,
          mandateOperation(row, merchant.merchantNumber),
        );
        if (!spent.ok) return rollback(spent.error);
        await store.markSigned(tx, id, {
          userId,
          walletAccountId: holder.walletAccountId,
          signedWith: 'confirmation',
          at: now,
        });
        return { row: { ...row, status: 'active' as const, user_id: userId, signed_at: now }, replayed: false };
      });
      if (!signed.ok) return signed;
      const { row, replayed } = signed.value;
      if (!replayed) {
        await record('merchant_api.mandate_signed', `user:${userId}`, row, {
          capPerChargeFen: String(row.cap_per_charge),
          capPerMonthFen: String(row.cap_per_month),
        });
        await holders.notify(userId, {
          kind: 'merchant_api.mandate_signed',
          titleZh: '已开通代扣',
          titleEn: 'Agreement payment set up',
          bodyZh:
            `您已与${merchant.name}签约代扣“${row.description}”：单笔最多${formatFen(row.cap_per_charge)}，` +
            `每月最多${formatFen(row.cap_per_month)}。可随时在“我的 → 免密/代扣管理”解约。`,
          bodyEn:
            `You signed an agreement payment with ${merchant.name} for “${row.description}”: up to ` +
            `${formatFen(row.cap_per_charge)} a charge and ${formatFen(row.cap_per_month)} a month. ` +
            'Revoke it at any time under Me → Agreement payments.',
          data: { mandateId: row.id },
        });
      }
      return ok(await view(row));
    },

    /** The holder's mandates with the shop's name, this month's use and the latest charges. */
    async forHolder(userId: string) {
      const rows = await store.holderMandates(db, userId, HOLDER_LIST_LIMIT);
      return Promise.all(
        rows.map(async (row) => {
          const merchant = await payments.merchant(row.merchant_id);
          const charges = await store.listCharges(db, { mandateId: row.id, before: null, limit: RECENT_CHARGES });
          return {
            ...(await view(row)),
            merchantName: merchant?.name ?? '',
            merchantNumber: merchant?.merchantNumber ?? '',
            charges: charges.map(chargeView),
          };
        }),
      );
    },

    /** The holder revokes a mandate at once; a charge in flight finishes first, none after. */
    async revoke(userId: string, id: string): Promise<Result<MandateView, MandateError>> {
      const row = await store.findMandate(db, id);
      if (!row || row.user_id !== userId) return err({ code: 'MERCHANT_API_MANDATE_NOT_FOUND' });
      if (await store.endMandate(db, id, 'revoked', clock.now(), userId)) {
        await record('merchant_api.mandate_revoked', `user:${userId}`, row);
        const merchant = await payments.merchant(row.merchant_id);
        await holders.notify(userId, {
          kind: 'merchant_api.mandate_revoked',
          titleZh: '代扣已解约',
          titleEn: 'Agreement payment revoked',
          bodyZh: `您已解约${merchant?.name ?? ''}的代扣“${row.description}”，之后不会再扣款。`,
          bodyEn:
            `You revoked the agreement payment “${row.description}” with ${merchant?.name ?? ''}: ` +
            'no more charges.',
          data: { mandateId: row.id },
        });
      }
      return ok(await view((await store.findMandate(db, id)) as MandateRow));
    },
  };
}

export type Mandates = ReturnType<typeof createMandates>;
