import { PROBLEM_CATALOGUE } from '../../server/problem-catalogue';
import { ApiError } from './api';
import i18n from './i18n';

/**
 * Problem code → human message, in the current language. The table is the server's own catalogue
 * (the platform's core codes and every domain's table), so a new code never shows up raw; the client adds the
 * few codes that only it can produce (no network).
 */
const CLIENT_PROBLEMS: Record<string, { zh: string; en: string }> = {
  NETWORK_ERROR: {
    zh: '网络连接失败，请检查网络后重试。',
    en: 'Could not reach the bank. Check your connection and try again.',
  },
  UNKNOWN: { zh: '操作未成功，请稍后再试。', en: 'That did not work. Please try again later.' },
};

const TABLE: Record<string, { zh: string; en: string }> = { ...PROBLEM_CATALOGUE, ...CLIENT_PROBLEMS };

export function messageForCode(code: string, fallback?: string): string {
  const entry = TABLE[code];
  const english = i18n.language === 'en';
  if (entry) return english ? entry.en : entry.zh;
  return fallback ?? (english ? CLIENT_PROBLEMS.UNKNOWN.en : CLIENT_PROBLEMS.UNKNOWN.zh);
}

/** What to tell a person about any error: never a stack, never a raw code. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return messageForCode(error.code, error.problem.title);
  return messageForCode('UNKNOWN');
}

export function errorCode(error: unknown): string | undefined {
  return error instanceof ApiError ? error.code : undefined;
}

export function knownProblemCodes(): string[] {
  return Object.keys(TABLE);
}
