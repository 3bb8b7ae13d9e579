import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Login passwords per NIST SP 800-63B and OWASP ASVS 4.0.3 V2.1: at least 12 characters (ASVS 2.1.1,
 * stricter than NIST's 8), long ones allowed, no composition rules, not a common password, and
 * nothing of the holder's own that an attacker would try first.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordWeakness = 'too_short' | 'too_long' | 'common' | 'personal_info' | 'repetitive';
export type PasswordError = { code: 'PASSWORD_TOO_WEAK'; reason: PasswordWeakness };

export interface PasswordContext {
  phone?: string;
  idNumber?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
}

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(join(import.meta.dirname, 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/** Fragments of the holder's own data that must not appear in their password. */
function personalFragments(context: PasswordContext): string[] {
  const fragments: string[] = [];
  if (context.phone)
    fragments.push(context.phone, context.phone.slice(-8), context.phone.slice(-6), context.phone.slice(0, 7));
  if (context.idNumber) {
    const id = context.idNumber.toLowerCase();
    fragments.push(id.slice(-6), id.slice(0, 6), id.slice(-4 - 4, -4), id.slice(6, 14));
  }
  if (context.birthDate) {
    const [yyyy, mm, dd] = context.birthDate.split('-');
    fragments.push(
      `${yyyy}${mm}${dd}`,
      `${yyyy.slice(2)}${mm}${dd}`,
      `${mm}${dd}${yyyy}`,
      `${dd}${mm}${yyyy}`,
      `${mm}${dd}`,
      `${dd}${mm}`,
    );
  }
  return fragments.filter((fragment) => fragment.length >= 4);
}

function isRepetitive(password: string): boolean {
  const chars = [...password];
  if (new Set(chars).size <= 2) return true;
  // A run like 12345678 or abcdefgh, up or down.
  const codes = chars.map((char) => char.codePointAt(0) as number);
  const step = codes[1] - codes[0];
  return Math.abs(step) === 1 && codes.every((code, i) => i === 0 || code - codes[i - 1] === step);
}

export function checkPassword(password: string, context: PasswordContext = {}): PasswordError | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return { code: 'PASSWORD_TOO_WEAK', reason: 'too_short' };
  if (length > PASSWORD_MAX_LENGTH) return { code: 'PASSWORD_TOO_WEAK', reason: 'too_long' };
  const lower = password.toLowerCase();
  if (isRepetitive(lower)) return { code: 'PASSWORD_TOO_WEAK', reason: 'repetitive' };
  if (commonPasswords().has(lower)) return { code: 'PASSWORD_TOO_WEAK', reason: 'common' };
  if (personalFragments(context).some((fragment) => lower.includes(fragment.toLowerCase()))) {
    return { code: 'PASSWORD_TOO_WEAK', reason: 'personal_info' };
  }
  return null;
}
