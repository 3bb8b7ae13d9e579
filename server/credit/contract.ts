import { formatFen } from '../platform/money.js';
import type { Method } from './schedule.js';

/**
 * The contract text shown before signing and kept with the loan or card. Its version names the
 * template; the figures are the offer's. The annualised rate (IRR) is stated first and no less
 * prominently than any other price (PBOC announcement 2021 No. 3).
 */

export const CONTRACT_VERSION = 'credit-contract-2026-12b';

const METHOD_NAMES: Record<Method, { zh: string; en: string }> = {
  equal_installment: { zh: '等额本息', en: 'equal installments' },
  equal_principal: { zh: '等额本金', en: 'equal principal' },
  interest_first: { zh: '先息后本', en: 'interest first' },
};

/** A rate in basis points as a percentage with two decimals, in integers (1525 -> "15.25"). */
export function percentOfBp(bp: number): string {
  const whole = Math.abs(Math.round(bp));
  return `${bp < 0 ? '-' : ''}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}
const pct = percentOfBp;

export function loanContract(input: {
  amountFen: bigint;
  termMonths: number;
  method: Method;
  annualRateBp: number;
  aprBp: number;
  penaltyRateBp: number;
  totalInterestFen: bigint;
  graceDays: number;
}) {
  const amount = formatFen(input.amountFen);
  const interest = formatFen(input.totalInterestFen);
  const method = METHOD_NAMES[input.method];
  return {
    version: CONTRACT_VERSION,
    title: { zh: '个人消费贷款合同', en: 'Personal consumer loan contract' },
    text: {
      zh:
        `年化利率（按实际现金流计算的内部收益率）：${pct(input.aprBp)}%。借款金额 ${amount}，期限 ${input.termMonths} 个月，` +
        `还款方式：${method.zh}，合同利率 ${pct(input.annualRateBp)}%，利息合计 ${interest}。` +
        `到期未还的本金自宽限期（${input.graceDays} 天）届满次日起按罚息利率 ${pct(input.penaltyRateBp)}% 计收罚息；` +
        `宽限期内还款不计罚息、不报送不良信息。报送不良信息前我们会先通知您。可随时提前还款，利息只算到还款当日，无违约金。` +
        `因通宝自身原因（系统维护、故障等）导致自动还款失败的，到期日顺延，不计罚息，不影响您的征信。`,
      en:
        `Annualised rate (IRR of the actual cash flows): ${pct(input.aprBp)} %. Amount ${amount}, ` +
        `${input.termMonths} months, ${method.en}, contract rate ${pct(input.annualRateBp)} %, ` +
        `total interest ${interest}. ` +
        `Principal unpaid after the ${input.graceDays}-day grace period bears penalty interest at ` +
        `${pct(input.penaltyRateBp)} %; repaying within the grace period costs nothing extra and is not reported. ` +
        `We tell you before anything negative is reported. You may repay early at any time: interest only to that ` +
        `day, no fee. If an automatic repayment fails because of Tongbao itself (maintenance, an outage), the due ` +
        `date moves, no penalty accrues and nothing is reported.`,
    },
  };
}

export function cardContract(input: {
  limitFen: bigint;
  annualRateBp: number;
  statementDay: number;
  dueDay: number;
  interestFreeDaysMax: number;
  minimumPct: number;
}) {
  const limit = formatFen(input.limitFen);
  return {
    version: CONTRACT_VERSION,
    title: { zh: '通宝信用卡领用合约', en: 'Tongbao credit card agreement' },
    text: {
      zh:
        `年化利率 ${pct(input.annualRateBp)}%，日利率为年化利率除以 360。账单在到期还款日前全额还款的免息；` +
        `否则该账单每笔消费自记账日起按未还部分逐日计息，至还款前一日。信用额度 ${limit}，` +
        `每月 ${input.statementDay} 日出账单，${input.dueDay} 日为到期还款日，免息期最长 ${input.interestFreeDaysMax} 天；` +
        `最低还款额为账单金额的 ${input.minimumPct}%。`,
      en:
        `Annualised rate ${pct(input.annualRateBp)} %, a day's rate being the annual rate / 360. A statement paid in ` +
        `full by its due date bears no interest; otherwise each purchase on it bears interest on its unpaid part ` +
        `from its posting date until the day before it is repaid. Credit limit ${limit}; ` +
        `statement on day ${input.statementDay}, due on day ${input.dueDay}; up to ` +
        `${input.interestFreeDaysMax} interest-free days; the minimum payment is ${input.minimumPct} % ` +
        `of the statement.`,
    },
  };
}
