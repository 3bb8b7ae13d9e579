import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { moneyHeaders, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { maskIdNumber } from './routes-documents.js';

let t: TestApp;
let owner: WalletHolder;
let other: WalletHolder;
let depositId: string;

const ANSWERS = {
  age: 'b',
  income: 'b',
  share: 'b',
  experience: 'b',
  years: 'b',
  horizon: 'b',
  goal: 'b',
  loss: 'b',
  reaction: 'b',
  knowledge: 'b',
};

beforeAll(async () => {
  t = await createTestApp();
  owner = await walletHolder(t, { name: '欧阳娜娜', balanceFen: 1_000_000n, limits: {} });
  other = await walletHolder(t, { name: '李四', balanceFen: 1_000_000n, limits: {} });
  await t.db.transaction((tx) => t.services.identity.setTier(tx, owner.userId, 'verified'));
  const answered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/savings/questionnaire',
    headers: owner.auth,
    payload: { version: '2026-1', answers: ANSWERS },
  });
  expect(answered.statusCode, answered.body).toBe(201);
  const opened = await t.app.inject({
    method: 'POST',
    url: '/api/v1/savings/subscriptions',
    headers: moneyHeaders(owner),
    payload: {
      productId: 'svp_td1y',
      amount: 500_000,
      currency: 'CNY',
      maturityChoice: 'rollover',
      confirmation: { pin: owner.pin },
    },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  depositId = opened.json().depositId;
});
afterAll(async () => t?.close());

describe('savings documents over HTTP', () => {
  it('gives the holder their deposit certificate as a PDF with the Chinese font', async () => {
    const pdf = await t.app.inject({
      url: `/api/v1/savings/deposits/${depositId}/certificate.pdf`,
      headers: owner.auth,
    });
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['cache-control']).toContain('no-store');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.toString('latin1')).toContain('SourceHanSansSC');
  });

  it("answers 404 for another holder's deposit and for one that does not exist, 401 when signed out", async () => {
    const theirs = await t.app.inject({
      url: `/api/v1/savings/deposits/${depositId}/certificate.pdf`,
      headers: other.auth,
    });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.headers['content-type']).toContain('application/problem+json');
    expect(theirs.json().code).toBe('SAVINGS_DEPOSIT_NOT_FOUND');
    const none = await t.app.inject({
      url: '/api/v1/savings/deposits/svd_nothing/certificate.pdf',
      headers: owner.auth,
    });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('SAVINGS_DEPOSIT_NOT_FOUND');
    const anonymous = await t.app.inject({ url: `/api/v1/savings/deposits/${depositId}/certificate.pdf` });
    expect(anonymous.statusCode).toBe(401);
    const bad = await t.app.inject({ url: '/api/v1/savings/deposits/not an id/certificate.pdf', headers: owner.auth });
    expect(bad.statusCode).toBe(400);
  });

  it('gives any signed-in holder a product manual; an unknown product is a 404 problem', async () => {
    for (const id of ['svp_mmf', 'svp_td3y']) {
      const pdf = await t.app.inject({ url: `/api/v1/savings/products/${id}/manual.pdf`, headers: other.auth });
      expect(pdf.statusCode, id).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    }
    const missing = await t.app.inject({ url: '/api/v1/savings/products/svp_nothing/manual.pdf', headers: other.auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('SAVINGS_PRODUCT_NOT_FOUND');
  });

  it('masks an ID number on the certificate', () => {
    expect(maskIdNumber('110101199003071233')).toBe('110***********1233');
    expect(maskIdNumber('110***********1233')).toBe('110***********1233');
  });
});
