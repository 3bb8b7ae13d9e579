import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { newPhone, outboxOf, registerUser, type TestUser } from '../../test/identity-factories.js';
import { SoftwareAuthenticator } from '../../test/webauthn-authenticator.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

let referenceCounter = 0;

const post = (url: string, user: Pick<TestUser, 'auth'> | null, payload: unknown = {}) =>
  t.app.inject({ method: 'POST', url, headers: user?.auth ?? {}, payload: payload as Record<string, unknown> });

/** Adds a passkey held by `authenticator` to the user's account through the API. */
async function addPasskey(user: TestUser, authenticator: SoftwareAuthenticator, name?: string) {
  const options = await post('/api/v1/me/passkeys/registration-options', user, { password: user.password });
  expect(options.statusCode, options.body).toBe(200);
  const added = await post('/api/v1/me/passkeys', user, { name, response: authenticator.create(options.json()) });
  expect(added.statusCode, added.body).toBe(201);
  return added.json() as { id: string; name: string };
}

async function signInOptions(phone?: string) {
  const options = await post('/api/v1/auth/passkey/options', null, phone ? { phone } : {});
  expect(options.statusCode, options.body).toBe(200);
  return options.json();
}

const signIn = (response: unknown, deviceId?: string) =>
  post('/api/v1/auth/passkey/login', null, { response, client: 'api', deviceId });

async function notificationKinds(user: TestUser): Promise<string[]> {
  const page = await t.app.inject({ url: '/api/v1/notifications', headers: user.auth });
  return page.json().items.map((n: { kind: string }) => n.kind);
}

describe('passkeys', () => {
  it('adds several, lists, renames and removes them, telling the holder each time', async () => {
    const user = await registerUser(t);
    const phone = new SoftwareAuthenticator();
    const laptop = new SoftwareAuthenticator();
    const first = await addPasskey(user, phone, 'iPhone');
    // Listed oldest first; ids made in the same millisecond are not ordered.
    clock.advanceMs(1000);
    const second = await addPasskey(user, laptop);
    expect(second.name).toBe('Passkey');
    const listed = await t.app.inject({ url: '/api/v1/me/passkeys', headers: user.auth });
    expect(listed.json().items.map((p: { id: string }) => p.id)).toEqual([first.id, second.id]);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/me/passkeys/${second.id}`,
      headers: user.auth,
      payload: { name: 'MacBook' },
    });
    expect(renamed.json().name).toBe('MacBook');
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/me/passkeys/${first.id}`, headers: user.auth })).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/me/passkeys/${first.id}`, headers: user.auth })).json()
        .code,
    ).toBe('PASSKEY_NOT_FOUND');
    expect(
      (await t.app.inject({ url: '/api/v1/me/passkeys', headers: user.auth }))
        .json()
        .items.map((p: { name: string }) => p.name),
    ).toEqual(['MacBook']);

    const kinds = await notificationKinds(user);
    expect(kinds.filter((k) => k === 'security.passkey_added')).toHaveLength(2);
    expect(kinds).toContain('security.passkey_removed');
    const texted = (await outboxOf(t, user.phone)).filter((message) => message.purpose.startsWith('security.passkey'));
    expect(texted).toHaveLength(3);
    // A removed passkey no longer signs in.
    expect((await signIn(phone.get(await signInOptions()))).json().code).toBe('PASSKEY_INVALID');
  });

  it('needs the password to start adding one, and user verification to finish', async () => {
    const user = await registerUser(t);
    expect(
      (await post('/api/v1/me/passkeys/registration-options', user, { password: 'not-my-password-1' })).json().code,
    ).toBe('PASSWORD_INVALID');
    const options = await post('/api/v1/me/passkeys/registration-options', user, { password: user.password });
    expect(options.json()).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
    });
    const authenticator = new SoftwareAuthenticator();
    const refused = await post('/api/v1/me/passkeys', user, {
      response: authenticator.create(options.json(), { userVerified: false }),
    });
    expect(refused.json()).toMatchObject({ code: 'PASSKEY_INVALID', reason: 'user_verification' });
    // The challenge was spent by the refused attempt.
    const again = await post('/api/v1/me/passkeys', user, {
      response: new SoftwareAuthenticator().create(options.json()),
    });
    expect(again.json().code).toBe('PASSKEY_CHALLENGE_INVALID');
    expect((await t.app.inject({ url: '/api/v1/me/passkeys', headers: user.auth })).json().items).toHaveLength(0);
  });

  it('holds at most ten per holder', async () => {
    const user = await registerUser(t);
    for (let i = 0; i < 10; i++) await addPasskey(user, new SoftwareAuthenticator(), `key ${i}`);
    expect(
      (await post('/api/v1/me/passkeys/registration-options', user, { password: user.password })).json().code,
    ).toBe('PASSKEY_LIMIT_REACHED');
  });

  it('refuses a registration answered for another user’s challenge', async () => {
    const alice = await registerUser(t);
    const bob = await registerUser(t);
    const options = await post('/api/v1/me/passkeys/registration-options', alice, { password: alice.password });
    const answer = new SoftwareAuthenticator().create(options.json());
    expect((await post('/api/v1/me/passkeys', bob, { response: answer })).json().code).toBe(
      'PASSKEY_CHALLENGE_INVALID',
    );
  });
});

describe('signing in with a passkey', () => {
  it('signs in with a discoverable passkey and by phone, and tells the holder about a new device', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    const passkey = await addPasskey(user, authenticator);

    const discoverable = await signIn(authenticator.get(await signInOptions()), 'passkey-device-001');
    expect(discoverable.statusCode, discoverable.body).toBe(200);
    expect(discoverable.json()).toMatchObject({ userId: user.userId, token: expect.stringMatching(/^ses_/) });
    const session = { authorization: `Bearer ${discoverable.json().token}` };
    expect((await t.app.inject({ url: '/api/v1/me', headers: session })).json().id).toBe(user.userId);
    expect(await notificationKinds(user)).toContain('security.new_device');

    const options = await signInOptions(user.phone);
    expect(options).toMatchObject({
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: [{ id: expect.any(String), type: 'public-key' }],
    });
    const byPhone = await signIn(authenticator.get(options), 'passkey-device-001');
    expect(byPhone.statusCode).toBe(200);
    const used = (await t.app.inject({ url: '/api/v1/me/passkeys', headers: user.auth }))
      .json()
      .items.find((p: { id: string }) => p.id === passkey.id);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('answers an unknown phone like a known one', async () => {
    const phone = newPhone();
    const options = await signInOptions(phone);
    expect(options.allowCredentials).toHaveLength(1);
    expect(options.allowCredentials[0].id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stable per phone, as a real holder's credential list would be, and different between phones.
    expect((await signInOptions(phone)).allowCredentials[0].id).toBe(options.allowCredentials[0].id);
    expect((await signInOptions(newPhone())).allowCredentials[0].id).not.toBe(options.allowCredentials[0].id);
  });

  it('refuses an assertion without user verification, from another origin, replayed, or late', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);

    expect((await signIn(authenticator.get(await signInOptions(), { userVerified: false }))).json()).toMatchObject({
      code: 'PASSKEY_INVALID',
      reason: 'user_verification',
    });
    expect(
      (await signIn(authenticator.get(await signInOptions(), { origin: 'https://tongbao.example.evil' }))).json(),
    ).toMatchObject({ code: 'PASSKEY_INVALID', reason: 'origin' });

    const good = authenticator.get(await signInOptions());
    expect((await signIn(good)).statusCode).toBe(200);
    expect((await signIn(good)).json().code).toBe('PASSKEY_CHALLENGE_INVALID');

    const options = await signInOptions();
    clock.advanceMs(5 * 60_000 + 1);
    expect((await signIn(authenticator.get(options))).json().code).toBe('PASSKEY_CHALLENGE_INVALID');
  });

  it('refuses a signature counter that does not grow (a cloned key) and tells the holder', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);
    expect((await signIn(authenticator.get(await signInOptions(), { signCount: 7 }))).statusCode).toBe(200);
    const clone = await signIn(authenticator.get(await signInOptions(), { signCount: 7 }));
    expect(clone.json()).toMatchObject({ code: 'PASSKEY_INVALID', reason: 'counter' });
    expect((await signIn(authenticator.get(await signInOptions(), { signCount: 3 }))).json().reason).toBe('counter');
    expect((await signIn(authenticator.get(await signInOptions(), { signCount: 8 }))).statusCode).toBe(200);
    expect(await notificationKinds(user)).toContain('security.passkey_cloned');
    const audit = await t.services.audit.search({ action: 'passkey.counter_regression' });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('signs a web client in with an httpOnly cookie', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);
    const web = await post('/api/v1/auth/passkey/login', null, {
      response: authenticator.get(await signInOptions(user.phone)),
    });
    expect(web.statusCode).toBe(200);
    expect(web.json().token).toBeUndefined();
    const cookie = web.cookies.find((c) => c.name === 'tb_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(
      (await t.app.inject({ url: '/api/v1/me', cookies: { tb_session: cookie?.value as string } })).json().id,
    ).toBe(user.userId);
  });

  it('limits sign-in options per address', async () => {
    const from = () =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/passkey/options', payload: {}, remoteAddress: '10.77.0.1' });
    for (let i = 0; i < 60; i++) expect((await from()).statusCode).toBe(200);
    const over = await from();
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('RATE_LIMITED');
    clock.advanceMs(15 * 60_000 + 1);
    expect((await from()).statusCode).toBe(200);
  });

  it('loses every passkey when theft is reported', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);
    expect((await post('/api/v1/me/report-theft', user)).statusCode).toBe(201);
    expect((await signIn(authenticator.get(await signInOptions()))).json()).toMatchObject({
      code: 'PASSKEY_INVALID',
      reason: 'unknown_credential',
    });
  });
});

describe('confirming a payment with a passkey', () => {
  async function prepare(user: TestUser, amountFen: bigint, payee = 'wallet:138****0000') {
    referenceCounter++;
    return t.services.identity.confirmations.create(user.userId, {
      reference: `test-passkey-${process.pid}-${referenceCounter}`,
      amountFen,
      currency: 'CNY',
      payee,
    });
  }

  it('approves exactly the confirmation whose challenge it signed', async () => {
    const user = await registerUser(t);
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);
    const rent = await prepare(user, 250_000n);
    const coffee = await prepare(user, 3_500n);

    const options = await post(`/api/v1/confirmations/${rent.id}/passkey/options`, user);
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json()).toMatchObject({ challenge: rent.challenge, userVerification: 'required' });
    const assertion = authenticator.get(options.json());

    // The assertion over the rent's challenge does not approve the coffee.
    const wrong = await post(`/api/v1/confirmations/${coffee.id}/passkey`, user, { response: assertion });
    expect(wrong.json().code).toBe('CONFIRMATION_INVALID');
    expect((await t.services.identity.confirmations.get(user.userId, coffee.id))?.status).toBe('pending');

    const confirmed = await post(`/api/v1/confirmations/${rent.id}/passkey`, user, { response: assertion });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: rent.id, status: 'confirmed', amount: 250_000 });
    const { rows } = await t.db.query<{ method: string }>('SELECT method FROM payment_confirmations WHERE id = $1', [
      rent.id,
    ]);
    expect(rows[0].method).toBe('passkey');
    expect((await post(`/api/v1/confirmations/${rent.id}/passkey`, user, { response: assertion })).json().code).toBe(
      'CONFIRMATION_INVALID',
    );

    // Spent on its own operation only: a changed amount is refused, the right one goes through once.
    const operation = { reference: rent.reference, amountFen: 250_000n, currency: 'CNY', payee: rent.payee };
    const tampered = await t.db.transaction((tx) =>
      t.services.identity.confirmations.consume(tx, user.userId, rent.id, { ...operation, amountFen: 250_001n }),
    );
    expect(tampered.ok).toBe(false);
    expect(
      (await t.db.transaction((tx) => t.services.identity.confirmations.consume(tx, user.userId, rent.id, operation)))
        .ok,
    ).toBe(true);
    expect(
      (await t.db.transaction((tx) => t.services.identity.confirmations.consume(tx, user.userId, rent.id, operation)))
        .ok,
    ).toBe(false);
  });

  it('refuses a sign-in assertion, a missing user verification, and another holder’s passkey', async () => {
    const alice = await registerUser(t);
    const bob = await registerUser(t);
    const alicesKey = new SoftwareAuthenticator();
    const bobsKey = new SoftwareAuthenticator();
    await addPasskey(alice, alicesKey);
    await addPasskey(bob, bobsKey);
    const payment = await prepare(alice, 10_000n);
    const options = (await post(`/api/v1/confirmations/${payment.id}/passkey/options`, alice)).json();

    const signInAssertion = alicesKey.get(await signInOptions());
    expect(
      (await post(`/api/v1/confirmations/${payment.id}/passkey`, alice, { response: signInAssertion })).json().code,
    ).toBe('CONFIRMATION_INVALID');
    expect(
      (
        await post(`/api/v1/confirmations/${payment.id}/passkey`, alice, {
          response: alicesKey.get(options, { userVerified: false }),
        })
      ).json(),
    ).toMatchObject({ code: 'PASSKEY_INVALID', reason: 'user_verification' });
    expect(
      (
        await post(`/api/v1/confirmations/${payment.id}/passkey`, alice, {
          response: bobsKey.get({ ...options, allowCredentials: [] }),
        })
      ).json().code,
    ).toBe('PASSKEY_INVALID');
    // Bob cannot even see Alice's confirmation.
    expect((await post(`/api/v1/confirmations/${payment.id}/passkey/options`, bob)).json().code).toBe(
      'CONFIRMATION_NOT_FOUND',
    );
    expect(
      (
        await post(`/api/v1/confirmations/${payment.id}/passkey`, bob, {
          response: bobsKey.get({ ...options, allowCredentials: [] }),
        })
      ).json().code,
    ).toBe('CONFIRMATION_NOT_FOUND');
    expect((await t.services.identity.confirmations.get(alice.userId, payment.id))?.status).toBe('pending');
    expect(
      (await post(`/api/v1/confirmations/${payment.id}/passkey`, alice, { response: alicesKey.get(options) })).json()
        .status,
    ).toBe('confirmed');
  });

  it('has nothing to offer a holder without passkeys, and nothing after the confirmation expired', async () => {
    const user = await registerUser(t);
    const payment = await prepare(user, 100n);
    expect((await post(`/api/v1/confirmations/${payment.id}/passkey/options`, user)).json().code).toBe(
      'PASSKEY_NOT_FOUND',
    );
    const authenticator = new SoftwareAuthenticator();
    await addPasskey(user, authenticator);
    const options = (await post(`/api/v1/confirmations/${payment.id}/passkey/options`, user)).json();
    clock.advanceMs(5 * 60_000 + 1);
    expect(
      (await post(`/api/v1/confirmations/${payment.id}/passkey`, user, { response: authenticator.get(options) })).json()
        .code,
    ).toBe('CONFIRMATION_EXPIRED');
  });
});
