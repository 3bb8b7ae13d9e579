import type { ProblemTable } from '../platform/http/problem-table.js';

/**
 * Identity codes added after the core (the core's are in the platform table): passkeys.
 */
export const IDENTITY_PROBLEMS = {
  PASSKEY_INVALID: { status: 422, zh: '通行密钥验证未通过，请重试。', en: 'The passkey could not be verified. Please try again.' },
  PASSKEY_CHALLENGE_INVALID: { status: 422, zh: '验证已过期或已使用，请重新发起。', en: 'This passkey request has expired or was already used. Please start again.' },
  PASSKEY_NOT_FOUND: { status: 404, zh: '通行密钥不存在。', en: 'There is no such passkey.' },
  PASSKEY_LIMIT_REACHED: { status: 409, zh: '通行密钥数量已达上限，请先删除不用的通行密钥。', en: 'You have the most passkeys allowed. Remove one you no longer use first.' },
} as const satisfies ProblemTable;
