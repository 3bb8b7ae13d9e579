import { fenToJson } from '../platform/money.js';

/**
 * The risk rules as pure functions of a movement's features and the rule's thresholds. Thresholds
 * are data (table risk_rules, changed by admins through the API); the code only knows their shape.
 * Every rule fires at its boundary, described beside it, and not below it.
 */

export const RULE_NAMES = [
  'velocity',
  'new_device',
  'new_payee_large',
  'deviation',
  'night_large',
  'post_reset',
  'network_change',
  'repeated_denials',
  'takeover',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];
export type RiskAction = 'step_up' | 'hold' | 'block';
export type RiskOutcome = 'allow' | RiskAction;
export const RISK_ACTIONS: readonly RiskAction[] = ['step_up', 'hold', 'block'];

export interface RuleConfig {
  rule: RuleName;
  version: number;
  enabled: boolean;
  action: RiskAction;
  thresholds: Record<string, unknown>;
}

type Kind = 'ms' | 'fen' | 'count' | 'hour' | 'number' | 'prefixes';
/** Which thresholds each rule takes and of what kind; anything else is refused. */
export const THRESHOLD_SPEC: Record<RuleName, Record<string, Kind>> = {
  velocity: { windowMs: 'ms', maxCount: 'count', maxAmountFen: 'fen' },
  new_device: { deviceAgeMs: 'ms', minAmountFen: 'fen' },
  new_payee_large: { payeeAgeMs: 'ms', minAmountFen: 'fen' },
  deviation: { historyMs: 'ms', minHistory: 'count', sigmas: 'number' },
  night_large: { fromHour: 'hour', toHour: 'hour', minAmountFen: 'fen' },
  post_reset: { windowMs: 'ms', capFen: 'fen' },
  network_change: { historyMs: 'ms', minAmountFen: 'fen', datacenterPrefixes: 'prefixes' },
  repeated_denials: { windowMs: 'ms', count: 'count' },
  takeover: { windowMs: 'ms' },
};

const MAX_WINDOW_MS = 366 * 24 * 3600_000;

/** Checks a thresholds object against its rule's spec; returns what is wrong, or null. */
export function invalidThresholds(rule: RuleName, thresholds: Record<string, unknown>): string | null {
  const spec = THRESHOLD_SPEC[rule];
  for (const key of Object.keys(thresholds)) if (!(key in spec)) return `${key} is not a setting of ${rule}`;
  for (const [key, kind] of Object.entries(spec)) {
    const value = thresholds[key];
    if (value === undefined) return `${key} is required`;
    if (kind === 'prefixes') {
      if (
        !Array.isArray(value) ||
        value.length > 100 ||
        !value.every((p) => typeof p === 'string' && p.length >= 1 && p.length <= 45)
      )
        return `${key} must be a list of address prefixes`;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${key} must be a number`;
    if (kind === 'number' && (value <= 0 || value > 100)) return `${key} must be between 0 and 100`;
    if (kind !== 'number' && !Number.isSafeInteger(value)) return `${key} must be an integer`;
    if (kind === 'hour' && (value < 0 || value > 24)) return `${key} must be an hour from 0 to 24`;
    if (kind === 'ms' && (value < 1000 || value > MAX_WINDOW_MS)) return `${key} must be between 1 s and a year`;
    if ((kind === 'fen' || kind === 'count') && value < 0) return `${key} must not be negative`;
  }
  if (rule === 'night_large' && (thresholds.fromHour as number) >= (thresholds.toHour as number))
    return 'fromHour must be before toHour';
  return null;
}

/** What the engine knows about one movement when it decides. */
export interface Features {
  now: Date;
  amountFen: bigint;
  /** Movements (not blocked) in the velocity window before this one, and their total. */
  windowCount: number;
  windowAmountFen: bigint;
  /** Movements that went ahead in the deviation history window: count, mean and population σ in fen. */
  historyCount: number;
  historyMeanFen: number;
  historyStddevFen: number;
  /** When this payee was first paid (a movement that went ahead), or null if never. */
  payeeFirstSeenAt: Date | null;
  /** When identity first saw this device; null for a device it never saw; undefined when no device was given. */
  deviceFirstSeenAt: Date | null | undefined;
  /** The latest password recovery, password change or PIN reset, if any. */
  credentialResetAt: Date | null;
  ip: string | undefined;
  /** Movements that went ahead in the network history window, and whether any came from this network. */
  networkHistoryCount: number;
  networkSeen: boolean;
}

export interface Finding {
  rule: RuleName;
  /** Full details for staff: the values compared and the thresholds used. */
  details: Record<string, string | number | boolean | null>;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
export const shanghaiHour = (at: Date) => new Date(at.getTime() + SHANGHAI_OFFSET_MS).getUTCHours();

/** The network an address belongs to: an IPv4 /16 or an IPv6 /48, a stand-in for "location". */
export function networkOf(ip: string | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}`;
  if (ip.includes(':')) return ip.toLowerCase().split(':').slice(0, 3).join(':');
  return null;
}

const num = (thresholds: Record<string, unknown>, key: string) => thresholds[key] as number;
const fen = (thresholds: Record<string, unknown>, key: string) => BigInt(thresholds[key] as number);
const ageMs = (now: Date, at: Date) => now.getTime() - at.getTime();

type Check = (f: Features, t: Record<string, unknown>) => Finding['details'] | null;

const CHECKS: Record<Exclude<RuleName, 'repeated_denials'>, Check> = {
  // Fires on the (maxCount + 1)-th movement inside the window, or when the window's total would pass maxAmountFen.
  velocity: (f, t) => {
    const total = f.windowAmountFen + f.amountFen;
    if (f.windowCount < num(t, 'maxCount') && total <= fen(t, 'maxAmountFen')) return null;
    return {
      priorCount: f.windowCount,
      maxCount: num(t, 'maxCount'),
      windowTotalFen: fenToJson(total),
      maxAmountFen: num(t, 'maxAmountFen'),
      windowMs: num(t, 'windowMs'),
    };
  },
  // Fires for a device first seen less than deviceAgeMs ago (or never) and an amount above minAmountFen.
  new_device: (f, t) => {
    if (f.deviceFirstSeenAt === undefined || f.amountFen <= fen(t, 'minAmountFen')) return null;
    const age = f.deviceFirstSeenAt ? ageMs(f.now, f.deviceFirstSeenAt) : 0;
    if (age >= num(t, 'deviceAgeMs')) return null;
    return {
      deviceAgeMs: age,
      knownDevice: f.deviceFirstSeenAt !== null,
      limitAgeMs: num(t, 'deviceAgeMs'),
      amountFen: fenToJson(f.amountFen),
      minAmountFen: num(t, 'minAmountFen'),
    };
  },
  // Fires for a payee first paid less than payeeAgeMs ago (or never) and an amount of at least minAmountFen.
  new_payee_large: (f, t) => {
    if (f.amountFen < fen(t, 'minAmountFen')) return null;
    const age = f.payeeFirstSeenAt ? ageMs(f.now, f.payeeFirstSeenAt) : 0;
    if (f.payeeFirstSeenAt && age >= num(t, 'payeeAgeMs')) return null;
    return {
      payeeAgeMs: age,
      knownPayee: f.payeeFirstSeenAt !== null,
      limitAgeMs: num(t, 'payeeAgeMs'),
      amountFen: fenToJson(f.amountFen),
      minAmountFen: num(t, 'minAmountFen'),
    };
  },
  // Fires with at least minHistory movements behind it and an amount above mean + sigmas·σ.
  deviation: (f, t) => {
    if (f.historyCount < num(t, 'minHistory')) return null;
    const ceiling = f.historyMeanFen + num(t, 'sigmas') * f.historyStddevFen;
    if (fenToJson(f.amountFen) <= ceiling) return null;
    return {
      amountFen: fenToJson(f.amountFen),
      meanFen: Math.round(f.historyMeanFen),
      stddevFen: Math.round(f.historyStddevFen),
      ceilingFen: Math.floor(ceiling),
      historyCount: f.historyCount,
      sigmas: num(t, 'sigmas'),
    };
  },
  // Fires from fromHour:00 up to (not including) toHour:00 Asia/Shanghai, for at least minAmountFen.
  night_large: (f, t) => {
    const hour = shanghaiHour(f.now);
    if (hour < num(t, 'fromHour') || hour >= num(t, 'toHour') || f.amountFen < fen(t, 'minAmountFen')) return null;
    return {
      shanghaiHour: hour,
      fromHour: num(t, 'fromHour'),
      toHour: num(t, 'toHour'),
      amountFen: fenToJson(f.amountFen),
      minAmountFen: num(t, 'minAmountFen'),
    };
  },
  // Fires less than windowMs after a credential reset, for a payee not paid before the reset or an amount above capFen.
  post_reset: (f, t) => {
    if (!f.credentialResetAt || ageMs(f.now, f.credentialResetAt) >= num(t, 'windowMs')) return null;
    const payeeBeforeReset = f.payeeFirstSeenAt !== null && f.payeeFirstSeenAt < f.credentialResetAt;
    if (payeeBeforeReset && f.amountFen <= fen(t, 'capFen')) return null;
    return {
      resetAgeMs: ageMs(f.now, f.credentialResetAt),
      windowMs: num(t, 'windowMs'),
      payeeBeforeReset,
      amountFen: fenToJson(f.amountFen),
      capFen: num(t, 'capFen'),
    };
  },
  // Fires, for at least minAmountFen, from a network none of the recent movements came from, or from a datacenter
  // range.
  network_change: (f, t) => {
    if (!f.ip || f.amountFen < fen(t, 'minAmountFen')) return null;
    const datacenter = (t.datacenterPrefixes as string[]).some((prefix) => f.ip?.startsWith(prefix));
    const changed = f.networkHistoryCount > 0 && !f.networkSeen;
    if (!datacenter && !changed) return null;
    return {
      network: networkOf(f.ip),
      datacenter,
      changed,
      historyCount: f.networkHistoryCount,
      amountFen: fenToJson(f.amountFen),
      minAmountFen: num(t, 'minAmountFen'),
    };
  },
  // Signs of a taken-over account: a credential reset less than windowMs ago, then a new device paying a new payee.
  takeover: (f, t) => {
    if (!f.credentialResetAt || ageMs(f.now, f.credentialResetAt) >= num(t, 'windowMs')) return null;
    const deviceAfterReset =
      f.deviceFirstSeenAt === null || (f.deviceFirstSeenAt !== undefined && f.deviceFirstSeenAt >= f.credentialResetAt);
    const payeeNew = f.payeeFirstSeenAt === null || f.payeeFirstSeenAt >= f.credentialResetAt;
    if (!deviceAfterReset || !payeeNew) return null;
    return { resetAgeMs: ageMs(f.now, f.credentialResetAt), windowMs: num(t, 'windowMs'), deviceAfterReset, payeeNew };
  },
};

const SEVERITY: Record<RiskOutcome, number> = { allow: 0, step_up: 1, hold: 2, block: 3 };

export function stronger(a: RiskOutcome, b: RiskOutcome): RiskOutcome {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Runs every enabled rule; the outcome is the strongest action among those that fired. */
export function evaluate(
  features: Features,
  rules: ReadonlyMap<RuleName, RuleConfig>,
): { outcome: RiskOutcome; findings: (Finding & { action: RiskAction; version: number })[] } {
  let outcome: RiskOutcome = 'allow';
  const findings: (Finding & { action: RiskAction; version: number })[] = [];
  for (const [name, check] of Object.entries(CHECKS) as [Exclude<RuleName, 'repeated_denials'>, Check][]) {
    const config = rules.get(name);
    if (!config?.enabled) continue;
    const details = check(features, config.thresholds);
    if (!details) continue;
    findings.push({ rule: name, details, action: config.action, version: config.version });
    outcome = stronger(outcome, config.action);
  }
  return { outcome, findings };
}
