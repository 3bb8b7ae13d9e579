import { accessZh } from './access';
import { basicsZh } from './basics';
import { billsZh } from './bills';
import { checkoutZh } from './checkout';
import { mandatesZh } from './mandates';
import { insightsZh } from './insights';
import { creditZh } from './credit';
import { fundingZh } from './funding';
import { moneyZh } from './money';
import { paymentsZh } from './payments';
import { receiptsZh } from './receipts';
import { safetyZh } from './safety';
import { savingsZh } from './savings';
import { supportZh } from './support';

/**
 * Every string the web apps show, in Simplified Chinese (the default), composed from one file per
 * area (`web/shared/locales/<area>.ts`, which holds the area's zh-CN and English). en.ts mirrors
 * this shape. A new area adds its file and one line here and in en.ts.
 */
export const zh = {
  ...basicsZh,
  ...accessZh,
  ...safetyZh,
  ...moneyZh,
  ...paymentsZh,
  ...receiptsZh,
  bills: billsZh,
  savings: savingsZh,
  insights: insightsZh,
  checkout: checkoutZh,
  mandates: mandatesZh,
  credit: creditZh,
  funding: fundingZh,
  support: supportZh,
};
