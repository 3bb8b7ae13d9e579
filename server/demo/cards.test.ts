import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { DEMO_CARD_NUMBER, ensureDemoCard } from './cards.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the demo holder has a linked card', () => {
  it('links the test card once, so top-up can be tried at once', async () => {
    const holder = await registerUser(t, { name: '张伟' });
    const who = { userId: holder.userId, name: '张伟', phone: holder.phone };
    await ensureDemoCard(t.services, t.db, who);
    await ensureDemoCard(t.services, t.db, who);
    const cards = await t.services.wallet.cards.list(holder.userId);
    expect(cards.map((card) => [card.status, card.last4])).toEqual([['active', DEMO_CARD_NUMBER.slice(-4)]]);
    const topUp = await t.services.wallet.orders.topUp(holder.userId, {
      cardId: cards[0].id,
      amountFen: 10_000n,
      currency: 'CNY',
    });
    expect(topUp.ok && topUp.value.status).toBe('succeeded');
  });
});
