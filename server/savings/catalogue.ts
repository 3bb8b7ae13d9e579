/**
 * The product catalogue's shape and the products a new database starts with. Products are data:
 * each change is a new version in savings_product_versions, made through maker-checker and in
 * effect from its stated time (products.ts). Rates are e4 strings (see rules.ts), amounts fen.
 */

export interface Text {
  zh: string;
  en: string;
}

export const RISK_LEVELS = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const SAVINGS_TIERS = ['basic', 'verified', 'full'] as const;
export type SavingsTier = (typeof SAVINGS_TIERS)[number];
export type ProductKind = 'fund' | 'term_deposit';

/** One version of a product's terms, as stored (JSON: amounts and rates as decimal strings). */
export interface ProductTerms {
  name: Text;
  riskLevel: RiskLevel;
  status: 'on_sale' | 'closed';
  minimumFen: string;
  /** Funds: T+0 redemption offered (money-market funds only). */
  fastRedeem: boolean;
  termMonths: number | null;
  rateE4: string | null;
  demandRateE4: string | null;
  fees: Text;
  riskWarning: Text;
  manual: Text;
  /** Orders above this go to the staff queue. */
  reviewThresholdFen: string;
  minTier: SavingsTier;
}

export interface ProductSeed {
  id: string;
  kind: ProductKind;
  code: string;
  fundCode: string | null;
  terms: ProductTerms;
}

const PAST_PERFORMANCE = {
  zh: '过往业绩不代表未来表现。',
  en: 'Past performance does not guarantee future results.',
};

const FUND_WARNING: Text = {
  zh: `理财非存款，产品有风险，投资须谨慎。基金管理人不保证基金一定盈利，也不保证最低收益。${PAST_PERFORMANCE.zh}`,
  en:
    'Investment products are not deposits and carry risk; invest with care. The fund manager guarantees ' +
    `neither a profit nor a minimum return. ${PAST_PERFORMANCE.en}`,
};

const DEPOSIT_WARNING: Text = {
  zh: '存款受《存款保险条例》保护，同一存款人在同一家银行的存款本息合计50万元以内全额偿付。提前支取按活期利率计息。',
  en:
    'Deposits are protected by the Deposit Insurance Regulations up to ¥500,000 per depositor and bank, ' +
    'principal and interest together. Early withdrawal earns the demand rate.',
};

function fundManual(name: string, nameEn: string, body: string, bodyEn: string): Text {
  return {
    zh:
      `# ${name} 产品说明书\n\n${body}\n\n## 申购与赎回\n交易日15:00前申购，当日确认，下一工作日起计算收益；` +
      '15:00后或非交易日申购顺延一个交易日。收益每日计算，次日到账并自动转为份额。\n\n' +
      `## 风险揭示\n${FUND_WARNING.zh}`,
    en:
      `# ${nameEn}: product manual\n\n${bodyEn}\n\n## Buying and redeeming\nOrders placed before 15:00 on a ` +
      'business day trade that day and earn from the next business day; later orders trade on the next ' +
      'business day. Income is worked out daily, credited the next day and added to the shares.\n\n' +
      `## Risks\n${FUND_WARNING.en}`,
  };
}

const NO_FEES: Text = {
  zh: '申购费 0；赎回费 0；管理费 0.30%/年、托管费 0.08%/年、销售服务费 0.25%/年（已从收益中扣除）。',
  en:
    'No subscription or redemption fee. Management 0.30 %, custody 0.08 % and sales service 0.25 % a year, already ' +
    'taken out of the income.',
};

function deposit(id: string, code: string, months: number, rate: string, zhTerm: string, enTerm: string): ProductSeed {
  return {
    id,
    kind: 'term_deposit',
    code,
    fundCode: null,
    terms: {
      name: { zh: `${zhTerm}定期存款`, en: `${enTerm} term deposit` },
      riskLevel: 'R1',
      status: 'on_sale',
      minimumFen: '5000',
      fastRedeem: false,
      termMonths: months,
      rateE4: rate,
      demandRateE4: '1000',
      fees: { zh: '无手续费。', en: 'No fees.' },
      riskWarning: DEPOSIT_WARNING,
      manual: {
        zh:
          `# ${zhTerm}定期存款 产品说明\n\n起存金额50元，存期${zhTerm}，按开户日挂牌利率计息，利息 = 本金 × 年利率 × 天数 / 360，` +
          '到期一次还本付息（四舍五入到分）。开户时选择到期自动转存（本息按到期日挂牌利率续存同一期限）或转回余额。' +
          `提前支取全部本金，按支取日活期利率计算持有天数的利息。\n\n## 风险提示\n${DEPOSIT_WARNING.zh}`,
        en:
          `# ${enTerm} term deposit\n\nFrom ¥50. Interest at the rate published on the day it is opened: principal × ` +
          ('annual rate × days / 360, paid with the principal at maturity (to the fen, half up). At opening, choose ' +
            'to ') +
          'roll over (principal and interest again for the same term at the rate published on the maturity day) or ' +
          'to return the money to the wallet. Early withdrawal takes the whole principal and earns the demand rate ' +
          `for the days held.\n\n## Risks\n${DEPOSIT_WARNING.en}`,
      },
      reviewThresholdFen: '5000000',
      minTier: 'verified',
    },
  };
}

export const SEED_PRODUCTS: readonly ProductSeed[] = [
  {
    id: 'svp_mmf',
    kind: 'fund',
    code: 'TB-MMF',
    fundCode: 'TB-MMF',
    terms: {
      name: { zh: '通宝余额理财（货币基金）', en: 'Tongbao Cash Fund (money market)' },
      riskLevel: 'R1',
      status: 'on_sale',
      minimumFen: '100',
      fastRedeem: true,
      termMonths: null,
      rateE4: null,
      demandRateE4: null,
      fees: NO_FEES,
      riskWarning: FUND_WARNING,
      manual: fundManual(
        '通宝余额理财',
        'Tongbao Cash Fund',
        '货币市场基金，投资于现金、银行存款、短期债券等，份额净值保持1.00元。1元起购。快速赎回（T+0）每人每日不超过1万元，' +
          '普通赎回下一工作日到账。基金份额不能直接用于付款，请先赎回到余额。',
        'A money-market fund investing in cash, bank deposits and short-term bonds, at a constant NAV of ¥1.00. ' +
          'From ¥1. Fast (T+0) redemption up to ¥10,000 per person a day; an ordinary redemption arrives on the next ' +
          'business day. Fund shares cannot pay merchants directly: redeem them to the wallet first.',
      ),
      reviewThresholdFen: '5000000',
      minTier: 'basic',
    },
  },
  {
    id: 'svp_bond',
    kind: 'fund',
    code: 'TB-BOND',
    fundCode: 'TB-BOND',
    terms: {
      name: { zh: '通宝稳健短债', en: 'Tongbao Short-term Bond' },
      riskLevel: 'R2',
      status: 'on_sale',
      minimumFen: '10000',
      fastRedeem: false,
      termMonths: null,
      rateE4: null,
      demandRateE4: null,
      fees: {
        zh: '申购费 0；赎回费 0；管理费 0.30%/年。',
        en: 'No subscription or redemption fee; 0.30 % management fee a year.',
      },
      riskWarning: FUND_WARNING,
      manual: fundManual(
        '通宝稳健短债',
        'Tongbao Short-term Bond',
        '短期债券基金，主要投资剩余期限一年以内的债券。100元起购，仅普通赎回（下一工作日到账）。本系统按每日万份收益记账。',
        'A short-term bond fund holding bonds with less than a year to run. From ¥100; ordinary redemption only ' +
          '(next business day). Booked here as daily income per 10,000 units.',
      ),
      reviewThresholdFen: '5000000',
      minTier: 'verified',
    },
  },
  {
    id: 'svp_mix',
    kind: 'fund',
    code: 'TB-MIX',
    fundCode: 'TB-MIX',
    terms: {
      name: { zh: '通宝平衡混合', en: 'Tongbao Balanced Mixed' },
      riskLevel: 'R3',
      status: 'on_sale',
      minimumFen: '100000',
      fastRedeem: false,
      termMonths: null,
      rateE4: null,
      demandRateE4: null,
      fees: {
        zh: '申购费 0；管理费 1.20%/年；托管费 0.20%/年。',
        en: 'No subscription fee; 1.20 % management and 0.20 % custody fee a year.',
      },
      riskWarning: FUND_WARNING,
      manual: fundManual(
        '通宝平衡混合',
        'Tongbao Balanced Mixed',
        '混合型基金，股票与债券均衡配置，收益波动较大。1,000元起购，仅普通赎回。',
        'A mixed fund balancing shares and bonds; its income varies more. From ¥1,000; ordinary redemption only.',
      ),
      reviewThresholdFen: '5000000',
      minTier: 'verified',
    },
  },
  deposit('svp_td3m', 'TB-TD3M', 3, '11000', '三个月', '3-month'),
  deposit('svp_td6m', 'TB-TD6M', 6, '13000', '六个月', '6-month'),
  deposit('svp_td1y', 'TB-TD1Y', 12, '14500', '一年', '1-year'),
  deposit('svp_td3y', 'TB-TD3Y', 36, '17500', '三年', '3-year'),
];

/** Seeded products are in effect from this instant (before any test or demo clock). */
export const SEED_EFFECTIVE_AT = new Date('2020-01-01T00:00:00+08:00');

/** Which tiers may buy: a product's minTier, and R4-R5 need the full tier whatever it says. */
export function tierAllows(tier: string, terms: Pick<ProductTerms, 'minTier' | 'riskLevel'>): SavingsTier | null {
  const rank = (value: string) => Math.max(0, SAVINGS_TIERS.indexOf(value as SavingsTier));
  const required: SavingsTier =
    terms.riskLevel === 'R4' || terms.riskLevel === 'R5'
      ? 'full'
      : rank(terms.minTier) >= rank('basic')
        ? terms.minTier
        : 'basic';
  return rank(tier) >= rank(required) ? null : required;
}
