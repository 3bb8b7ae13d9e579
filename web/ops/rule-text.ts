import { money } from './format';

/**
 * A risk rule's thresholds (server/risk/rules.ts THRESHOLD_SPEC) as one sentence staff can read,
 * in both languages, instead of raw JSON; and a finding's details as "label: value" pairs.
 */

type T = Record<string, unknown>;

const n = (value: unknown) => (typeof value === 'number' ? value : Number(value ?? 0));

/** 600000 → "10 分钟" / "10 minutes", 172800000 → "2 天" / "2 days". */
export function duration(ms: unknown, english: boolean): string {
  const value = n(ms);
  const units: [number, string, string][] = [
    [86_400_000, '天', 'day'],
    [3_600_000, '小时', 'hour'],
    [60_000, '分钟', 'minute'],
    [1_000, '秒', 'second'],
  ];
  for (const [size, zh, en] of units) {
    if (value >= size && value % size === 0) {
      const count = value / size;
      return english ? `${count} ${en}${count === 1 ? '' : 's'}` : `${count} ${zh}`;
    }
  }
  return english ? `${value} ms` : `${value} 毫秒`;
}

const yuan = (fen: unknown) => money(n(fen));
const hour = (h: unknown) => `${String(n(h)).padStart(2, '0')}:00`;

const SENTENCES: Record<string, (t: T, english: boolean) => string> = {
  velocity: (t, en) =>
    en
      ? `${n(t.maxCount)} or more payments, or more than ${yuan(t.maxAmountFen)} in total, ` +
        `within ${duration(t.windowMs, en)}.`
      : `${duration(t.windowMs, en)}内付款达到 ${n(t.maxCount)} 笔，或合计超过 ${yuan(t.maxAmountFen)}。`,
  new_device: (t, en) =>
    en
      ? `More than ${yuan(t.minAmountFen)} from a device first seen less than ${duration(t.deviceAgeMs, en)} ago.`
      : `在首次使用不满 ${duration(t.deviceAgeMs, en)}的设备上付款超过 ${yuan(t.minAmountFen)}。`,
  new_payee_large: (t, en) =>
    en
      ? `${yuan(t.minAmountFen)} or more to a payee first paid less than ${duration(t.payeeAgeMs, en)} ago.`
      : `向首次付款不满 ${duration(t.payeeAgeMs, en)}的收款方支付 ${yuan(t.minAmountFen)} 及以上。`,
  deviation: (t, en) =>
    en
      ? `An amount more than ${n(t.sigmas)} standard deviations above the holder's payments of the last ` +
        `${duration(t.historyMs, en)} (at least ${n(t.minHistory)} payments to compare).`
      : `金额高于近 ${duration(t.historyMs, en)}付款平均值 ${n(t.sigmas)} 个标准差以上` +
        `（至少有 ${n(t.minHistory)} 笔可比较）。`,
  night_large: (t, en) =>
    en
      ? `${yuan(t.minAmountFen)} or more between ${hour(t.fromHour)} and ${hour(t.toHour)} Beijing time.`
      : `北京时间 ${hour(t.fromHour)} 至 ${hour(t.toHour)} 之间付款 ${yuan(t.minAmountFen)} 及以上。`,
  post_reset: (t, en) =>
    en
      ? `Within ${duration(t.windowMs, en)} of a password or PIN reset: any payment to a new payee, ` +
        `or more than ${yuan(t.capFen)} to anyone.`
      : `重置密码或支付密码后 ${duration(t.windowMs, en)}内：向新收款方付款，或单笔超过 ${yuan(t.capFen)}。`,
  network_change: (t, en) =>
    en
      ? `${yuan(t.minAmountFen)} or more from a data-centre address or a network not seen in the last ` +
        `${duration(t.historyMs, en)}.`
      : `从数据中心地址或近 ${duration(t.historyMs, en)}未出现过的网络付款 ${yuan(t.minAmountFen)} 及以上。`,
  repeated_denials: (t, en) =>
    en
      ? `The holder said “not me” ${n(t.count)} or more times within ${duration(t.windowMs, en)}.`
      : `${duration(t.windowMs, en)}内本人否认交易达 ${n(t.count)} 次。`,
  takeover: (t, en) =>
    en
      ? `Within ${duration(t.windowMs, en)} of a reset: a new device and a new payee together.`
      : `重置后 ${duration(t.windowMs, en)}内同时出现新设备和新收款方。`,
};

/** One sentence for a rule's thresholds; unknown rules fall back to "key: value" pairs. */
export function thresholdSentence(rule: string, thresholds: unknown, english: boolean): string {
  const t = (thresholds ?? {}) as T;
  const sentence = SENTENCES[rule];
  return sentence ? sentence(t, english) : detailPairs(t, english);
}

const KEY_LABELS: Record<string, [string, string]> = {
  windowMs: ['时间窗口', 'window'],
  windowCount: ['窗口内笔数', 'payments in the window'],
  windowTotalFen: ['窗口内合计', 'total in the window'],
  totalFen: ['合计', 'total'],
  maxCount: ['笔数上限', 'count limit'],
  maxAmountFen: ['金额上限', 'amount limit'],
  amountFen: ['金额', 'amount'],
  minAmountFen: ['起点金额', 'from amount'],
  capFen: ['单笔上限', 'cap'],
  deviceAgeMs: ['设备使用时长', 'device age'],
  payeeAgeMs: ['收款方时长', 'payee age'],
  resetAgeMs: ['距重置', 'since reset'],
  historyMs: ['参考期', 'history'],
  minHistory: ['最少笔数', 'minimum history'],
  sigmas: ['标准差倍数', 'standard deviations'],
  meanFen: ['平均金额', 'mean'],
  stddevFen: ['标准差', 'standard deviation'],
  ceilingFen: ['上限', 'ceiling'],
  historyCount: ['参考笔数', 'payments compared'],
  priorCount: ['此前笔数', 'earlier payments'],
  limitAgeMs: ['时限', 'age limit'],
  knownDevice: ['已知设备', 'known device'],
  knownPayee: ['已知收款方', 'known payee'],
  network: ['网络', 'network'],
  shanghaiHour: ['北京时间', 'Beijing hour'],
  fromHour: ['起', 'from'],
  toHour: ['止', 'to'],
  count: ['次数', 'count'],
  deviceAfterReset: ['重置后新设备', 'new device after reset'],
  payeeNew: ['新收款方', 'new payee'],
  datacenter: ['数据中心地址', 'data-centre address'],
  changed: ['网络变化', 'network changed'],
};

function pairValue(key: string, value: unknown, english: boolean): string {
  if (typeof value === 'boolean') return value ? (english ? 'yes' : '是') : english ? 'no' : '否';
  if (/Fen$/.test(key) && (typeof value === 'number' || typeof value === 'string')) return yuan(value);
  if (/Ms$/.test(key) && typeof value === 'number') return duration(value, english);
  if (/Hour$|^shanghaiHour$/i.test(key) && typeof value === 'number') return hour(value);
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? value.join(', ') : '…';
  return String(value);
}

/** A finding's or threshold's details as "label: value" pairs, amounts in yuan and times in words. */
export function detailPairs(details: unknown, english: boolean): string {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details as T)
    .map(([key, value]) => `${KEY_LABELS[key]?.[english ? 1 : 0] ?? key}: ${pairValue(key, value, english)}`)
    .join(english ? '; ' : '；');
}
