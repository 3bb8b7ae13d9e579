/**
 * The billers Tongbao reaches through the bill network, and the rules of their account numbers
 * (户号): length, digits only, a Luhn check digit where the biller uses one. The seed list is
 * written to `bill_billers` on first use; staff enable, disable and announce maintenance there.
 */

export const BILLER_TYPES = ['water', 'electricity', 'gas', 'telecom', 'property'] as const;
export type BillerType = (typeof BILLER_TYPES)[number];

export interface BillerSeed {
  id: string;
  name: string;
  nameEn: string;
  type: BillerType;
  city: string;
  cityName: string;
  cityNameEn: string;
  mode: 'postpaid' | 'prepaid';
  prepaidMinimumFen: bigint | null;
  prepaidMaximumFen: bigint | null;
  accountLength: number;
  /** A fixed start every account number has (e.g. '1' for mobile numbers). */
  accountPrefix: string;
  checkDigit: 'luhn' | null;
  example: string;
  hintZh: string;
  hintEn: string;
  /**
   * Late fee per day on the overdue amount, in per mille, from the day after the due date.
   * Electricity 1‰ (供电营业规则 art. 98); water and gas follow local rules (0.5‰ here).
   */
  lateFeePerMille: number;
}

/** The Luhn check digit for a string of digits (the digit to append). */
export function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** An account number with a valid check digit: `body` plus its Luhn digit. */
export const withLuhn = (body: string) => body + luhnDigit(body);

const PER_MILLE_ELECTRICITY = 1;
const PER_MILLE_LOCAL = 0.5;

export const SEED_BILLERS: readonly BillerSeed[] = [
  {
    id: 'blr_sh_power',
    name: '国网上海市电力公司',
    nameEn: 'State Grid Shanghai Electric Power',
    type: 'electricity',
    city: 'shanghai',
    cityName: '上海',
    cityNameEn: 'Shanghai',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 10,
    accountPrefix: '',
    checkDigit: 'luhn',
    example: withLuhn('310000000'),
    hintZh: '10位数字户号，见电费账单右上角',
    hintEn: '10-digit account number, top right of your electricity bill',
    lateFeePerMille: PER_MILLE_ELECTRICITY,
  },
  {
    id: 'blr_bj_power',
    name: '国网北京市电力公司',
    nameEn: 'State Grid Beijing Electric Power',
    type: 'electricity',
    city: 'beijing',
    cityName: '北京',
    cityNameEn: 'Beijing',
    mode: 'prepaid',
    prepaidMinimumFen: 1_000n,
    prepaidMaximumFen: 500_000n,
    accountLength: 10,
    accountPrefix: '',
    checkDigit: 'luhn',
    example: withLuhn('110000000'),
    hintZh: '10位数字户号，见购电卡或电表旁标签',
    hintEn: '10-digit account number, on your meter card or the label by the meter',
    lateFeePerMille: 0,
  },
  {
    id: 'blr_gz_power',
    name: '南方电网广州供电局',
    nameEn: 'China Southern Power Grid Guangzhou',
    type: 'electricity',
    city: 'guangzhou',
    cityName: '广州',
    cityNameEn: 'Guangzhou',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 12,
    accountPrefix: '',
    checkDigit: 'luhn',
    example: withLuhn('44010000000'),
    hintZh: '12位数字户号，见电费通知单',
    hintEn: '12-digit account number, on your electricity notice',
    lateFeePerMille: PER_MILLE_ELECTRICITY,
  },
  {
    id: 'blr_bj_water',
    name: '北京市自来水集团',
    nameEn: 'Beijing Waterworks Group',
    type: 'water',
    city: 'beijing',
    cityName: '北京',
    cityNameEn: 'Beijing',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 8,
    accountPrefix: '',
    checkDigit: null,
    example: '10000001',
    hintZh: '8位数字用户编号，见水费账单',
    hintEn: '8-digit customer number, on your water bill',
    lateFeePerMille: PER_MILLE_LOCAL,
  },
  {
    id: 'blr_sh_water',
    name: '上海城投水务',
    nameEn: 'Shanghai Chengtou Water',
    type: 'water',
    city: 'shanghai',
    cityName: '上海',
    cityNameEn: 'Shanghai',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 9,
    accountPrefix: '',
    checkDigit: null,
    example: '200000001',
    hintZh: '9位数字户号，见水费账单左上角',
    hintEn: '9-digit account number, top left of your water bill',
    lateFeePerMille: PER_MILLE_LOCAL,
  },
  {
    id: 'blr_bj_gas',
    name: '北京燃气',
    nameEn: 'Beijing Gas',
    type: 'gas',
    city: 'beijing',
    cityName: '北京',
    cityNameEn: 'Beijing',
    mode: 'prepaid',
    prepaidMinimumFen: 2_000n,
    prepaidMaximumFen: 300_000n,
    accountLength: 10,
    accountPrefix: '',
    checkDigit: 'luhn',
    example: withLuhn('120000000'),
    hintZh: '10位数字燃气卡号',
    hintEn: '10-digit gas card number',
    lateFeePerMille: 0,
  },
  {
    id: 'blr_sh_gas',
    name: '上海燃气',
    nameEn: 'Shanghai Gas',
    type: 'gas',
    city: 'shanghai',
    cityName: '上海',
    cityNameEn: 'Shanghai',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 11,
    accountPrefix: '',
    checkDigit: null,
    example: '31000000001',
    hintZh: '11位数字户号，见燃气账单',
    hintEn: '11-digit account number, on your gas bill',
    lateFeePerMille: PER_MILLE_LOCAL,
  },
  {
    id: 'blr_cmcc',
    name: '中国移动',
    nameEn: 'China Mobile',
    type: 'telecom',
    city: 'all',
    cityName: '全国',
    cityNameEn: 'Nationwide',
    mode: 'prepaid',
    prepaidMinimumFen: 1_000n,
    prepaidMaximumFen: 50_000n,
    accountLength: 11,
    accountPrefix: '1',
    checkDigit: null,
    example: '13800000001',
    hintZh: '11位手机号码',
    hintEn: '11-digit mobile number',
    lateFeePerMille: 0,
  },
  {
    id: 'blr_sz_property',
    name: '深圳万科物业',
    nameEn: 'Shenzhen Vanke Property Services',
    type: 'property',
    city: 'shenzhen',
    cityName: '深圳',
    cityNameEn: 'Shenzhen',
    mode: 'postpaid',
    prepaidMinimumFen: null,
    prepaidMaximumFen: null,
    accountLength: 8,
    accountPrefix: '',
    checkDigit: null,
    example: '50000001',
    hintZh: '8位数字房号编码，见物业缴费通知',
    hintEn: '8-digit unit code, on your property fee notice',
    lateFeePerMille: 0,
  },
];

export interface AccountRule {
  accountLength: number;
  accountPrefix: string;
  checkDigit: 'luhn' | null;
}

export type FormatProblem = 'length' | 'digits' | 'prefix' | 'check_digit';

/** Why an account number does not fit the biller's format, or null when it does. */
export function accountFormatProblem(rule: AccountRule, accountNumber: string): FormatProblem | null {
  if (!/^\d*$/.test(accountNumber)) return 'digits';
  if (accountNumber.length !== rule.accountLength) return 'length';
  if (!accountNumber.startsWith(rule.accountPrefix)) return 'prefix';
  if (rule.checkDigit === 'luhn' && luhnDigit(accountNumber.slice(0, -1)) !== accountNumber.slice(-1))
    return 'check_digit';
  return null;
}

/**
 * The two digits that choose a sandbox behaviour: those before the check digit where the biller has
 * one, else the last two (docs/bills.md).
 */
export function sandboxMarker(rule: Pick<AccountRule, 'checkDigit'>, accountNumber: string): string {
  const body = rule.checkDigit ? accountNumber.slice(0, -1) : accountNumber;
  return body.slice(-2);
}

/** The late fee so far: per mille per day on the bill amount, from the day after the due date. */
export function lateFeeFen(amountFen: bigint, perMille: number, dueDate: string, today: string): bigint {
  if (perMille <= 0 || today <= dueDate) return 0n;
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
  // per mille with one decimal place kept exact: fee = amount × perMille × days / 1000
  const tenths = BigInt(Math.round(perMille * 10));
  return (amountFen * tenths * BigInt(days)) / 10_000n;
}
