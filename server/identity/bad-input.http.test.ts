import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';

/**
 * Bad input on every identity route: each answers a 4xx application/problem+json with a stable
 * code, never a 500, and writes nothing. A few well-formed but meaningless inputs are answered by
 * the service (a domain code) and may only leave a failure record for the throttles.
 */

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let user: TestUser;
beforeAll(async () => {
  t = await createTestApp({ clock });
  user = await registerUser(t);
});
afterAll(async () => t?.close());

const TABLES = [
  'users',
  'sessions',
  'devices',
  'sms_codes',
  'sms_outbox',
  'passkeys',
  'webauthn_challenges',
  'payment_confirmations',
  'notifications',
  'security_cases',
  'audit_log',
  'login_failures',
  'staff',
];

async function counts(): Promise<Record<string, number>> {
  const { rows } = await t.db.query<Record<string, bigint>>(
    `SELECT ${TABLES.map((table) => `(SELECT count(*) FROM ${table}) AS ${table}`).join(', ')}`,
  );
  return Object.fromEntries(Object.entries(rows[0]).map(([table, n]) => [table, Number(n)]));
}

const PHONE = '13812345678';
const B64 = 'AAAA';
const assertion = (overrides: Record<string, unknown> = {}) => ({
  id: B64,
  rawId: B64,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: B64, authenticatorData: B64, signature: B64 },
  ...overrides,
});
const long = (n: number) => 'x'.repeat(n);

interface Case {
  name: string;
  request: InjectOptions;
  /** Who calls: the signed-in holder, or nobody. */
  as?: 'user';
  code?: string;
  /** Tables a refusal may write to (failure counters for throttling). */
  mayWrite?: string[];
}

const post = (url: string, payload: unknown): InjectOptions => ({
  method: 'POST',
  url,
  payload: payload as Record<string, unknown>,
});

const CASES: Case[] = [
  // Codes and registration
  { name: 'sms code: empty body', request: post('/api/v1/auth/sms-codes', {}) },
  {
    name: 'sms code: phone as a number',
    request: post('/api/v1/auth/sms-codes', { phone: 13812345678, purpose: 'register' }),
  },
  {
    name: 'sms code: not a mobile number',
    request: post('/api/v1/auth/sms-codes', { phone: '12345', purpose: 'register' }),
    code: 'INVALID_PHONE',
  },
  { name: 'sms code: unknown purpose', request: post('/api/v1/auth/sms-codes', { phone: PHONE, purpose: 'anything' }) },
  {
    name: 'sms code: extra field',
    request: post('/api/v1/auth/sms-codes', { phone: PHONE, purpose: 'register', admin: true }),
  },
  {
    name: 'sms code: text body',
    request: {
      method: 'POST',
      url: '/api/v1/auth/sms-codes',
      payload: 'phone=13812345678',
      headers: { 'content-type': 'text/plain' },
    },
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'sms code: broken JSON',
    request: {
      method: 'POST',
      url: '/api/v1/auth/sms-codes',
      payload: '{"phone": ',
      headers: { 'content-type': 'application/json' },
    },
    code: 'MALFORMED_REQUEST',
  },
  { name: 'register: missing fields', request: post('/api/v1/auth/register', { phone: PHONE }) },
  {
    name: 'register: letters in the code',
    request: post('/api/v1/auth/register', {
      phone: PHONE,
      smsCode: '12ab56',
      idNumber: '110101199003071234',
      name: '李四',
      password: 'river-lantern-42-moon',
    }),
  },
  {
    name: 'register: password too long',
    request: post('/api/v1/auth/register', {
      phone: PHONE,
      smsCode: '123456',
      idNumber: '110101199003071234',
      name: '李四',
      password: long(257),
    }),
  },
  {
    name: 'register: name too long',
    request: post('/api/v1/auth/register', {
      phone: PHONE,
      smsCode: '123456',
      idNumber: '110101199003071234',
      name: long(61),
      password: 'river-lantern-42-moon',
    }),
  },
  {
    name: 'register: unknown client',
    request: post('/api/v1/auth/register', {
      phone: PHONE,
      smsCode: '123456',
      idNumber: '110101199003071234',
      name: '李四',
      password: 'river-lantern-42-moon',
      client: 'mobile',
    }),
  },
  // Signing in, recovery, emergency routes
  { name: 'login: empty password', request: post('/api/v1/auth/login', { phone: PHONE, password: '' }) },
  {
    name: 'login: short TOTP code',
    request: post('/api/v1/auth/login', { phone: PHONE, password: 'x', totpCode: '12345' }),
  },
  {
    name: 'login: short device id',
    request: post('/api/v1/auth/login', { phone: PHONE, password: 'x', deviceId: 'abc' }),
  },
  {
    name: 'recover: no new password',
    request: post('/api/v1/auth/recover', {
      phone: PHONE,
      smsCode: '123456',
      idNumber: '110101199003071234',
      name: '李四',
    }),
  },
  { name: 'freeze: no code', request: post('/api/v1/auth/freeze', { phone: PHONE }) },
  {
    name: 'report theft: code as a number',
    request: post('/api/v1/auth/report-theft', { phone: PHONE, smsCode: 123456, idNumber: '110101199003071234' }),
  },
  { name: 'staff login: no TOTP', request: post('/api/v1/staff/auth/login', { phone: PHONE, password: 'x' }) },
  // Passkey sign-in
  { name: 'passkey options: phone as a number', request: post('/api/v1/auth/passkey/options', { phone: 13812345678 }) },
  { name: 'passkey options: extra field', request: post('/api/v1/auth/passkey/options', { userId: 'usr_x' }) },
  { name: 'passkey login: no response', request: post('/api/v1/auth/passkey/login', {}) },
  {
    name: 'passkey login: wrong credential type',
    request: post('/api/v1/auth/passkey/login', { response: assertion({ type: 'password' }) }),
  },
  {
    name: 'passkey login: not base64url',
    request: post('/api/v1/auth/passkey/login', { response: assertion({ id: 'a b/c+' }) }),
  },
  {
    name: 'passkey login: meaningless client data',
    request: post('/api/v1/auth/passkey/login', { response: assertion() }),
    code: 'PASSKEY_CHALLENGE_INVALID',
    mayWrite: ['login_failures'],
  },
  // The signed-in holder's own security
  {
    name: 'password: too long',
    as: 'user',
    request: post('/api/v1/me/password', { currentPassword: 'x', newPassword: long(300) }),
  },
  {
    name: 'password: missing current',
    as: 'user',
    request: post('/api/v1/me/password', { newPassword: 'copper-kettle-sings-77' }),
  },
  {
    name: 'pin: five digits',
    as: 'user',
    request: { method: 'PUT', url: '/api/v1/me/pin', payload: { newPin: '12345', password: 'x' } },
  },
  {
    name: 'pin: a number',
    as: 'user',
    request: { method: 'PUT', url: '/api/v1/me/pin', payload: { newPin: 135792, password: 'x' } },
  },
  {
    name: 'pin: weak',
    as: 'user',
    request: { method: 'PUT', url: '/api/v1/me/pin', payload: { newPin: '111111', password: 'river-lantern-42-moon' } },
    code: 'PIN_TOO_WEAK',
  },
  {
    name: 'pin reset: no ID number',
    as: 'user',
    request: post('/api/v1/me/pin/reset', { smsCode: '123456', newPin: '135792' }),
  },
  { name: 'totp enable: letters', as: 'user', request: post('/api/v1/me/totp/enable', { code: 'abcdef' }) },
  { name: 'totp disable: nothing', as: 'user', request: post('/api/v1/me/totp/disable', {}) },
  {
    name: 'totp disable: not on',
    as: 'user',
    request: post('/api/v1/me/totp/disable', { code: '123456' }),
    code: 'TOTP_NOT_ENABLED',
  },
  { name: 'unfreeze: missing fields', as: 'user', request: post('/api/v1/me/unfreeze', { smsCode: '123456' }) },
  {
    name: 'unfreeze: not frozen',
    as: 'user',
    request: post('/api/v1/me/unfreeze', { smsCode: '123456', password: 'x', idNumber: '110101199003071234' }),
    code: 'NOT_FROZEN',
  },
  { name: 'session: id too long', as: 'user', request: { method: 'DELETE', url: `/api/v1/me/sessions/${long(100)}` } },
  {
    name: 'session: unknown id',
    as: 'user',
    request: { method: 'DELETE', url: '/api/v1/me/sessions/sess_nope' },
    code: 'SESSION_NOT_FOUND',
  },
  // Passkeys
  { name: 'passkey options: no password', as: 'user', request: post('/api/v1/me/passkeys/registration-options', {}) },
  { name: 'passkey add: empty response', as: 'user', request: post('/api/v1/me/passkeys', { response: {} }) },
  {
    name: 'passkey add: empty name',
    as: 'user',
    request: post('/api/v1/me/passkeys', {
      name: '',
      response: {
        id: B64,
        rawId: B64,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: B64, attestationObject: B64 },
      },
    }),
  },
  {
    name: 'passkey add: name too long',
    as: 'user',
    request: post('/api/v1/me/passkeys', {
      name: long(41),
      response: {
        id: B64,
        rawId: B64,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: B64, attestationObject: B64 },
      },
    }),
  },
  {
    name: 'passkey add: meaningless answer',
    as: 'user',
    request: post('/api/v1/me/passkeys', {
      response: {
        id: B64,
        rawId: B64,
        type: 'public-key',
        clientExtensionResults: {},
        response: { clientDataJSON: B64, attestationObject: B64 },
      },
    }),
    code: 'PASSKEY_CHALLENGE_INVALID',
  },
  {
    name: 'passkey rename: blank name',
    as: 'user',
    request: { method: 'PATCH', url: '/api/v1/me/passkeys/pky_x', payload: { name: '   ' } },
  },
  {
    name: 'passkey rename: unknown',
    as: 'user',
    request: { method: 'PATCH', url: '/api/v1/me/passkeys/pky_x', payload: { name: 'mine' } },
    code: 'PASSKEY_NOT_FOUND',
  },
  {
    name: 'passkey remove: unknown',
    as: 'user',
    request: { method: 'DELETE', url: '/api/v1/me/passkeys/pky_x' },
    code: 'PASSKEY_NOT_FOUND',
  },
  // Confirmations and notifications
  { name: 'confirm: five-digit PIN', as: 'user', request: post('/api/v1/confirmations/cfm_x/pin', { pin: '12345' }) },
  {
    name: 'confirm: id too long',
    as: 'user',
    request: post(`/api/v1/confirmations/${long(65)}/pin`, { pin: '135792' }),
  },
  {
    name: 'confirm: unknown',
    as: 'user',
    request: post('/api/v1/confirmations/cfm_x/pin', { pin: '135792' }),
    code: 'CONFIRMATION_NOT_FOUND',
  },
  { name: 'confirm by passkey: no response', as: 'user', request: post('/api/v1/confirmations/cfm_x/passkey', {}) },
  {
    name: 'confirm by passkey: unknown',
    as: 'user',
    request: post('/api/v1/confirmations/cfm_x/passkey', { response: assertion() }),
    code: 'CONFIRMATION_NOT_FOUND',
  },
  { name: 'notifications: page of 500', as: 'user', request: { url: '/api/v1/notifications?limit=500' } },
  { name: 'notifications: page of letters', as: 'user', request: { url: '/api/v1/notifications?limit=abc' } },
  {
    name: 'notifications read: ids not a list',
    as: 'user',
    request: post('/api/v1/notifications/read', { ids: 'ntf_1' }),
  },
  {
    name: 'notifications read: too many ids',
    as: 'user',
    request: post('/api/v1/notifications/read', { ids: Array.from({ length: 101 }, (_, i) => `ntf_${i}`) }),
  },
];

describe('bad input on identity routes', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: a 4xx problem, nothing written', async (_name, c) => {
    const before = await counts();
    const response = await t.app.inject({
      ...c.request,
      headers: { ...(c.as === 'user' ? user.auth : {}), ...(c.request.headers ?? {}) },
    });
    expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe(c.code ?? 'VALIDATION_FAILED');
    const after = await counts();
    for (const table of c.mayWrite ?? []) {
      delete after[table];
      delete before[table];
    }
    expect(after).toEqual(before);
  });
});
