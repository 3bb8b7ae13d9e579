import { expect } from 'vitest';
import type { TestApp } from '../../test/app.js';
import { newPhone } from '../../test/identity-factories.js';
import type { StaffRole } from '../identity/staff.js';
import { totpNow } from '../identity/totp.js';

export const STAFF_PASSWORD = 'harbour-signal-77-quartz';

export interface TestStaff {
  id: string;
  roles: StaffRole[];
  phone: string;
  auth: { authorization: string };
}

/** Creates a staff member and signs them in with password and TOTP, as the console does, with a bearer token. */
export async function signedInStaff(t: TestApp, roles: StaffRole[], at = new Date()): Promise<TestStaff> {
  const phone = newPhone();
  const created = await t.services.identity.staff.create({
    phone,
    name: `Staff ${roles.join('+')}`,
    password: STAFF_PASSWORD,
    roles,
  });
  if (!created.ok) throw new Error(`staff: ${created.error.code}`);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/auth/login',
    payload: { phone, password: STAFF_PASSWORD, totpCode: await totpNow(created.value.totpSecret, at), client: 'api' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { id: created.value.id, roles, phone, auth: { authorization: `Bearer ${login.json().token}` } };
}
