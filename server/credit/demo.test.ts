import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { TEST_PIN } from '../../test/transfer-factories.js';
import { ensureCredit } from '../demo/credit.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('demo credit', () => {
  it(
    'gives the demo holder a loan in progress and a card with a statement due, once',
    { timeout: 120_000 },
    async () => {
      const holder = await registerUser(t);
      const pin = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/me/pin',
        headers: holder.auth,
        payload: { newPin: TEST_PIN, password: holder.password },
      });
      expect(pin.statusCode).toBe(204);
      await ensureCredit(t.services, t.db, holder.userId, TEST_PIN);
      await ensureCredit(t.services, t.db, holder.userId, TEST_PIN);
      const loans = await t.app.inject({ url: '/api/v1/credit/loans', headers: holder.auth });
      expect(loans.json().items).toHaveLength(1);
      const [loan] = loans.json().items;
      expect(loan.status).toBe('active');
      expect(loan.schedule.installments[0].status).toBe('paid');
      expect(loan.schedule.installments[1].status).toBe('upcoming');
      const cards = await t.app.inject({ url: '/api/v1/credit/cards', headers: holder.auth });
      const [card] = cards.json().items;
      expect(card.currentStatement.balance).toBeGreaterThan(0);
      expect(card.currentStatement.dueDate > new Date().toISOString().slice(0, 10)).toBe(true);
    },
  );
});
