import { isProblemCode, registeredProblem } from '../platform/http/problem-registry.js';
import { formatFen } from '../platform/money.js';
import type { LinkedRecord, RecordKind } from './types.js';

/**
 * "Why did this fail?" (issue 19): the actual cause of a refused or failed payment, transfer,
 * withdrawal, top-up or bill in words, from the data, and the next step as a button. The record's
 * own failure code says what happened; the holder's live state (available balance, today's limit,
 * an active restriction, a maintenance window, a held payment) fills in the figures.
 */

export const CHANNELS = ['payment', 'transfer', 'withdrawal', 'topup', 'bill'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What the record says about itself, as its domain keeps it. */
export interface RecordFacts {
  kind: RecordKind;
  id: string;
  status: string;
  /** The failure code or reason the domain stored (INSUFFICIENT_FUNDS, CARD_BLOCKED, ...). */
  failure: string | null;
  amountFen: bigint | null;
  /** A held payment waiting for the holder: the risk hold's id and until when. */
  pendingHold?: { id: string; expiresAt: Date } | null;
}

export interface Restriction {
  id: string;
  reasonCode: string;
  reasonZh: string;
  reasonEn: string;
  liftBy: string;
  howToLiftZh: string;
  howToLiftEn: string;
  source: string;
  createdAt: Date;
  liftedAt: Date | null;
}

/** The holder's situation now, asked only when the cause needs it. */
export interface HolderState {
  availableFen(): Promise<bigint | null>;
  dailyLimit(): Promise<{ limitFen: bigint | null; usedFen: bigint }>;
  restriction(): Promise<Restriction | null>;
  maintenance(feature: string): Promise<{ startsAt: Date; endsAt: Date; messageZh: string; messageEn: string } | null>;
}

export interface NextStep {
  action: string;
  labelZh: string;
  labelEn: string;
  path: string;
}

export interface Explanation {
  kind: string;
  id: string | null;
  status: string;
  failed: boolean;
  cause: {
    code: string;
    titleZh: string;
    titleEn: string;
    detailZh: string;
    detailEn: string;
    data: Record<string, unknown>;
  } | null;
  nextSteps: NextStep[];
}

const FAILED_STATUSES = new Set(['failed', 'expired', 'declined', 'denied', 'voided', 'refused']);
const FEATURE_OF: Record<string, string> = {
  payment: 'payments',
  transfer: 'transfers',
  withdrawal: 'withdraw',
  topup: 'topup',
  bill: 'bills',
  hold: 'payments',
};

const step = (action: string, labelZh: string, labelEn: string, path: string): NextStep => ({
  action,
  labelZh,
  labelEn,
  path,
});
const contact = (record: Pick<LinkedRecord, 'kind'> & { id: string | null }) =>
  step(
    'contact_support',
    '联系客服',
    'Contact us',
    `/support/tickets/new?category=payment_failed&kind=${record.kind}${record.id ? `&id=${record.id}` : ''}`,
  );
const recordPath = (kind: string, id: string | null) => {
  if (!id) return '/';
  const base: Record<string, string> = {
    payment: '/payments',
    transfer: '/transfers',
    withdrawal: '/wallet/history',
    topup: '/wallet/history',
    bill: '/bills/payments',
    hold: '/risk/confirmations',
  };
  return `${base[kind] ?? '/wallet/history'}/${id}`;
};

/** Card-network decline reasons (server/wallet/card-network.ts) in words. */
const CARD_REASONS: Record<string, { zh: string; en: string }> = {
  BANK_INSUFFICIENT_FUNDS: { zh: '银行卡余额不足', en: 'the bank card does not have enough money' },
  CARD_BLOCKED: { zh: '银行卡已被发卡行冻结或挂失', en: 'the card is blocked or reported lost by its bank' },
  RESERVED_PHONE_MISMATCH: { zh: '银行预留手机号不一致', en: 'the phone number the bank has does not match' },
  HOLDER_MISMATCH: { zh: '持卡人信息不一致', en: 'the cardholder details do not match' },
  BANK_SYSTEM_ERROR: { zh: '发卡行系统暂时异常', en: 'the card’s bank had a system error' },
  NOT_RECEIVED: { zh: '银行未确认收到，已自动退回', en: 'the bank never confirmed it, so it was returned' },
  CANCELLED: { zh: '您已撤销该笔交易', en: 'you cancelled it' },
};

/** Explains one record, or (record.id null) a refusal that left no record. */
export async function explain(record: RecordFacts | (Omit<RecordFacts, 'id'> & { id: null }), state: HolderState) {
  const failed = FAILED_STATUSES.has(record.status) || record.failure !== null || record.status === 'refused';
  const code =
    record.failure ?? (record.status === 'expired' ? 'EXPIRED' : record.status === 'declined' ? 'DECLINED' : null);
  if (record.pendingHold && record.status !== 'failed') return held(record, record.pendingHold);
  if (!failed || !code)
    return { kind: record.kind, id: record.id, status: record.status, failed, cause: null, nextSteps: [] };
  const base = { kind: record.kind, id: record.id, status: record.status, failed: true };
  const cause = (
    c: string,
    titleZh: string,
    titleEn: string,
    detailZh: string,
    detailEn: string,
    data: Record<string, unknown> = {},
  ) => ({ code: c, titleZh, titleEn, detailZh, detailEn, data });
  const retry = step('retry', '重试', 'Try again', recordPath(record.kind, record.id));

  if (code === 'INSUFFICIENT_FUNDS') {
    const available = (await state.availableFen()) ?? 0n;
    const short = record.amountFen !== null && record.amountFen > available ? record.amountFen - available : null;
    return {
      ...base,
      cause: cause(
        code,
        '余额不足',
        'Not enough balance',
        `钱包可用余额为${formatFen(available)}${short !== null ? `，还差${formatFen(short)}` : ''}。`,
        `Your wallet has ${formatFen(available)} available${short !== null ? `, ${formatFen(short)} short` : ''}.`,
        { availableAmount: Number(available), shortAmount: short === null ? null : Number(short) },
      ),
      nextSteps: [step('top_up', '去充值', 'Top up', '/wallet/topup'), contact(record)],
    };
  }
  if (code === 'LIMIT_EXCEEDED' || code.endsWith('_LIMIT_EXCEEDED')) {
    const { limitFen, usedFen } = await state.dailyLimit();
    return {
      ...base,
      cause: cause(
        code,
        '超出限额',
        'Over your limit',
        limitFen !== null
          ? `今日付款限额${formatFen(limitFen)}，已用${formatFen(usedFen)}。完成实名认证可提升限额。`
          : '超出账户付款限额。完成实名认证可提升限额。',
        limitFen !== null
          ? `Your daily limit is ${formatFen(limitFen)}; ${formatFen(usedFen)} is used today. ` +
              'Verify your identity to raise it.'
          : 'This is over your wallet’s limit. Verify your identity to raise it.',
        { limitName: 'daily', limitAmount: limitFen === null ? null : Number(limitFen), usedAmount: Number(usedFen) },
      ),
      nextSteps: [step('raise_limit', '提升限额', 'Raise my limit', '/me/kyc'), contact(record)],
    };
  }
  if (code === 'RISK_RESTRICTED') {
    const restriction = await state.restriction();
    return {
      ...base,
      cause: cause(
        code,
        '账户付款受限',
        'Your payments are restricted',
        restriction ? `${restriction.reasonZh}${restriction.howToLiftZh}` : '您的账户付款功能当前受限。',
        restriction
          ? `${restriction.reasonEn} ${restriction.howToLiftEn}`
          : 'Payments from your wallet are restricted.',
        restriction
          ? {
              restriction: {
                ...restriction,
                createdAt: restriction.createdAt.toISOString(),
                liftedAt: restriction.liftedAt?.toISOString() ?? null,
              },
            }
          : {},
      ),
      nextSteps: [
        step('see_restrictions', '查看限制及解除方式', 'See how to lift it', '/me/restrictions'),
        contact(record),
      ],
    };
  }
  if (code === 'ACCOUNT_FROZEN') {
    return {
      ...base,
      cause: cause(
        code,
        '钱包已冻结',
        'Your wallet is frozen',
        '钱包冻结期间所有付款、转账和提现都会被拒绝。',
        'While the wallet is frozen every payment, transfer and withdrawal is refused.',
      ),
      nextSteps: [step('unfreeze', '解冻', 'Unfreeze', '/me/unfreeze'), contact(record)],
    };
  }
  if (code === 'FEATURE_IN_MAINTENANCE') {
    const window = await state.maintenance(FEATURE_OF[record.kind] ?? 'all');
    return {
      ...base,
      cause: cause(
        code,
        '系统维护中',
        'Under maintenance',
        window
          ? `${window.messageZh}（维护至 ${window.endsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC）`
          : '该功能正在维护，请稍后再试。',
        window
          ? `${window.messageEn} (until ${window.endsAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`
          : 'This feature is under maintenance. Please try again later.',
        window
          ? {
              maintenance: {
                feature: FEATURE_OF[record.kind],
                startsAt: window.startsAt.toISOString(),
                endsAt: window.endsAt.toISOString(),
                messageZh: window.messageZh,
                messageEn: window.messageEn,
              },
            }
          : {},
      ),
      nextSteps: [step('see_maintenance', '查看公告', 'See announcements', '/support/contact'), retry],
    };
  }
  if (code === 'RISK_BLOCKED' || code === 'RISK_NOT_CONFIRMED' || code === 'RISK_DENIED') {
    return {
      ...base,
      cause: cause(
        code,
        '出于安全原因未完成',
        'Stopped for your safety',
        '该笔交易存在风险或未经您确认，已被拦截，资金未转出。',
        'This payment looked risky or was not confirmed by you, so it was stopped; no money left your wallet.',
      ),
      nextSteps: [contact(record)],
    };
  }
  if (code === 'CONFIRMATION_EXPIRED' || code === 'EXPIRED') {
    return {
      ...base,
      cause: cause(
        code,
        '已超时',
        'It timed out',
        '未在有效时间内完成确认，交易已取消，资金未转出。',
        'It was not confirmed in time, so it was cancelled; no money moved.',
      ),
      nextSteps: [retry, contact(record)],
    };
  }
  if (code === 'DECLINED') {
    return {
      ...base,
      cause: cause(code, '您已拒绝', 'You declined it', '您拒绝了该笔付款。', 'You declined this payment.'),
      nextSteps: [retry],
    };
  }
  const card = CARD_REASONS[code];
  if (card && (record.kind === 'topup' || record.kind === 'withdrawal')) {
    return {
      ...base,
      cause: cause(
        'CARD_DECLINED',
        '银行卡交易未成功',
        'The card’s bank said no',
        `原因：${card.zh}。`,
        `Reason: ${card.en}.`,
        { networkReason: code },
      ),
      nextSteps: [step('change_card', '换一张卡', 'Use another card', '/wallet/cards'), retry, contact(record)],
    };
  }
  if (record.kind === 'bill') {
    const elsewhere = code === 'PAID_ELSEWHERE';
    return {
      ...base,
      cause: cause(
        'BILLER_REFUSED',
        elsewhere ? '账单已在别处缴纳' : '出账机构未受理',
        elsewhere ? 'Already paid elsewhere' : 'The biller did not accept it',
        elsewhere ? '该账单已通过其他渠道缴纳，款项已退回钱包。' : `出账机构返回：${code}。款项已退回钱包。`,
        elsewhere
          ? 'This bill was already paid another way; the money is back in your wallet.'
          : `The biller answered ${code}. The money is back in your wallet.`,
        { networkReason: code },
      ),
      nextSteps: [retry, contact(record)],
    };
  }
  // Any other code the app answers with says why in its own message; only a code no domain declares
  // (a partner's reason stored as is) is shown as recorded.
  const known = isProblemCode(code) ? registeredProblem(code) : undefined;
  return {
    ...base,
    cause: cause(
      code,
      '交易未完成',
      'It did not go through',
      known ? known.zh : `系统记录的原因代码：${code}。`,
      known ? known.en : `The reason recorded: ${code}.`,
      { reasonCode: code },
    ),
    nextSteps: [contact(record), retry],
  };
}

function held(
  record: Pick<RecordFacts, 'kind' | 'status'> & { id: string | null },
  hold: { id: string; expiresAt: Date },
): Explanation {
  const until = hold.expiresAt.toISOString().slice(11, 16);
  return {
    kind: record.kind,
    id: record.id,
    status: record.status,
    failed: false,
    cause: {
      code: 'RISK_CONFIRMATION_REQUIRED',
      titleZh: '等待您确认',
      titleEn: 'Waiting for you to confirm',
      detailZh: `为保障资金安全，该笔交易需要您确认是否本人操作，请在 ${until} UTC 前确认。`,
      detailEn: `To keep your money safe, confirm this was you before ${until} UTC.`,
      data: { holdId: hold.id, expiresAt: hold.expiresAt.toISOString() },
    },
    nextSteps: [
      step('confirm_hold', '去确认', 'Confirm it', `/risk/confirmations/${hold.id}`),
      contact({ kind: record.kind, id: record.id }),
    ],
  };
}
