import type { HttpAdapterSettings } from './platform/outbound-http.js';

/**
 * Which adapter each outside system uses, and the real adapters' settings, from the environment
 * (docs/operations.md). Outside production every system defaults to its sandbox, unless its URL is
 * set. In production every system defaults to its HTTP adapter and start-up refuses when any
 * setting is missing or invalid; a sandbox there needs both `TONGBAO_<SYSTEM>_ADAPTER=sandbox`
 * and the staging flag (`--allow-sandbox` or TONGBAO_ALLOW_SANDBOX=1).
 */

export type AdapterChoice =
  { readonly kind: 'sandbox' } | { readonly kind: 'http'; readonly settings: HttpAdapterSettings };

export interface OutsideSystems {
  readonly sms: AdapterChoice;
  /** The e-mail gateway: codes and notices to a holder's verified recovery e-mail. */
  readonly email: AdapterChoice;
  readonly documentCheck: AdapterChoice;
  /** The card network also signs the callbacks it posts to us with `callbackSecret`. */
  readonly cardNetwork: AdapterChoice & { readonly callbackSecret?: string };
  readonly payoutRail: AdapterChoice;
  readonly billNetwork: AdapterChoice;
  readonly fundCompany: AdapterChoice;
  readonly creditBureau: AdapterChoice;
  /** The interbank network also signs the notifications it posts to us with `callbackSecret`. */
  readonly interbankNetwork: AdapterChoice & { readonly callbackSecret?: string };
}

interface SystemSpec {
  readonly key: keyof OutsideSystems;
  /** Environment prefix: TONGBAO_<prefix>_URL and so on. */
  readonly prefix: string;
  readonly label: string;
  readonly defaultTimeoutMs: number;
}

export const OUTSIDE_SYSTEMS: readonly SystemSpec[] = [
  { key: 'sms', prefix: 'SMS', label: 'SMS gateway', defaultTimeoutMs: 5_000 },
  { key: 'email', prefix: 'EMAIL', label: 'e-mail gateway', defaultTimeoutMs: 10_000 },
  { key: 'documentCheck', prefix: 'DOCUMENT_CHECK', label: 'identity document check', defaultTimeoutMs: 20_000 },
  { key: 'cardNetwork', prefix: 'CARD_NETWORK', label: 'bank card network', defaultTimeoutMs: 10_000 },
  { key: 'payoutRail', prefix: 'PAYOUT_RAIL', label: 'interbank payout rail', defaultTimeoutMs: 10_000 },
  { key: 'billNetwork', prefix: 'BILL_NETWORK', label: 'bill network', defaultTimeoutMs: 10_000 },
  { key: 'fundCompany', prefix: 'FUND_COMPANY', label: 'fund company', defaultTimeoutMs: 10_000 },
  { key: 'creditBureau', prefix: 'CREDIT_BUREAU', label: 'credit bureau', defaultTimeoutMs: 10_000 },
  { key: 'interbankNetwork', prefix: 'INTERBANK_NETWORK', label: 'interbank network', defaultTimeoutMs: 10_000 },
];

const MIN_SECRET_LENGTH = 32;

/** The process refuses to start; `problems` lists every missing or invalid setting. */
export class OutsideSystemsConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Refusing to start: outside systems are not configured for ` +
        `production.\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n` +
        'Set the variables listed in docs/operations.md, or for a staging system pass --allow-sandbox ' +
        '(TONGBAO_ALLOW_SANDBOX=1) with TONGBAO_<SYSTEM>_ADAPTER=sandbox.',
    );
    this.name = 'OutsideSystemsConfigError';
  }
}

function baseUrl(raw: string, name: string, production: boolean, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL`);
    return '';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production)) {
    problems.push(production ? `${name} must use https:// in production` : `${name} must use http:// or https://`);
  }
  if (url.username || url.password)
    problems.push(`${name} must not carry credentials (use the _KEY_ID and _SECRET variables)`);
  if (url.search || url.hash) problems.push(`${name} must not have a query or fragment`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function secret(env: NodeJS.ProcessEnv, name: string, label: string, problems: string[]): string {
  const value = env[name] ?? '';
  if (value === '') problems.push(`${name} is missing (${label})`);
  else if (value.length < MIN_SECRET_LENGTH) problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
  return value;
}

function choose(
  env: NodeJS.ProcessEnv,
  spec: SystemSpec,
  options: { production: boolean; allowSandbox: boolean },
  problems: string[],
): AdapterChoice {
  const p = `TONGBAO_${spec.prefix}`;
  const url = env[`${p}_URL`] ?? '';
  const declared = env[`${p}_ADAPTER`] ?? '';
  if (declared !== '' && declared !== 'sandbox' && declared !== 'http') {
    problems.push(`${p}_ADAPTER must be "http" or "sandbox", got "${declared}"`);
    return { kind: 'sandbox' };
  }
  const kind = declared || (options.production || url !== '' ? 'http' : 'sandbox');
  if (kind === 'sandbox') {
    if (options.production && !options.allowSandbox)
      problems.push(`${p}_ADAPTER=sandbox: the ${spec.label} sandbox never runs in production without --allow-sandbox`);
    return { kind: 'sandbox' };
  }
  if (url === '') problems.push(`${p}_URL is missing (${spec.label})`);
  const keyId = env[`${p}_KEY_ID`] ?? '';
  if (!/^[\w.:-]{1,128}$/.test(keyId))
    problems.push(
      keyId === '' ? `${p}_KEY_ID is missing (${spec.label})` : `${p}_KEY_ID must be 1-128 letters, digits or . _ : -`,
    );
  const timeoutRaw = env[`${p}_TIMEOUT_MS`] ?? '';
  const timeoutMs = timeoutRaw === '' ? spec.defaultTimeoutMs : Number(timeoutRaw);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)
    problems.push(`${p}_TIMEOUT_MS must be an integer between 100 and 120000, got "${timeoutRaw}"`);
  return {
    kind: 'http',
    settings: {
      baseUrl: url === '' ? '' : baseUrl(url, `${p}_URL`, options.production, problems),
      keyId,
      secret: secret(env, `${p}_SECRET`, spec.label, problems),
      timeoutMs,
    },
  };
}

export function loadOutsideSystems(
  env: NodeJS.ProcessEnv,
  options: { production: boolean; allowSandbox: boolean },
): OutsideSystems {
  const problems: string[] = [];
  const [sms, email, documentCheck, cardNetwork, payoutRail, billNetwork, fundCompany, creditBureau, interbank] =
    OUTSIDE_SYSTEMS.map((spec) => choose(env, spec, options, problems));
  const callbackSecret =
    cardNetwork.kind === 'http'
      ? secret(env, 'TONGBAO_CARD_NETWORK_CALLBACK_SECRET', 'card network callbacks', problems)
      : undefined;
  const interbankSecret =
    interbank.kind === 'http'
      ? secret(env, 'TONGBAO_INTERBANK_NETWORK_CALLBACK_SECRET', 'interbank network notifications', problems)
      : undefined;
  if (problems.length > 0) throw new OutsideSystemsConfigError(problems);
  return {
    sms,
    email,
    documentCheck,
    cardNetwork: { ...cardNetwork, callbackSecret },
    payoutRail,
    billNetwork,
    fundCompany,
    creditBureau,
    interbankNetwork: { ...interbank, callbackSecret: interbankSecret },
  };
}

/** The systems running on a sandbox, for the start-up warning. */
export function sandboxesIn(systems: OutsideSystems): string[] {
  return OUTSIDE_SYSTEMS.filter((spec) => systems[spec.key].kind === 'sandbox').map((spec) => spec.label);
}
