import { inTransaction } from '../platform/db/transaction-result.js';
import { type Result, err, ok } from '../platform/result.js';
import type { Applications } from './applications.js';
import type { CreditContext } from './context.js';
import type { CreditError } from './deps.js';
import type { Loans } from './loans.js';
import * as store from './store.js';
import type { ApplicationRow } from './store.js';
import type { Tx } from '../platform/db/types.js';
import type { LedgerCommand } from '../ledger/types.js';

/**
 * Signing an offer with the PIN (the confirmations pattern): the confirmation is bound to the
 * offer; consuming it, opening the loan (or issuing the card) and the disbursement commit together.
 */
export function createSigning(
  ctx: CreditContext,
  parts: {
    applications: Applications;
    loans: Loans;
    issueCard(tx: Tx, application: ApplicationRow): Promise<{ cardId: string; commands: LedgerCommand[] }>;
  },
) {
  const { db, clock, identity } = ctx;

  async function complete(
    userId: string,
    id: string,
    confirmationId: string,
  ): Promise<Result<ApplicationRow, CreditError>> {
    const found = await parts.applications.get(userId, id);
    if (!found) return err({ code: 'CREDIT_APPLICATION_NOT_FOUND' });
    if (found.status === 'signed' && found.confirmation_id === confirmationId) return ok(found);
    if (found.status !== 'awaiting_signature') return err({ code: 'CREDIT_OFFER_NOT_OPEN', status: found.status });
    const profile = await identity.profile(userId);
    if (!profile) return err({ code: 'CREDIT_APPLICATION_NOT_FOUND' });
    if (profile.frozen) return err({ code: 'ACCOUNT_FROZEN' });
    const done = await inTransaction<ApplicationRow, CreditError>(db, async (tx, rollback) => {
      const row = await store.findApplication(tx, id, true);
      if (row?.status !== 'awaiting_signature')
        return rollback({ code: 'CREDIT_OFFER_NOT_OPEN', status: row?.status ?? 'unknown' });
      if (!row.offer_expires_at || row.offer_expires_at <= clock.now())
        return rollback({ code: 'CREDIT_OFFER_EXPIRED' });
      if (row.confirmation_id !== confirmationId) return rollback({ code: 'CONFIRMATION_INVALID' });
      const consumed = await identity.confirmations.consume(
        tx,
        userId,
        confirmationId,
        parts.applications.signOperation(row),
      );
      if (!consumed.ok) return rollback(consumed.error as CreditError);
      if (row.product === 'loan') {
        const opened = await parts.loans.open(tx, row, profile.walletAccountId);
        const signed = await store.updateApplication(tx, id, { status: 'signed', loan_id: opened.loanId });
        await ctx.post(tx, opened.commands);
        return signed;
      }
      const issued = await parts.issueCard(tx, row);
      const signed = await store.updateApplication(tx, id, { status: 'signed', card_id: issued.cardId });
      await ctx.post(tx, issued.commands);
      return signed;
    });
    if (done.ok) {
      await identity.notifyHolder(userId, {
        kind: 'credit_signed',
        titleZh: done.value.product === 'loan' ? '借款已到账' : '信用卡已开通',
        titleEn: done.value.product === 'loan' ? 'Your loan is in your wallet' : 'Your credit card is ready',
        bodyZh:
          done.value.product === 'loan' ? '借款已发放到您的钱包，请按时还款。' : '您的虚拟信用卡已开通，可在通宝查看。',
        bodyEn:
          done.value.product === 'loan'
            ? 'The loan was paid into your wallet. Please repay on time.'
            : 'Your virtual credit card is ready in Tongbao.',
        data: { applicationId: id },
      });
    }
    return done;
  }

  /** Prepares the signature, and with the PIN finishes it at once. */
  async function sign(
    userId: string,
    id: string,
    pin: string | undefined,
  ): Promise<Result<ApplicationRow, CreditError>> {
    const prepared = await parts.applications.prepareSigning(userId, id);
    if (!prepared.ok || !pin) return prepared;
    const confirmationId = prepared.value.confirmation_id as string;
    const confirmation = await identity.confirmations.get(userId, confirmationId);
    if (confirmation?.status === 'pending') {
      const confirmed = await identity.confirmations.confirmWithPin(userId, confirmationId, pin);
      if (!confirmed.ok) return err(confirmed.error as CreditError);
    }
    return complete(userId, id, confirmationId);
  }

  return { sign, complete };
}
