import type { TestApp } from '../../test/app.js';
import type { OutgoingInput } from './assess.js';

/** Helpers for the risk tests: outgoing movements and staff sessions. */

let counter = 0;
export const nextReference = (prefix = 'test') => `${prefix}:${process.pid}:${++counter}`;
export const freshUserId = () => `usr_risktest_${process.pid}_${++counter}`;

export function outgoing(userId: string, amountFen: bigint, overrides: Partial<OutgoingInput> = {}): OutgoingInput {
  return {
    userId,
    walletAccountId: overrides.walletAccountId ?? `acc_of_${userId}`,
    amountFen,
    currency: 'CNY',
    payeeKey: 'wallet:acc_payee',
    payeeDisplay: '*三',
    channel: 'p2p',
    reference: nextReference(),
    ...overrides,
  };
}

export const codes = (decision: { reasons: { code: string }[] }) => decision.reasons.map((reason) => reason.code);

let staffPhone = 0;
/** A staff member with the given roles and a bearer session. */
export async function staffSession(
  t: TestApp,
  roles: ('support' | 'kyc_reviewer' | 'risk_analyst' | 'admin')[],
): Promise<{ id: string; auth: { authorization: string } }> {
  staffPhone++;
  const phone = `186${String(process.pid % 10_000).padStart(4, '0')}${String(staffPhone).padStart(4, '0')}`;
  const created = await t.services.identity.staff.create({
    phone,
    name: '风控员',
    password: 'quiet-harbor-77-lamp',
    roles,
  });
  if (!created.ok) throw new Error(`staff not created: ${created.error.code}`);
  const session = await t.services.identity.sessions.start('staff', created.value.id, {
    deviceId: null,
    ip: '10.9.9.9',
    userAgent: 'test',
  });
  return { id: created.value.id, auth: { authorization: `Bearer ${session.token}` } };
}
