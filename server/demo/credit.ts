import type { Logger } from 'pino';
import type { Services } from '../app.js';
import { createCreditService } from '../credit/service.js';
import { DEFAULT_TIER_TABLE } from '../kyc/tiers.js';
import type { Db } from '../platform/db/types.js';

/**
 * Demo credit for the first demo holder: real-name verified (the verified tier, as KYC would set
 * it), a 12-month loan taken 40 days ago with its first installment collected by auto-repay, and a
 * credit card with a few purchases and a statement whose due date is still ahead. Made through a
 * credit service whose clock starts in the past, with the daily job run for each day, like the
 * savings history; skipped when the holder already has a loan.
 */

const HISTORY_DAYS = 40;

export async function ensureCredit(
  services: Services,
  db: Db,
  userId: string | undefined,
  pin: string,
  logger?: Logger,
): Promise<void> {
  if (!userId || (await services.credit.loans.listFor(userId)).length > 0) return;
  const profile = await services.identity.profile(userId);
  if (!profile) return;
  if (profile.tier === 'basic') {
    await db.transaction(async (tx) => {
      await services.identity.setTier(tx, userId, 'verified');
      await services.ledger.setLimits(tx, profile.walletAccountId, DEFAULT_TIER_TABLE.verified.limits);
    });
  }
  let offsetMs = -HISTORY_DAYS * 86_400_000;
  const past = createCreditService({
    db,
    clock: { now: () => new Date(Date.now() + offsetMs) },
    ledger: services.ledger,
    identity: services.identity,
    // The live service registered the approval kinds; the past one needs none.
    approvals: { register: () => undefined } as unknown as Services['approvals'],
    audit: services.audit,
    maintenance: { activeFor: async () => null },
    cipher: services.identity.ctx.cipher,
    logger,
  });
  const loan = await past.applications.apply(userId, {
    product: 'loan',
    amountFen: 1_000_000n,
    termMonths: 12,
    method: 'equal_installment',
    purpose: 'consumption',
    monthlyIncomeFen: 2_000_000n,
  });
  if (!loan.ok || loan.value.status !== 'approved') {
    logger?.warn({ code: loan.ok ? loan.value.status : loan.error.code }, 'demo loan skipped');
    return;
  }
  const signed = await past.signing.sign(userId, loan.value.id, pin);
  if (!signed.ok) logger?.warn({ code: signed.error.code }, 'demo loan not signed');
  const card = await past.applications.apply(userId, { product: 'card', monthlyIncomeFen: 2_000_000n });
  let cardId: string | null = null;
  if (card.ok && card.value.status === 'approved') {
    const issued = await past.signing.sign(userId, card.value.id, pin);
    cardId = issued.ok ? issued.value.card_id : null;
  }
  const purchases = [
    { day: 3, fen: 25_800n, merchant: '星巴克', mcc: '5814' },
    { day: 9, fen: 129_900n, merchant: '京东商城', mcc: '5311' },
    { day: 17, fen: 8_650n, merchant: '滴滴出行', mcc: '4121' },
    { day: 24, fen: 45_000n, merchant: '盒马鲜生', mcc: '5411' },
    { day: 33, fen: 66_600n, merchant: '携程旅行', mcc: '4722' },
  ];
  for (let day = 1; day <= HISTORY_DAYS; day++) {
    offsetMs += 86_400_000;
    for (const purchase of purchases.filter((p) => p.day === day)) {
      if (!cardId) continue;
      await past.cards.purchase({
        cardId,
        amountFen: purchase.fen,
        merchantName: purchase.merchant,
        mcc: purchase.mcc,
        networkRef: `demo-${day}`,
      });
    }
    await past.runDaily();
  }
}
