import { randomInt } from 'node:crypto';
import { isUniqueViolation } from '../platform/db/types.js';
import { type Result, err, ok } from '../platform/result.js';
import { type FundingContext, RECEIVING_BANK } from './deps.js';
import * as store from './store.js';

/**
 * Receiving accounts: each holder at a tier that may receive gets one virtual account number at
 * the bank, allocated once on first look and kept for good (never reused). 19 digits: the bank's
 * six-digit prefix, twelve random digits and a Luhn check digit, as the bank's card-style account
 * numbers are written.
 */

export type ReceivingError = { code: 'UNAUTHENTICATED' } | { code: 'RECEIVING_TIER_NOT_ALLOWED'; tier: string };

export interface ReceivingAccountView {
  accountNumber: string;
  holderName: string;
  bankNameZh: string;
  bankNameEn: string;
  branchZh: string;
  branchEn: string;
  createdAt: Date;
}

export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** A fresh candidate number; uniqueness is the table's (a clash draws again). */
export function newAccountNumber(): string {
  let body = RECEIVING_BANK.prefix;
  while (body.length < 18) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

/** A receiving account number as the holder reads it: groups of four. */
export const groupDigits = (number: string) => number.replace(/(\d{4})(?=\d)/g, '$1 ');

export function createAccounts(ctx: FundingContext) {
  async function of(userId: string): Promise<Result<ReceivingAccountView, ReceivingError>> {
    const holder = await ctx.identity.verifiedIdentity(userId);
    if (!holder) return err({ code: 'UNAUTHENTICATED' });
    if (!ctx.receivingTiers.includes(holder.tier))
      return err({ code: 'RECEIVING_TIER_NOT_ALLOWED', tier: holder.tier });
    let row = await store.receivingAccountOf(ctx.db, userId);
    for (let attempt = 0; !row && attempt < 5; attempt++) {
      try {
        await store.insertReceivingAccount(ctx.db, {
          user_id: userId,
          account_number: newAccountNumber(),
          wallet_account_id: holder.walletAccountId,
          created_at: ctx.clock.now(),
        });
      } catch (error) {
        // Another holder drew the same number: draw again.
        if (!isUniqueViolation(error)) throw error;
      }
      row = await store.receivingAccountOf(ctx.db, userId);
    }
    if (!row) throw new Error(`no receiving account number could be allocated for ${userId}`);
    return ok({
      accountNumber: row.account_number,
      holderName: holder.name,
      bankNameZh: RECEIVING_BANK.nameZh,
      bankNameEn: RECEIVING_BANK.nameEn,
      branchZh: RECEIVING_BANK.branchZh,
      branchEn: RECEIVING_BANK.branchEn,
      createdAt: row.created_at,
    });
  }

  return { of };
}
