import { shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';

/** Resident identity numbers per GB 11643-1999. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export interface ResidentId {
  normalized: string;
  regionCode: string;
  birthDate: string;
  sex: 'male' | 'female';
}

export type ResidentIdError = { code: 'INVALID_ID_NUMBER'; reason: 'format' | 'checksum' | 'birth_date' };

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function parseResidentId(input: string, now: Date): Result<ResidentId, ResidentIdError> {
  let id = input.trim().toUpperCase();
  if (/^\d{15}$/.test(id)) {
    const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
    id = first17 + residentIdCheckChar(first17);
  }
  if (!/^\d{17}[\dX]$/.test(id)) return err({ code: 'INVALID_ID_NUMBER', reason: 'format' });
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return err({ code: 'INVALID_ID_NUMBER', reason: 'checksum' });
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (year < 1900 || !realDate(year, month, day) || birthDate > shanghaiDay(now)) {
    return err({ code: 'INVALID_ID_NUMBER', reason: 'birth_date' });
  }
  return ok({
    normalized: id,
    regionCode: id.slice(0, 6),
    birthDate,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  });
}

/** Whole years of age on the Asia/Shanghai calendar day of `now`. */
export function ageOn(birthDate: string, now: Date): number {
  const today = shanghaiDay(now);
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age--;
  return age;
}
