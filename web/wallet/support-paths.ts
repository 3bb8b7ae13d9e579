/**
 * Server-given links (help-article actions, next steps of an explanation) name wallet pages by the
 * API contract's paths; these are the wallet's routes for them. Unknown or foreign paths fall back to
 * the contact page, so a link can never leave the app.
 */
const ALIASES: [RegExp, string][] = [
  [/^\/wallet\/topup\b/, '/topup'],
  [/^\/wallet\/withdraw\b/, '/withdraw'],
  [/^\/wallet\/cards\b/, '/cards'],
  [/^\/me\/kyc\b/, '/verify'],
  [/^\/me\/(un)?freeze\b/, '/security/freeze'],
  [/^\/me\/notifications\b/, '/notifications'],
];

export function walletPath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return '/support/contact';
  const hold = /^\/risk\/confirmations\/([\w-]+)/.exec(path);
  if (hold) return `/held/${hold[1]}`;
  for (const [pattern, target] of ALIASES) if (pattern.test(path)) return path.replace(pattern, target);
  return path;
}

/** Refusals the explanation API turns into a cause with data and a next step. */
const EXPLAINABLE = new Set([
  'INSUFFICIENT_FUNDS',
  'LIMIT_EXCEEDED',
  'RISK_RESTRICTED',
  'RISK_BLOCKED',
  'ACCOUNT_FROZEN',
  'FEATURE_IN_MAINTENANCE',
  'CARD_DECLINED',
]);

export function explainable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && EXPLAINABLE.has(code);
}

/** Which money channel a wallet page moves money through, for explaining its refusals. */
export function channelOfPath(pathname: string): string {
  if (pathname.startsWith('/transfer') || pathname.startsWith('/requests')) return 'transfer';
  if (pathname.startsWith('/withdraw')) return 'withdrawal';
  if (pathname.startsWith('/topup')) return 'topup';
  if (pathname.startsWith('/bills')) return 'bill';
  return 'payment';
}

export function whyPath(code: string, channel: string, amount?: number | string | bigint | null): string {
  const fen = amount === undefined || amount === null ? '' : String(amount).replace('-', '');
  const params = new URLSearchParams({ code, channel });
  if (/^\d+$/.test(fen)) params.set('amount', fen);
  return `/support/why?${params.toString()}`;
}
