import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { bankCode, linkCard, newCardNumber } from '../../test/wallet-factories.js';
import { luhnValid, lookupCard, sandboxCardNumber } from './bin-table.js';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  alice = await registerUser(t, { name: '张三' });
  bob = await registerUser(t, { name: '李四' });
});
afterAll(async () => t?.close());

const start = (user: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/wallet/cards', headers: user.auth, payload });

describe('card numbers', () => {
  it('checks Luhn and finds the bank by BIN', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    const number = sandboxCardNumber('621483', '0002');
    expect(number).toHaveLength(16);
    expect(number.endsWith('0002')).toBe(true);
    const found = lookupCard(number.replace(/(\d{4})/g, '$1 '));
    expect(found.ok && found.bank.code).toBe('CMB');
    expect(found.ok && found.entry.cardType).toBe('debit');
    expect(lookupCard('6225751234567890').ok).toBe(false);
  });
});

describe('linking cards', () => {
  it('refuses bad numbers, unknown banks and other names with clear problems', async () => {
    const luhn = await start(alice, {
      cardNumber: '6222021234567890123',
      holderName: '张三',
      reservedPhone: alice.phone,
    });
    expect(luhn.statusCode).toBe(400);
    expect(luhn.json()).toMatchObject({ code: 'CARD_NUMBER_INVALID', reason: 'luhn' });
    const letters = await start(alice, { cardNumber: '6222-abcd', holderName: '张三', reservedPhone: alice.phone });
    expect(letters.json()).toMatchObject({ code: 'CARD_NUMBER_INVALID', reason: 'format' });
    const unknownBank = await start(alice, {
      cardNumber: '4111111111111111',
      holderName: '张三',
      reservedPhone: alice.phone,
    });
    expect(unknownBank.statusCode).toBe(422);
    expect(unknownBank.json().code).toBe('CARD_NOT_SUPPORTED');
    const otherName = await start(alice, {
      cardNumber: newCardNumber(),
      holderName: '王五',
      reservedPhone: alice.phone,
    });
    expect(otherName.statusCode).toBe(422);
    expect(otherName.json().code).toBe('CARD_HOLDER_MISMATCH');
    const badPhone = await start(alice, { cardNumber: newCardNumber(), holderName: '张三', reservedPhone: '12345' });
    expect(badPhone.json().code).toBe('INVALID_PHONE');
    const missing = await start(alice, { cardNumber: newCardNumber() });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('VALIDATION_FAILED');
  });

  it("answers the bank's declines: blocked card, reserved phone, holder at the bank", async () => {
    for (const [last4, reason] of [
      ['0002', 'CARD_BLOCKED'],
      ['0003', 'RESERVED_PHONE_MISMATCH'],
      ['0005', 'HOLDER_MISMATCH'],
    ]) {
      const declined = await start(alice, {
        cardNumber: newCardNumber(last4),
        holderName: '张三',
        reservedPhone: alice.phone,
      });
      expect(declined.statusCode).toBe(422);
      expect(declined.json()).toMatchObject({ code: 'CARD_DECLINED', reason });
    }
  });

  it('links with the code the bank texted; a wrong code is refused', async () => {
    const number = newCardNumber('7788', '621483');
    const started = await start(alice, {
      cardNumber: number,
      holderName: '张三',
      reservedPhone: alice.phone,
      nickname: '工资卡',
    });
    expect(started.statusCode, started.body).toBe(202);
    const card = started.json().card;
    expect(card).toMatchObject({
      bankCode: 'CMB',
      bankName: '招商银行',
      cardType: 'debit',
      masked: '**** 7788',
      status: 'pending',
      nickname: '工资卡',
    });
    expect(JSON.stringify(started.json())).not.toContain(number);
    const code = await bankCode(t, alice.phone);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/cards/${card.id}/confirm`,
      headers: alice.auth,
      payload: { code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.json().code).toBe('CARD_BINDING_CODE_INVALID');
    const byBob = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/cards/${card.id}/confirm`,
      headers: bob.auth,
      payload: { code },
    });
    expect(byBob.statusCode).toBe(404);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/wallet/cards/${card.id}/confirm`,
      headers: alice.auth,
      payload: { code },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'active', isDefault: true });
    const again = await start(alice, { cardNumber: number, holderName: '张三', reservedPhone: alice.phone });
    expect(again.json().code).toBe('CARD_ALREADY_BOUND');
    const stored = await t.db.query<{ card_number_enc: string }>(
      'SELECT card_number_enc FROM wallet_cards WHERE id = $1',
      [card.id],
    );
    expect(stored.rows[0].card_number_enc).not.toContain(number.slice(0, 12));
    expect(await t.services.wallet.hasSameNameCard(alice.userId)).toBe(true);
    expect(await t.services.wallet.hasSameNameCard(bob.userId)).toBe(false);
  });

  it('keeps several cards with one default, renames, unlinks; others cannot touch them', async () => {
    const carol = await registerUser(t, { name: '赵六' });
    const first = await linkCard(t, carol);
    const second = await linkCard(t, carol, { bin: '622166' });
    let list = (await t.app.inject({ url: '/api/v1/wallet/cards', headers: carol.auth })).json().items;
    expect(list.map((card: { id: string }) => card.id)).toEqual([first.id, second.id]);
    expect(list[1]).toMatchObject({ cardType: 'credit', bankCode: 'CCB', isDefault: false });

    const madeDefault = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/wallet/cards/${second.id}`,
      headers: carol.auth,
      payload: { isDefault: true, nickname: '信用卡' },
    });
    expect(madeDefault.json()).toMatchObject({ isDefault: true, nickname: '信用卡' });
    list = (await t.app.inject({ url: '/api/v1/wallet/cards', headers: carol.auth })).json().items;
    expect(
      list.filter((card: { isDefault: boolean }) => card.isDefault).map((card: { id: string }) => card.id),
    ).toEqual([second.id]);

    expect((await t.app.inject({ url: '/api/v1/wallet/cards', headers: bob.auth })).json().items).toEqual([]);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/v1/wallet/cards/${first.id}`,
          headers: bob.auth,
          payload: { nickname: 'mine' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/wallet/cards/${first.id}`, headers: bob.auth })).statusCode,
    ).toBe(404);

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/wallet/cards/${second.id}`,
      headers: carol.auth,
    });
    expect(removed.statusCode).toBe(204);
    list = (await t.app.inject({ url: '/api/v1/wallet/cards', headers: carol.auth })).json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: first.id, isDefault: true });
    const notes = await t.app.inject({ url: '/api/v1/notifications', headers: carol.auth });
    expect(notes.json().items.map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining(['wallet.card_linked', 'wallet.card_unlinked']),
    );
  });
});
