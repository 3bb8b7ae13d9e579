import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../server/jobs.js';
import { signedInStaff } from '../server/ops/test-support.js';
import { systemClock } from '../server/platform/clock.js';
import { createTestApp, type TestApp } from './app.js';
import { newPhone, requestCode } from './identity-factories.js';
import { MERCHANT_PASSWORD, activeMerchant } from './payment-factories.js';

/**
 * Personal data at rest: the SMS sandbox's outbox (phones and codes) and merchant staff names are
 * sealed in the database, and still read back where they are shown: the development outbox page
 * and the merchant's staff list.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

/** Every column of every row of a table, as the database holds them. */
async function rawRows(table: 'sms_outbox' | 'merchant_staff'): Promise<string> {
  const { rows } = await t.db.query<{ row: unknown }>(`SELECT row_to_json(x)::text AS row FROM ${table} x`);
  return rows.map((row) => String(row.row)).join('\n');
}

describe('the SMS outbox', () => {
  it('holds no phone and no code in clear, and the dev outbox still shows both', async () => {
    const phone = newPhone();
    const code = await requestCode(t, phone, 'register');
    const stored = await rawRows('sms_outbox');
    expect(stored).toContain('code:register');
    expect(stored).not.toContain(phone);
    expect(stored).not.toContain(code);

    const page = await t.app.inject({ url: '/dev/outbox' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(phone);
    expect(page.body).toContain(code);
    const api = await t.app.inject({ url: `/api/dev/outbox?phone=${phone}` });
    expect(api.json().items).toEqual([
      expect.objectContaining({ phone, purpose: 'code:register', text: expect.stringContaining(code) }),
    ]);
    expect((await t.app.inject({ url: `/api/dev/outbox?phone=${newPhone()}` })).json().items).toEqual([]);
  });
});

describe('merchant staff names', () => {
  it('are sealed in the database and shown in clear to those who list the staff', async () => {
    const shop = await activeMerchant(t);
    const admin = await signedInStaff(t, ['admin']);
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/merchants/${shop.id}/staff`,
      headers: admin.auth,
      payload: { name: '欧阳小二', phone: newPhone(), password: MERCHANT_PASSWORD, role: 'cashier' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const stored = await rawRows('merchant_staff');
    expect(stored).not.toContain('欧阳小二');
    expect(stored).not.toContain('\\u6b27\\u9633'); // nor JSON-escaped

    const listed = await t.app.inject({ url: `/api/v1/ops/merchants/${shop.id}/staff`, headers: admin.auth });
    expect(
      listed.json().items.map((member: { name: string; role: string }) => [member.role, member.name]),
    ).toContainEqual(['cashier', '欧阳小二']);
  });

  it('written before sealing are shown, then sealed by the job', async () => {
    const shop = await activeMerchant(t);
    const admin = await signedInStaff(t, ['admin']);
    await t.db.query(
      `INSERT INTO merchant_staff (id, merchant_id, phone_hash, name, role, password_hash, created_at) VALUES
        ('mst_legacy_1', $1, 'legacy-phone-hash', '司马旧名', 'cashier', 'x', now())`,
      [shop.id],
    );
    const names = async () =>
      (await t.app.inject({ url: `/api/v1/ops/merchants/${shop.id}/staff`, headers: admin.auth }))
        .json()
        .items.map((member: { name: string }) => member.name);
    expect(await names()).toContain('司马旧名');

    const job = jobDefinitions({ db: t.db, clock: systemClock, services: t.services }).find(
      (definition) => definition.name === 'payments-seal-staff-names',
    );
    expect(job).toBeDefined();
    await job?.handler(undefined);
    const { rows } = await t.db.query<{ name: string | null; name_enc: string | null }>(
      `SELECT name, name_enc FROM merchant_staff WHERE id = 'mst_legacy_1'`,
    );
    expect(rows[0].name).toBeNull();
    expect(rows[0].name_enc).toMatch(/^v1\./);
    expect(await rawRows('merchant_staff')).not.toContain('司马旧名');
    expect(await names()).toContain('司马旧名');
    expect(await t.services.payments.merchants.sealPlainStaffNames(100)).toBe(0);
  });
});
