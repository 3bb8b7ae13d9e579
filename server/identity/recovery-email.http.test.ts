import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { newPhone, outboxOf, registerUser, testAddress, type TestUser } from '../../test/identity-factories.js';
import { readEmailOutbox } from '../notifications/email.js';
import { manualClock } from '../platform/clock.js';
import { createPiiCipher } from '../platform/crypto.js';

/** The recovery e-mail (issue 19): add, verify, change, remove; forgot password by e-mail. */

const clock = manualClock('2026-11-23T02:00:00Z');
const cipher = createPiiCipher(TEST_PII_KEY);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

let addressCounter = 0;
const newAddress = () => `wang.${process.pid}.${++addressCounter}@example.com`;
const mailsTo = (to: string) => readEmailOutbox(t.db, cipher, { to, limit: 50 });
/** Mails whose code a test has read: under a manual clock, "the newest" of several mails is ambiguous. */
const seen = new Set<string>();
/** The code of the one mail to this address (of this purpose) not read before. */
async function codeMailedTo(to: string, purpose: 'verify' | 'recover' = 'verify'): Promise<string> {
  const fresh = (await mailsTo(to)).filter((mail) => mail.purpose === `code:${purpose}` && !seen.has(mail.id));
  const code = fresh.length === 1 ? /(\d{6})/.exec(fresh[0].text)?.[1] : undefined;
  if (!code) throw new Error(`expected one new ${purpose} code e-mailed to ${to}, found ${fresh.length}`);
  seen.add(fresh[0].id);
  return code;
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, user: TestUser | null, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: user?.auth ?? {},
    payload,
    remoteAddress: testAddress(user?.phone ?? '13700000001'),
  });
const kinds = async (user: TestUser): Promise<string[]> =>
  (await call('GET', '/api/v1/notifications?limit=50', user)).json().items.map((n: { kind: string }) => n.kind);

async function withVerifiedEmail(): Promise<{ user: TestUser; email: string }> {
  const user = await registerUser(t);
  const email = newAddress();
  expect((await call('PUT', '/api/v1/me/email', user, { email })).statusCode).toBe(202);
  const verified = await call('POST', '/api/v1/me/email/verify', user, { code: await codeMailedTo(email) });
  expect(verified.statusCode, verified.body).toBe(200);
  return { user, email };
}

describe('adding the recovery e-mail', () => {
  it('e-mails a code to the address, which becomes the recovery e-mail once the code is proved', async () => {
    const user = await registerUser(t);
    expect((await call('GET', '/api/v1/me/email', user)).json()).toEqual({
      email: null,
      verified: false,
      verifiedAt: null,
      pendingEmail: null,
    });
    expect((await call('PUT', '/api/v1/me/email', user, { email: 'not-an-address' })).json().code).toBe(
      'EMAIL_INVALID',
    );
    const email = `  Li.Lei.${process.pid}@Example.COM `;
    const started = await call('PUT', '/api/v1/me/email', user, { email });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toEqual({ expiresInSeconds: 900 });
    const normalized = email.trim().toLowerCase();
    expect((await call('GET', '/api/v1/me/email', user)).json()).toMatchObject({
      email: `li***@example.com`,
      verified: false,
    });
    const code = await codeMailedTo(normalized);
    const bad = await call('POST', '/api/v1/me/email/verify', user, { code: wrong(code) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('EMAIL_CODE_INVALID');
    const verified = await call('POST', '/api/v1/me/email/verify', user, { code });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toEqual({
      email: 'li***@example.com',
      verified: true,
      verifiedAt: clock.now().toISOString(),
      pendingEmail: null,
    });
    // Used once: the same code again finds nothing pending.
    expect((await call('POST', '/api/v1/me/email/verify', user, { code })).json().code).toBe('EMAIL_NOT_PENDING');
    // Told in the app, by SMS and (a security notice) at the new address.
    expect(await kinds(user)).toContain('security.email_added');
    expect((await outboxOf(t, user.phone, 'security.email_added')).length).toBe(1);
    expect((await mailsTo(normalized)).map((mail) => mail.purpose)).toContain('security.email_added');
  });

  it('keeps the address and the codes sealed or hashed at rest', async () => {
    const user = await registerUser(t);
    const email = newAddress();
    await call('PUT', '/api/v1/me/email', user, { email });
    const code = await codeMailedTo(email);
    const { rows } = await t.db.query<{ row: string }>(
      `SELECT row_to_json(x)::text AS row FROM (
         SELECT * FROM user_emails WHERE user_id = $1) x
       UNION ALL SELECT row_to_json(c)::text FROM (SELECT * FROM email_codes WHERE user_id = $1) c
       UNION ALL SELECT row_to_json(o)::text FROM email_outbox o`,
      [user.userId],
    );
    const stored = rows.map((row) => row.row).join('\n');
    expect(stored).not.toContain(email);
    expect(stored).not.toContain(code);
    const page = await t.app.inject({ url: '/dev/email-outbox' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(email);
    expect(page.body).toContain(code);
    expect((await t.app.inject({ url: '/dev/outbox' })).body).toContain(email);
  });

  it('uses a code up after three wrong tries, and lets it expire after 15 minutes', async () => {
    const user = await registerUser(t);
    const email = newAddress();
    await call('PUT', '/api/v1/me/email', user, { email });
    const code = await codeMailedTo(email);
    for (let i = 0; i < 3; i++) await call('POST', '/api/v1/me/email/verify', user, { code: wrong(code) });
    expect((await call('POST', '/api/v1/me/email/verify', user, { code })).json().code).toBe('EMAIL_CODE_INVALID');

    await call('PUT', '/api/v1/me/email', user, { email });
    const late = await codeMailedTo(email);
    clock.advanceMs(15 * 60_000 + 1);
    expect((await call('POST', '/api/v1/me/email/verify', user, { code: late })).json().code).toBe(
      'EMAIL_CODE_INVALID',
    );
  });

  it('throttles codes: five an hour per holder', async () => {
    clock.advanceMs(3600_000);
    const user = await registerUser(t);
    for (let i = 0; i < 5; i++)
      expect((await call('PUT', '/api/v1/me/email', user, { email: newAddress() })).statusCode).toBe(202);
    const refused = await call('PUT', '/api/v1/me/email', user, { email: newAddress() });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('EMAIL_RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers EMAIL_DELIVERY_FAILED when the address bounces (sandbox: bounce.example)', async () => {
    const user = await registerUser(t);
    const bounced = await call('PUT', '/api/v1/me/email', user, { email: 'nobody@bounce.example' });
    expect(bounced.statusCode).toBe(502);
    expect(bounced.json().code).toBe('EMAIL_DELIVERY_FAILED');
  });
});

describe('changing and removing it', () => {
  it('tells the replaced address, and keeps the old one until the new one is proved', async () => {
    const { user, email: old } = await withVerifiedEmail();
    const next = newAddress();
    await call('PUT', '/api/v1/me/email', user, { email: next });
    const view = (await call('GET', '/api/v1/me/email', user)).json();
    expect(view).toMatchObject({ verified: true, email: expect.stringMatching(/^wa\*\*\*@example\.com$/) });
    expect(view.pendingEmail).toMatch(/^wa\*\*\*@example\.com$/);
    const changed = await call('POST', '/api/v1/me/email/verify', user, { code: await codeMailedTo(next) });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().pendingEmail).toBeNull();
    expect((await mailsTo(old)).map((mail) => mail.purpose)).toContain('security.email_changed');
    expect(await kinds(user)).toContain('security.email_changed');
  });

  it('removes it, telling the removed address, the app and the phone', async () => {
    const { user, email } = await withVerifiedEmail();
    const removed = await call('DELETE', '/api/v1/me/email', user);
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', '/api/v1/me/email', user)).json()).toMatchObject({ email: null, verified: false });
    expect((await mailsTo(email)).map((mail) => mail.purpose)).toContain('security.email_removed');
    expect(await kinds(user)).toContain('security.email_removed');
    expect((await outboxOf(t, user.phone, 'security.email_removed')).length).toBe(1);
    expect((await call('DELETE', '/api/v1/me/email', user)).statusCode).toBe(204);
  });
});

describe('forgot password by e-mail', () => {
  it('answers the same whether or not a wallet with that verified address exists, and mails only then', async () => {
    const { user, email } = await withVerifiedEmail();
    const ask = (phone: string, address: string) =>
      call('POST', '/api/v1/auth/email-codes', null, { phone, email: address });
    const codes = async () => (await mailsTo(email)).filter((mail) => mail.purpose === 'code:recover').length;
    const before = await codes();
    const answers = [await ask(user.phone, email), await ask(user.phone, newAddress()), await ask(newPhone(), email)];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toEqual({ expiresInSeconds: 900 });
    }
    expect(await codes()).toBe(before + 1);
    expect((await ask('12345', email)).json().code).toBe('INVALID_PHONE');
  });

  it('resets the password with the e-mailed code, ID number and name; every session ends', async () => {
    const { user, email } = await withVerifiedEmail();
    await call('POST', '/api/v1/auth/email-codes', null, { phone: user.phone, email });
    let code = await codeMailedTo(email, 'recover');
    const base = {
      phone: user.phone,
      email,
      idNumber: user.idNumber,
      name: user.name,
      newPassword: 'lotus-bridge-evening-58',
    };
    const recover = (body: object) => call('POST', '/api/v1/auth/recover/email', null, body);
    expect((await recover({ ...base, emailCode: wrong(code) })).json().code).toBe('EMAIL_CODE_INVALID');
    expect((await recover({ ...base, email: newAddress(), emailCode: code })).json().code).toBe('EMAIL_CODE_INVALID');
    expect((await recover({ ...base, phone: newPhone(), emailCode: code })).json().code).toBe('EMAIL_CODE_INVALID');
    expect((await recover({ ...base, name: '李四', emailCode: code })).json().code).toBe('IDENTITY_MISMATCH');
    // That code is used up; a new one resets.
    expect((await recover({ ...base, emailCode: code })).json().code).toBe('EMAIL_CODE_INVALID');
    await call('POST', '/api/v1/auth/email-codes', null, { phone: user.phone, email });
    code = await codeMailedTo(email, 'recover');
    const done = await recover({ ...base, emailCode: code });
    expect(done.statusCode, done.body).toBe(204);
    expect((await call('GET', '/api/v1/me', user)).statusCode).toBe(401);
    const oldPassword = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
      remoteAddress: testAddress(user.phone),
    });
    expect(oldPassword.statusCode).toBe(401);
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: base.newPassword, deviceId: user.deviceId, client: 'api' },
      remoteAddress: testAddress(user.phone),
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const fresh = { ...user, auth: { authorization: `Bearer ${signedIn.json().token}` } };
    expect(await kinds(fresh)).toContain('security.password_recovered');
    expect((await mailsTo(email)).map((mail) => mail.purpose)).toContain('security.password_recovered');
    expect(await t.services.identity.passwords.recentlyRecovered(user.userId)).toBe(true);
  });

  it('throttles recovery codes per phone whether or not it has a wallet', async () => {
    clock.advanceMs(3600_000);
    for (const phone of [(await withVerifiedEmail()).user.phone, newPhone()]) {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await call('POST', '/api/v1/auth/email-codes', null, { phone, email: newAddress() })).statusCode,
        );
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    }
  });
});
