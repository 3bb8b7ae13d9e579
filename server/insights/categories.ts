/**
 * Spending categories and the merchant category code (ISO 18245) table that picks one for a merchant
 * payment. The ranges follow the MCC groups card networks publish (airlines 3000–3299, car rental
 * 3351–3500, lodging 3501–3999, transport 4011–4789, utilities 4812–4900, retail 5000–5999,
 * services 7000–8999, government 9000–9999); a code no range names is `other`.
 */

export const CATEGORIES = [
  'dining',
  'groceries',
  'shopping',
  'transport',
  'utilities',
  'housing',
  'health',
  'education',
  'entertainment',
  'travel',
  'personal_care',
  'services',
  'insurance',
  'government',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_NAMES: Record<Category, { zh: string; en: string }> = {
  dining: { zh: '餐饮', en: 'Dining' },
  groceries: { zh: '超市生鲜', en: 'Groceries' },
  shopping: { zh: '购物', en: 'Shopping' },
  transport: { zh: '交通出行', en: 'Transport' },
  utilities: { zh: '生活缴费', en: 'Utilities' },
  housing: { zh: '住房', en: 'Housing' },
  health: { zh: '医疗健康', en: 'Health' },
  education: { zh: '教育', en: 'Education' },
  entertainment: { zh: '休闲娱乐', en: 'Entertainment' },
  travel: { zh: '旅行酒店', en: 'Travel' },
  personal_care: { zh: '美容个护', en: 'Personal care' },
  services: { zh: '生活服务', en: 'Services' },
  insurance: { zh: '保险', en: 'Insurance' },
  government: { zh: '政务税费', en: 'Government and tax' },
  other: { zh: '其他', en: 'Other' },
};

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** Single codes first (they override the range they sit in), then ranges, inclusive. */
const SINGLE: Record<string, Category> = {
  '4111': 'transport',
  '4112': 'transport',
  '4121': 'transport',
  '4131': 'transport',
  '4411': 'travel',
  '4511': 'travel',
  '4582': 'travel',
  '4722': 'travel',
  '4784': 'transport',
  '4789': 'transport',
  '4812': 'utilities',
  '4814': 'utilities',
  '4816': 'utilities',
  '4821': 'utilities',
  '4899': 'utilities',
  '4900': 'utilities',
  '5300': 'groceries',
  '5310': 'shopping',
  '5311': 'shopping',
  '5331': 'shopping',
  '5399': 'shopping',
  '5411': 'groceries',
  '5422': 'groceries',
  '5441': 'groceries',
  '5451': 'groceries',
  '5462': 'groceries',
  '5499': 'groceries',
  '5541': 'transport',
  '5542': 'transport',
  '5811': 'dining',
  '5812': 'dining',
  '5813': 'dining',
  '5814': 'dining',
  '5815': 'entertainment',
  '5816': 'entertainment',
  '5817': 'entertainment',
  '5818': 'entertainment',
  '5912': 'health',
  '5942': 'education',
  '5943': 'education',
  '5975': 'health',
  '5976': 'health',
  '5977': 'personal_care',
  '6300': 'insurance',
  '6381': 'insurance',
  '6399': 'insurance',
  '6513': 'housing',
  '7011': 'travel',
  '7012': 'travel',
  '7512': 'travel',
  '7523': 'transport',
  '7832': 'entertainment',
  '7841': 'entertainment',
  '7230': 'personal_care',
  '7297': 'personal_care',
  '7298': 'personal_care',
  '8398': 'other',
  '8661': 'other',
  '9311': 'government',
};

const RANGES: [number, number, Category][] = [
  [1520, 1799, 'housing'],
  [3000, 3350, 'travel'],
  [3351, 3500, 'travel'],
  [3501, 3999, 'travel'],
  [4000, 4799, 'transport'],
  [4800, 4999, 'utilities'],
  [5000, 5199, 'shopping'],
  [5200, 5299, 'shopping'],
  [5300, 5399, 'shopping'],
  [5400, 5499, 'groceries'],
  [5500, 5599, 'transport'],
  [5600, 5699, 'shopping'],
  [5700, 5799, 'shopping'],
  [5800, 5899, 'dining'],
  [5900, 5999, 'shopping'],
  [6000, 6299, 'other'],
  [6300, 6399, 'insurance'],
  [6500, 6599, 'housing'],
  [7000, 7099, 'travel'],
  [7200, 7299, 'personal_care'],
  [7300, 7399, 'services'],
  [7500, 7549, 'transport'],
  [7550, 7799, 'services'],
  [7800, 7999, 'entertainment'],
  [8000, 8099, 'health'],
  [8200, 8299, 'education'],
  [8300, 8999, 'services'],
  [9000, 9999, 'government'],
];

/** The category of a merchant category code; `other` for a code outside every range or not four digits. */
export function categoryOfMcc(mcc: string | null | undefined): Category {
  if (!mcc || !/^\d{4}$/.test(mcc)) return 'other';
  const single = SINGLE[mcc];
  if (single) return single;
  const code = Number(mcc);
  for (const [from, to, category] of RANGES) if (code >= from && code <= to) return category;
  return 'other';
}
