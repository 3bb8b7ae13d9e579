import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, type TestApp, createTestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { type Services, createServices } from '../app.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock } from '../platform/clock.js';
import type { ResolutionEvent } from './holds.js';
import { nextReference } from './test-support.js';

// Confirmation racing expiry: two "processes" (service sets with their own clocks and ledger
// writers) on one database: one sees the hold still inside its window and confirms, the other
// sees it past the window and expires it. Each hold must be posted or voided exactly once.
// On PostgreSQL the calls really run in parallel.
const HOLDS = 12;
const PIN = '258369';
const start = '2026-11-23T04:00:00Z';
const confirmer = manualClock(start);
const expirer = manualClock(start);
let t: TestApp;
let other: Services;

beforeAll(async () => {
  t = await createTestApp({ clock: confirmer });
  other = createServices(t.db, expirer, {
    operatorToken: 'op_other',
    logLevel: 'silent',
    production: false,
    publicUrl: 'http://localhost',
    piiKey: TEST_PII_KEY,
  });
});
afterAll(async () => {
  await other?.ledger.close();
  await t?.close();
});

describe('confirm, deny and expiry racing each other', () => {
  it('post or void each hold once: balances add up, the ledger verifies, each channel hears once', async () => {
    const risk = t.services.risk;
    expect(
      (
        await risk.rules.change(
          'new_payee_large',
          { thresholds: { minAmountFen: 1_000 }, reason: 'test: hold small amounts' },
          { id: 'stf_test' },
        )
      ).ok,
    ).toBe(true);
    const events: ResolutionEvent[] = [];
    risk.onResolved('merchant_qr', async (event) => void events.push(event));
    other.risk.onResolved('merchant_qr', async (event) => void events.push(event));

    const payer = await registerUser(t);
    expect((await t.services.identity.pin.set(payer.userId, { newPin: PIN, password: payer.password })).ok).toBe(true);
    const wallet = (await t.services.identity.profile(payer.userId))?.walletAccountId as string;
    const bank = await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const shop = await t.services.ledger.createAccount({ kind: 'merchant_settlement', currency: 'CNY' });
    await t.services.ledger.transfer({
      reference: nextReference('fund'),
      currency: 'CNY',
      legs: [{ debitAccountId: bank.id, creditAccountId: wallet, amountFen: 100_000n }],
      limitExempt: true,
    });

    const held: { riskHoldId: string; holdId: string; amountFen: bigint }[] = [];
    for (let i = 0; i < HOLDS; i++) {
      const amountFen = BigInt(2_000 + i);
      const decision = await risk.assessOutgoing({
        userId: payer.userId,
        walletAccountId: wallet,
        amountFen,
        currency: 'CNY',
        payeeKey: `merchant:M${i}`,
        payeeDisplay: '便利店',
        channel: 'merchant_qr',
        reference: nextReference('qr'),
      });
      expect(decision.outcome).toBe('hold');
      const made = await risk.holdForConfirmation({
        assessmentId: decision.assessmentId,
        hold: {
          reference: nextReference('qr-hold'),
          debitAccountId: wallet,
          creditAccountId: shop.id,
          amountFen,
          currency: 'CNY',
        },
      });
      if (!made.ok) throw new Error(made.error.code);
      held.push({ riskHoldId: made.value.riskHoldId, holdId: made.value.holdId, amountFen });
    }

    // The confirmer is one minute inside the window, the expirer one minute past it.
    confirmer.advanceMs(29 * 60_000);
    expirer.advanceMs(31 * 60_000);
    const approvals: string[] = [];
    for (const hold of held) {
      const challenge = await risk.challenge(payer.userId, hold.riskHoldId);
      if (!challenge.ok) throw new Error(challenge.error.code);
      expect((await t.services.identity.confirmations.confirmWithPin(payer.userId, challenge.value.id, PIN)).ok).toBe(
        true,
      );
      approvals.push(challenge.value.id);
    }

    const actor = { kind: 'user' as const, id: payer.userId };
    // Two expiry sweeps walk the holds in order while each confirmation arrives after a random delay.
    const sweeps = [other.risk.expireDue(HOLDS), other.risk.expireDue(HOLDS)];
    const results = await Promise.all(
      held.map(async (hold, i) => {
        await new Promise((done) => setTimeout(done, Math.random() * 60));
        return risk.confirm(payer.userId, hold.riskHoldId, approvals[i], actor);
      }),
    );
    await Promise.all(sweeps);

    let postedFen = 0n;
    let posted = 0;
    for (const [i, hold] of held.entries()) {
      const status = (await t.services.ledger.getHold(hold.holdId))?.status;
      const riskStatus = (
        await risk.holdStatus(
          (await t.db.query<{ reference: string }>('SELECT reference FROM risk_holds WHERE id = $1', [hold.riskHoldId]))
            .rows[0].reference,
        )
      )?.status;
      if (results[i].ok) {
        expect(status).toBe('posted');
        expect(riskStatus).toBe('confirmed');
        postedFen += hold.amountFen;
        posted++;
      } else {
        expect(['RISK_HOLD_EXPIRED', 'RISK_HOLD_RESOLVED']).toContain(
          results[i].ok ? '' : (results[i] as { error: { code: string } }).error.code,
        );
        expect(status).toBe('voided');
        expect(riskStatus).toBe('expired');
      }
      expect(events.filter((event) => event.riskHoldId === hold.riskHoldId)).toHaveLength(1);
    }
    if (process.env.RISK_RACE_DEBUG) console.log(`race: ${posted} of ${HOLDS} confirmed, the rest expired`);
    const payerAccount = await t.services.ledger.getAccount(wallet);
    expect(payerAccount?.balanceFen).toBe(100_000n - postedFen);
    expect(payerAccount?.pendingDebitsFen).toBe(0n);
    expect((await t.services.ledger.getAccount(shop.id))?.balanceFen).toBe(postedFen);
    const { rows } = await t.db.query<{ n: bigint }>(
      `SELECT count(*) AS n FROM payment_confirmations WHERE id = ANY($1::text[]) AND status = 'used'`,
      [approvals],
    );
    expect(Number(rows[0].n)).toBe(posted);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('confirm against deny on the same hold: exactly one wins', async () => {
    const risk = t.services.risk;
    const payer = await registerUser(t);
    expect((await t.services.identity.pin.set(payer.userId, { newPin: PIN, password: payer.password })).ok).toBe(true);
    const wallet = (await t.services.identity.profile(payer.userId))?.walletAccountId as string;
    const bank = await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const shop = await t.services.ledger.createAccount({ kind: 'merchant_settlement', currency: 'CNY' });
    await t.services.ledger.transfer({
      reference: nextReference('fund'),
      currency: 'CNY',
      legs: [{ debitAccountId: bank.id, creditAccountId: wallet, amountFen: 50_000n }],
      limitExempt: true,
    });
    const decision = await risk.assessOutgoing({
      userId: payer.userId,
      walletAccountId: wallet,
      amountFen: 3_000n,
      currency: 'CNY',
      payeeKey: 'merchant:MX',
      payeeDisplay: '便利店',
      channel: 'merchant_qr',
      reference: nextReference('qr'),
    });
    const made = await risk.holdForConfirmation({
      assessmentId: decision.assessmentId,
      hold: {
        reference: nextReference('qr-hold'),
        debitAccountId: wallet,
        creditAccountId: shop.id,
        amountFen: 3_000n,
        currency: 'CNY',
      },
    });
    if (!made.ok) throw new Error(made.error.code);
    const challenge = await risk.challenge(payer.userId, made.value.riskHoldId);
    if (!challenge.ok) throw new Error(challenge.error.code);
    await t.services.identity.confirmations.confirmWithPin(payer.userId, challenge.value.id, PIN);
    const actor = { kind: 'user' as const, id: payer.userId };
    const [confirmed, denied] = await Promise.all([
      risk.confirm(payer.userId, made.value.riskHoldId, challenge.value.id, actor),
      other.risk.deny(payer.userId, made.value.riskHoldId, actor),
    ]);
    expect([confirmed.ok, denied.ok].filter(Boolean)).toHaveLength(1);
    const hold = await t.services.ledger.getHold(made.value.holdId);
    expect(hold?.status).toBe(confirmed.ok ? 'posted' : 'voided');
    expect((await t.services.ledger.getAccount(shop.id))?.balanceFen).toBe(confirmed.ok ? 3_000n : 0n);
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
