import { accessEn } from './access';
import { basicsEn } from './basics';
import { billsEn } from './bills';
import { checkoutEn } from './checkout';
import { mandatesEn } from './mandates';
import { insightsEn } from './insights';
import { creditEn } from './credit';
import { fundingEn } from './funding';
import { moneyEn } from './money';
import { paymentsEn } from './payments';
import { receiptsEn } from './receipts';
import { safetyEn } from './safety';
import { savingsEn } from './savings';
import { supportEn } from './support';
import type { Shape } from './shape';
import type { zh } from './zh-CN';

export type { Shape } from './shape';

/** English: the same keys as zh-CN (the type checker refuses a missing one), composed from the same areas. */
export const en: Shape<typeof zh> = {
  ...basicsEn,
  ...accessEn,
  ...safetyEn,
  ...moneyEn,
  ...paymentsEn,
  ...receiptsEn,
  bills: billsEn,
  savings: savingsEn,
  insights: insightsEn,
  checkout: checkoutEn,
  mandates: mandatesEn,
  credit: creditEn,
  funding: fundingEn,
  support: supportEn,
};
