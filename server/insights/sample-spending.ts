import type { Metadata } from '../ledger/types.js';

/**
 * Believable spending for the demo holders and the benchmark: a city worker's coffee, lunches, metro
 * rides, groceries, online shopping, monthly rent to a landlord (a transfer, so a rule can call it
 * rent), electricity and phone bills, now and then a refund; income on the first of each month. Pure
 * and deterministic: the same seed gives the same movements. The caller posts each movement through
 * the ledger with the metadata convention (docs/wallet.md); payments carry their merchant category
 * code in the metadata, since these merchants exist only in the sample.
 */

export interface SampleMovement {
  /** Minutes after the start of the Asia/Shanghai day it happens on. */
  minuteOfDay: number;
  /** Days after the first day. */
  dayIndex: number;
  /** Positive into the wallet, negative out. */
  amountFen: bigint;
  metadata: Metadata;
}

interface Shop {
  name: string;
  mcc: string;
  minFen: number;
  maxFen: number;
  /** Expected visits a day. */
  perDay: number;
  /** Minute of the day around which visits happen. */
  around: number;
}

const SHOPS: Shop[] = [
  { name: '瑞幸咖啡', mcc: '5814', minFen: 1_500, maxFen: 3_200, perDay: 0.55, around: 8 * 60 + 40 },
  { name: '老街面馆', mcc: '5812', minFen: 1_800, maxFen: 4_500, perDay: 0.45, around: 12 * 60 + 10 },
  { name: '美团外卖', mcc: '5814', minFen: 2_500, maxFen: 6_800, perDay: 0.35, around: 18 * 60 + 50 },
  { name: '海底捞火锅', mcc: '5812', minFen: 18_000, maxFen: 46_000, perDay: 0.05, around: 19 * 60 + 30 },
  { name: '上海地铁', mcc: '4111', minFen: 300, maxFen: 700, perDay: 1.1, around: 8 * 60 + 20 },
  { name: '滴滴出行', mcc: '4121', minFen: 1_500, maxFen: 6_500, perDay: 0.15, around: 22 * 60 },
  { name: '中石化加油站', mcc: '5541', minFen: 25_000, maxFen: 42_000, perDay: 0.03, around: 17 * 60 },
  { name: '盒马鲜生', mcc: '5411', minFen: 4_000, maxFen: 26_000, perDay: 0.2, around: 20 * 60 },
  { name: '鲜果便利店', mcc: '5411', minFen: 800, maxFen: 5_000, perDay: 0.3, around: 21 * 60 },
  { name: '京东商城', mcc: '5732', minFen: 5_000, maxFen: 260_000, perDay: 0.06, around: 22 * 60 + 30 },
  { name: '优衣库', mcc: '5651', minFen: 9_900, maxFen: 49_900, perDay: 0.03, around: 15 * 60 },
  { name: '百联百货', mcc: '5311', minFen: 12_000, maxFen: 80_000, perDay: 0.02, around: 15 * 60 + 30 },
  { name: '万达影城', mcc: '7832', minFen: 4_500, maxFen: 12_000, perDay: 0.04, around: 19 * 60 },
  { name: '老百姓大药房', mcc: '5912', minFen: 1_500, maxFen: 15_000, perDay: 0.04, around: 18 * 60 },
  { name: '发艺理发', mcc: '7230', minFen: 3_000, maxFen: 12_000, perDay: 0.03, around: 16 * 60 },
  { name: '如家酒店', mcc: '7011', minFen: 22_000, maxFen: 52_000, perDay: 0.01, around: 14 * 60 },
  { name: '新华书店', mcc: '5942', minFen: 2_800, maxFen: 16_000, perDay: 0.02, around: 16 * 60 + 30 },
];

/** A small deterministic generator (mulberry32). */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Visits in a day with the given expectation: the whole part, and one more with the fraction's chance. */
function visits(random: () => number, expected: number): number {
  return Math.floor(expected) + (random() < expected % 1 ? 1 : 0);
}

/**
 * `days` days of movements. `pace` multiplies how often the holder shops (the benchmark asks for ~90
 * movements a day); `rentFen` is the monthly rent transferred to the landlord (none when 0); the monthly
 * income covers the month's spending plus `surplusFen`, which goes to the holder's bank card on the
 * last evening of the month. `refPrefix` keeps references unique per holder.
 */
export function sampleSpending(input: {
  seed: number;
  days: number;
  /** The calendar day of each day index, YYYY-MM-DD, so monthly movements land on the first. */
  dayOf: (dayIndex: number) => string;
  pace?: number;
  rentFen?: bigint;
  surplusFen?: bigint;
  refPrefix: string;
  landlord?: string;
}): SampleMovement[] {
  const random = prng(input.seed);
  const pace = input.pace ?? 1;
  const surplusFen = input.surplusFen ?? 50_000n;
  const landlord = input.landlord ?? '*东 139****6688';
  const out: SampleMovement[] = [];
  let serial = 0;
  const ref = () => `${input.refPrefix}${++serial}`;
  const between = (min: number, max: number) => BigInt(Math.round((min + random() * (max - min)) / 10) * 10);
  let monthStart = 0;
  const refundable: { dayIndex: number; ref: string; shop: Shop; amountFen: bigint }[] = [];
  for (let dayIndex = 0; dayIndex < input.days; dayIndex++) {
    const day = input.dayOf(dayIndex);
    if (day.endsWith('-01') || dayIndex === 0) monthStart = out.length;
    const dayMovements: SampleMovement[] = [];
    if (dayIndex === 0)
      dayMovements.push({
        dayIndex,
        minuteOfDay: 7 * 60,
        amountFen: 20_000n,
        metadata: { kind: 'topup', counterparty: '招商银行 **** 8888', ref: ref(), note: '充值' },
      });
    if (day.endsWith('-01') || dayIndex === 0) {
      // Monthly: income first thing in the morning, then rent to the landlord and the bills.
      dayMovements.push({
        dayIndex,
        minuteOfDay: 9 * 60,
        amountFen: 0n, // set below, once the month's spending is known
        metadata: { kind: 'salary', counterparty: '通宝科技有限公司 工资', ref: ref(), note: '工资' },
      });
      if (input.rentFen)
        dayMovements.push({
          dayIndex,
          minuteOfDay: 10 * 60,
          amountFen: -input.rentFen,
          metadata: { kind: 'p2p', counterpartyOut: landlord, counterparty: landlord, ref: ref(), note: '房租' },
        });
    }
    if (day.endsWith('-05')) {
      dayMovements.push({
        dayIndex,
        minuteOfDay: 20 * 60,
        amountFen: -between(12_000, 32_000),
        metadata: { kind: 'bill_payment', counterparty: '国网上海电力', ref: ref(), note: '电费' },
      });
      dayMovements.push({
        dayIndex,
        minuteOfDay: 20 * 60 + 5,
        amountFen: -between(5_800, 12_800),
        metadata: { kind: 'bill_payment', counterparty: '中国移动', ref: ref(), note: '话费' },
      });
    }
    for (const shop of SHOPS) {
      for (let n = visits(random, shop.perDay * pace); n > 0; n--) {
        const paymentRef = ref();
        const amountFen = -between(shop.minFen, shop.maxFen);
        dayMovements.push({
          dayIndex,
          minuteOfDay: Math.min(23 * 60 + 50, Math.max(6 * 60, shop.around + Math.round((random() - 0.5) * 90))),
          amountFen,
          metadata: {
            kind: 'merchant_payment',
            counterparty: shop.name,
            ref: paymentRef,
            paymentId: paymentRef,
            mcc: shop.mcc,
          },
        });
        if (Number(shop.mcc) >= 5300 && Number(shop.mcc) < 5999 && random() < 0.06)
          refundable.push({ dayIndex: dayIndex + 2 + Math.floor(random() * 6), ref: paymentRef, shop, amountFen });
      }
    }
    for (const due of refundable.filter((r) => r.dayIndex === dayIndex)) {
      const part = random() < 0.5 ? -due.amountFen : (-due.amountFen / 2n / 10n) * 10n;
      const refundRef = ref();
      dayMovements.push({
        dayIndex,
        minuteOfDay: 11 * 60,
        amountFen: part,
        metadata: {
          kind: 'refund',
          counterparty: due.shop.name,
          ref: refundRef,
          paymentId: due.ref,
          note: '退货退款',
          mcc: due.shop.mcc,
        },
      });
    }
    const lastOfMonth = dayIndex === input.days - 1 || input.dayOf(dayIndex + 1).endsWith('-01');
    if (lastOfMonth && surplusFen > 0n)
      dayMovements.push({
        dayIndex,
        minuteOfDay: 23 * 60 + 55,
        amountFen: -surplusFen,
        metadata: { kind: 'withdraw', counterparty: '招商银行 **** 8888', ref: ref(), note: '转出到银行卡' },
      });
    dayMovements.sort((a, b) => a.minuteOfDay - b.minuteOfDay);
    out.push(...dayMovements);
    if (lastOfMonth) {
      // The month's income covers exactly what goes out less what comes back, so the balance stays believable.
      const month = out.slice(monthStart);
      const outgoing = month.reduce((sum, m) => (m.amountFen < 0n ? sum - m.amountFen : sum), 0n);
      const refunds = month.reduce((sum, m) => (m.metadata.kind === 'refund' ? sum + m.amountFen : sum), 0n);
      const salary = month.find((m) => m.metadata.kind === 'salary');
      if (salary) salary.amountFen = outgoing - refunds;
    }
  }
  return out;
}
