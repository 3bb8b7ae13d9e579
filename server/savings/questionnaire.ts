import type { Text } from './catalogue.js';

/**
 * The risk tolerance questionnaire (适当性评估): ten single-choice questions, each option scored;
 * the total gives the level C1 (conservative) to C5 (aggressive). A result is valid for one year.
 * A new version replaces this one; answers to an old version are refused.
 */

export const QUESTIONNAIRE_VERSION = '2026-1';
export const ASSESSMENT_VALID_DAYS = 365;
export const INVESTOR_LEVELS = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export type InvestorLevel = (typeof INVESTOR_LEVELS)[number];

export const LEVEL_NAMES: Record<InvestorLevel, Text> = {
  C1: { zh: '保守型', en: 'Conservative' },
  C2: { zh: '稳健型', en: 'Cautious' },
  C3: { zh: '平衡型', en: 'Balanced' },
  C4: { zh: '成长型', en: 'Growth' },
  C5: { zh: '进取型', en: 'Aggressive' },
};

interface Option {
  id: string;
  text: Text;
  score: number;
}
interface Question {
  id: string;
  text: Text;
  options: Option[];
}

const o = (id: string, zh: string, en: string, score: number): Option => ({ id, text: { zh, en }, score });

export const QUESTIONS: readonly Question[] = [
  {
    id: 'age',
    text: { zh: '您的年龄是？', en: 'How old are you?' },
    options: [
      o('a', '18–30岁', '18–30', 4),
      o('b', '31–50岁', '31–50', 5),
      o('c', '51–65岁', '51–65', 2),
      o('d', '65岁以上', 'Over 65', 1),
    ],
  },
  {
    id: 'income',
    text: { zh: '您的家庭年收入约为？', en: 'Your household income a year?' },
    options: [
      o('a', '10万元以下', 'Under ¥100,000', 1),
      o('b', '10–50万元', '¥100,000–500,000', 3),
      o('c', '50–100万元', '¥500,000–1,000,000', 4),
      o('d', '100万元以上', 'Over ¥1,000,000', 5),
    ],
  },
  {
    id: 'share',
    text: {
      zh: '计划投资金额占您家庭金融资产的比例？',
      en: 'What share of your household’s financial assets will you invest?',
    },
    options: [
      o('a', '70%以上', 'Over 70 %', 1),
      o('b', '30%–70%', '30–70 %', 2),
      o('c', '10%–30%', '10–30 %', 4),
      o('d', '10%以下', 'Under 10 %', 5),
    ],
  },
  {
    id: 'experience',
    text: { zh: '您的投资经验？', en: 'Your investment experience?' },
    options: [
      o('a', '只有银行存款', 'Bank deposits only', 1),
      o('b', '购买过银行理财或货币基金', 'Bank wealth products or money-market funds', 2),
      o('c', '购买过债券或混合基金', 'Bonds or mixed funds', 4),
      o('d', '股票、期货等', 'Shares, futures and the like', 5),
    ],
  },
  {
    id: 'years',
    text: { zh: '您有多少年投资经验？', en: 'How many years have you invested?' },
    options: [
      o('a', '没有', 'None', 1),
      o('b', '1–3年', '1–3 years', 2),
      o('c', '3–5年', '3–5 years', 4),
      o('d', '5年以上', 'Over 5 years', 5),
    ],
  },
  {
    id: 'horizon',
    text: { zh: '您计划的投资期限？', en: 'How long do you plan to invest?' },
    options: [
      o('a', '1年以内', 'Under a year', 1),
      o('b', '1–3年', '1–3 years', 3),
      o('c', '3年以上', 'Over 3 years', 5),
    ],
  },
  {
    id: 'goal',
    text: { zh: '您的投资目标？', en: 'Your goal?' },
    options: [
      o('a', '保本，收益稳定', 'Keep the capital, steady income', 1),
      o('b', '略高于存款的收益', 'A little more than deposits', 2),
      o('c', '较高收益，可承受一定波动', 'Higher returns, some ups and downs', 4),
      o('d', '高收益，可承受较大波动', 'High returns, large swings', 5),
    ],
  },
  {
    id: 'loss',
    text: { zh: '您能承受的最大亏损？', en: 'The largest loss you could bear?' },
    options: [
      o('a', '不能亏损', 'None', 1),
      o('b', '5%以内', 'Up to 5 %', 2),
      o('c', '5%–20%', '5–20 %', 4),
      o('d', '20%以上', 'Over 20 %', 5),
    ],
  },
  {
    id: 'reaction',
    text: { zh: '投资下跌15%时您会？', en: 'If your investment fell 15 %, you would?' },
    options: [
      o('a', '全部卖出', 'Sell everything', 1),
      o('b', '卖出部分', 'Sell some', 2),
      o('c', '继续持有', 'Hold', 4),
      o('d', '追加投资', 'Buy more', 5),
    ],
  },
  {
    id: 'knowledge',
    text: { zh: '您对金融产品的了解程度？', en: 'How well do you know financial products?' },
    options: [
      o('a', '基本不了解', 'Hardly at all', 1),
      o('b', '了解一些', 'A little', 2),
      o('c', '比较了解', 'Fairly well', 4),
      o('d', '非常了解', 'Very well', 5),
    ],
  },
];

/** Score bands: 10–16 C1, 17–23 C2, 24–31 C3, 32–39 C4, 40–50 C5. */
export function levelFor(score: number): InvestorLevel {
  if (score <= 16) return 'C1';
  if (score <= 23) return 'C2';
  if (score <= 31) return 'C3';
  if (score <= 39) return 'C4';
  return 'C5';
}

/** The total score of complete, valid answers; null when any question is unanswered or answered wrongly. */
export function scoreAnswers(answers: Record<string, string>): number | null {
  if (Object.keys(answers).length !== QUESTIONS.length) return null;
  let total = 0;
  for (const question of QUESTIONS) {
    const option = question.options.find((candidate) => candidate.id === answers[question.id]);
    if (!option) return null;
    total += option.score;
  }
  return total;
}

/** The questionnaire as the wallet shows it: without the scores. */
export function publicQuestionnaire() {
  return {
    version: QUESTIONNAIRE_VERSION,
    questions: QUESTIONS.map((question) => ({
      id: question.id,
      text: question.text,
      options: question.options.map(({ id, text }) => ({ id, text })),
    })),
  };
}

/** Risk level number: R3 → 3, C2 → 2. */
export const levelNumber = (level: string) => Number(level.slice(1));
