import { normalizeMobile } from '../identity/phone.js';
import { SmsDeliveryError } from '../notifications/sms.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { BANKS, type CardType, type CardNumberProblem, lookupCard, maskCard } from './bin-table.js';
import type { DeclineReason } from './card-network.js';
import type { WalletContext } from './deps.js';
import * as store from './store.js';

/** Linked bank cards: binding with the bank's SMS code, several per holder, one default. */

export const MAX_ACTIVE_CARDS = 10;
export const MAX_BINDINGS_PER_HOUR = 10;

export interface CardView {
  id: string;
  bankCode: string;
  bankName: string;
  bankNameEn: string;
  cardType: CardType;
  masked: string;
  last4: string;
  nickname: string | null;
  isDefault: boolean;
  status: string;
  createdAt: Date;
}

export type CardError =
  | { code: 'CARD_NUMBER_INVALID'; reason: CardNumberProblem }
  | { code: 'CARD_NOT_SUPPORTED' }
  | { code: 'INVALID_PHONE' }
  | { code: 'CARD_HOLDER_MISMATCH' }
  | { code: 'CARD_ALREADY_BOUND' }
  | { code: 'CARD_LIMIT_REACHED'; limit: number }
  | { code: 'RATE_LIMITED' }
  | { code: 'CARD_NOT_FOUND' }
  | { code: 'CARD_BINDING_NOT_PENDING' }
  | { code: 'CARD_BINDING_EXPIRED' }
  | { code: 'CARD_BINDING_CODE_INVALID' }
  | { code: 'CARD_DECLINED'; reason: DeclineReason }
  | { code: 'SMS_DELIVERY_FAILED' }
  | { code: 'CARD_NETWORK_UNAVAILABLE' }
  | { code: 'UNAUTHENTICATED' };

export function cardView(row: store.CardRow): CardView {
  const bank = BANKS[row.bank_code];
  return {
    id: row.id,
    bankCode: row.bank_code,
    bankName: bank?.nameZh ?? row.bank_code,
    bankNameEn: bank?.nameEn ?? row.bank_code,
    cardType: row.card_type,
    masked: maskCard(row.last4),
    last4: row.last4,
    nickname: row.nickname,
    isDefault: row.is_default,
    status: row.status,
    createdAt: row.created_at,
  };
}

/** How a card appears as a counterparty in the history: bank and masked number. */
export const cardCounterparty = (row: Pick<store.CardRow, 'bank_code' | 'last4'>) =>
  `${BANKS[row.bank_code]?.nameZh ?? row.bank_code} ${maskCard(row.last4)}`;

const sameName = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export function createCards(ctx: WalletContext) {
  const { db, clock, cipher } = ctx;
  const cardHash = (number: string) => cipher.lookupHash(`card:${number}`);
  /** The card is linked whatever KYC answers: a failure here is left to KYC's job (docs/kyc.md). */
  async function tellCardLinked(userId: string): Promise<void> {
    try {
      await ctx.onCardLinked?.(userId);
    } catch (error) {
      ctx.logger?.warn({ err: error }, 'telling KYC about a linked card failed; its job will retry');
    }
  }

  return {
    /** Checks the card and the holder, then asks the bank to text a code to the card's reserved phone. */
    async startBinding(
      userId: string,
      input: { cardNumber: string; holderName: string; reservedPhone: string; nickname?: string },
    ): Promise<Result<CardView & { codeExpiresAt: Date }, CardError>> {
      const card = lookupCard(input.cardNumber);
      if (!card.ok)
        return err(
          card.problem === 'unsupported_bin'
            ? { code: 'CARD_NOT_SUPPORTED' }
            : { code: 'CARD_NUMBER_INVALID', reason: card.problem },
        );
      const phone = normalizeMobile(input.reservedPhone);
      if (!phone) return err({ code: 'INVALID_PHONE' });
      const holder = await ctx.identity.verifiedIdentity(userId);
      if (!holder) return err({ code: 'UNAUTHENTICATED' });
      if (!sameName(holder.name, input.holderName)) return err({ code: 'CARD_HOLDER_MISMATCH' });
      const hash = cardHash(card.number);
      if (await store.activeCardWithHash(db, hash)) return err({ code: 'CARD_ALREADY_BOUND' });
      if ((await store.countActiveCards(db, userId)) >= MAX_ACTIVE_CARDS)
        return err({ code: 'CARD_LIMIT_REACHED', limit: MAX_ACTIVE_CARDS });
      const now = clock.now();
      const recent = await store.countCardsSince(db, userId, new Date(now.getTime() - 3600_000));
      if (recent >= MAX_BINDINGS_PER_HOUR) return err({ code: 'RATE_LIMITED' });

      let started: Awaited<ReturnType<typeof ctx.network.startBinding>>;
      try {
        started = await ctx.network.startBinding({
          cardNumber: card.number,
          holderName: holder.name,
          idNumber: holder.idNumber,
          phone,
        });
      } catch (error) {
        if (error instanceof SmsDeliveryError) return err({ code: 'SMS_DELIVERY_FAILED' });
        ctx.logger?.warn({ err: error }, 'card network binding failed');
        return err({ code: 'CARD_NETWORK_UNAVAILABLE' });
      }
      if (started.status === 'declined') return err({ code: 'CARD_DECLINED', reason: started.reason });
      const id = newId('card', now.getTime());
      await store.insertPendingCard(db, {
        id,
        user_id: userId,
        card_number_enc: cipher.encrypt(card.number),
        card_hash: hash,
        last4: card.number.slice(-4),
        bank_code: card.bank.code,
        card_type: card.entry.cardType,
        reserved_phone_enc: cipher.encrypt(phone),
        nickname: input.nickname?.trim() || null,
        binding_id: started.bindingId,
        binding_expires_at: started.expiresAt,
        created_at: now,
      });
      const row = await store.findCard(db, userId, id);
      return ok({ ...cardView(row as store.CardRow), codeExpiresAt: started.expiresAt });
    },

    /** The holder enters the bank's code; the card becomes active (the default if it is the first). */
    async confirmBinding(userId: string, cardId: string, code: string): Promise<Result<CardView, CardError>> {
      const pending = await store.findCard(db, userId, cardId);
      if (!pending) return err({ code: 'CARD_NOT_FOUND' });
      if (pending.status !== 'pending' || !pending.binding_id) return err({ code: 'CARD_BINDING_NOT_PENDING' });
      let answer: Awaited<ReturnType<typeof ctx.network.confirmBinding>>;
      try {
        answer = await ctx.network.confirmBinding({ bindingId: pending.binding_id, code });
      } catch (error) {
        ctx.logger?.warn({ err: error }, 'card network binding confirmation failed');
        return err({ code: 'CARD_NETWORK_UNAVAILABLE' });
      }
      if (answer.status === 'declined') {
        if (answer.reason === 'BIND_CODE_INVALID') return err({ code: 'CARD_BINDING_CODE_INVALID' });
        await store.updateCard(db, cardId, { status: 'abandoned' });
        return answer.reason === 'BIND_EXPIRED'
          ? err({ code: 'CARD_BINDING_EXPIRED' })
          : err({ code: 'CARD_DECLINED', reason: answer.reason });
      }
      const agreementId = answer.agreementId;
      const now = clock.now();
      try {
        const activated = await db.transaction(async (tx) => {
          const card = await store.findCard(tx, userId, cardId, true);
          if (!card || card.status !== 'pending') return false;
          const others = await store.lockUserCards(tx, userId);
          await store.activateCard(tx, cardId, agreementId, !others.some((other) => other.is_default), now);
          return true;
        });
        if (!activated) return err({ code: 'CARD_BINDING_NOT_PENDING' });
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'CARD_ALREADY_BOUND' });
        throw error;
      }
      const card = (await store.findCard(db, userId, cardId)) as store.CardRow;
      await ctx.notifications.notify(userId, {
        kind: 'wallet.card_linked',
        titleZh: '银行卡绑定成功',
        titleEn: 'Card linked',
        bodyZh: `您已成功绑定${cardCounterparty(card)}。如非本人操作，请立即冻结账户并联系客服。`,
        bodyEn:
          `You linked ${BANKS[card.bank_code]?.nameEn ?? card.bank_code} card ${maskCard(card.last4)}. If this ` +
          `wasn't you, freeze your wallet and contact us.`,
        data: { cardId },
      });
      await tellCardLinked(userId);
      return ok(cardView(card));
    },

    async list(userId: string): Promise<CardView[]> {
      return (await store.listActiveCards(db, userId)).map(cardView);
    },

    async get(userId: string, cardId: string): Promise<store.CardRow | null> {
      const card = await store.findCard(db, userId, cardId);
      return card?.status === 'active' ? card : null;
    },

    async update(
      userId: string,
      cardId: string,
      changes: { nickname?: string | null; isDefault?: true },
    ): Promise<Result<CardView, CardError>> {
      const updated = await db.transaction(async (tx) => {
        const cards = await store.lockUserCards(tx, userId);
        const card = cards.find((candidate) => candidate.id === cardId);
        if (!card) return false;
        if (changes.isDefault && !card.is_default) await store.clearDefault(tx, userId);
        await store.updateCard(tx, cardId, {
          nickname: changes.nickname === undefined ? undefined : changes.nickname?.trim() || null,
          isDefault: changes.isDefault,
        });
        return true;
      });
      if (!updated) return err({ code: 'CARD_NOT_FOUND' });
      return ok(cardView((await store.findCard(db, userId, cardId)) as store.CardRow));
    },

    /** Unlinks a card; when it was the default, the oldest remaining card becomes the default. */
    async unbind(userId: string, cardId: string): Promise<Result<true, CardError>> {
      const now = clock.now();
      const removed = await db.transaction(async (tx) => {
        const cards = await store.lockUserCards(tx, userId);
        const card = cards.find((candidate) => candidate.id === cardId);
        if (!card) return null;
        await store.updateCard(tx, cardId, { status: 'removed', isDefault: false, removedAt: now });
        const next = cards
          .filter((candidate) => candidate.id !== cardId)
          .sort((a, b) => (a.activated_at?.getTime() ?? 0) - (b.activated_at?.getTime() ?? 0))[0];
        if (card.is_default && next) await store.updateCard(tx, next.id, { isDefault: true });
        return card;
      });
      if (!removed) return err({ code: 'CARD_NOT_FOUND' });
      await ctx.notifications.notify(userId, {
        kind: 'wallet.card_unlinked',
        titleZh: '银行卡已解绑',
        titleEn: 'Card unlinked',
        bodyZh: `您已解绑${cardCounterparty(removed)}。`,
        bodyEn: `You unlinked card ${maskCard(removed.last4)}.`,
        data: { cardId },
      });
      return ok(true);
    },

    /** Whether the holder has a linked card in their own name (every active card passed the same-name check). */
    async hasSameNameCard(userId: string): Promise<boolean> {
      return (await store.countActiveCards(db, userId)) > 0;
    },
  };
}

export type Cards = ReturnType<typeof createCards>;
