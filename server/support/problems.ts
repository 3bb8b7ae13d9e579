import type { ProblemTable } from '../platform/http/problem-table.js';

/** Customer service: tickets, help articles, disputes, claw-backs, e-mail recovery, preferences. */
export const SUPPORT_PROBLEMS = {
  TICKET_NOT_FOUND: { status: 404, zh: '工单不存在。', en: 'There is no such ticket.' },
  TICKET_CLOSED: { status: 409, zh: '该工单已关闭。', en: 'This ticket is closed.' },
  TICKET_NOT_RESOLVED: {
    status: 409,
    zh: '该工单尚未处理完毕。',
    en: 'This ticket has not been resolved yet.',
  },
  TICKET_ALREADY_RATED: { status: 409, zh: '您已评价过该工单。', en: 'You have already rated this ticket.' },
  TICKET_CLAIMED_BY_OTHER: {
    status: 409,
    zh: '该工单已由其他客服处理。',
    en: 'Another agent has already claimed this ticket.',
  },
  TICKET_NOT_COMPLAINT: { status: 409, zh: '该工单不是投诉。', en: 'This ticket is not a complaint.' },
  TICKET_ALREADY_COMPLEX: {
    status: 409,
    zh: '该投诉已标记为复杂案件。',
    en: 'This complaint is already marked complex.',
  },
  SUPPORT_TOO_MANY_OPEN_TICKETS: {
    status: 429,
    zh: '您的未结工单过多，请等待处理后再提交。',
    en: 'You have too many open tickets. Please wait for them to be answered.',
  },
  SUPPORT_RECORD_NOT_FOUND: { status: 404, zh: '找不到该记录。', en: 'There is no such record.' },
  SUPPORT_ATTACHMENT_MISSING: { status: 400, zh: '请选择要上传的文件。', en: 'Choose a file to upload.' },
  ATTACHMENT_NOT_FOUND: { status: 404, zh: '附件不存在。', en: 'There is no such attachment.' },
  HELP_ARTICLE_NOT_FOUND: { status: 404, zh: '帮助文章不存在。', en: 'There is no such help article.' },
  HELP_ARTICLE_VERSION_CONFLICT: {
    status: 409,
    zh: '文章已被他人修改，请刷新后再编辑。',
    en: 'Someone else changed this article. Reload it and edit again.',
  },
  DISPUTE_NOT_FOUND: { status: 404, zh: '争议不存在。', en: 'There is no such dispute.' },
  DISPUTE_NOT_ALLOWED: {
    status: 409,
    zh: '该笔付款无法发起争议。',
    en: 'This payment cannot be disputed.',
  },
  DISPUTE_ALREADY_OPEN: {
    status: 409,
    zh: '该笔付款已有处理中的争议。',
    en: 'This payment already has an open dispute.',
  },
  DISPUTE_AMOUNT_TOO_HIGH: {
    status: 422,
    zh: '金额超过可退款金额。',
    en: 'The amount is more than can be refunded.',
  },
  DISPUTE_NOT_OPEN: { status: 409, zh: '该争议已处理。', en: 'This dispute is no longer open.' },
  DISPUTE_MERCHANT_DEADLINE_PASSED: {
    status: 409,
    zh: '商户答复期限已过。',
    en: 'The deadline for the merchant’s answer has passed.',
  },
  DISPUTE_EVIDENCE_LIMIT: {
    status: 409,
    zh: '证据文件已达上限（5 个）。',
    en: 'This dispute already has the most evidence files allowed (5).',
  },
  DISPUTE_ALREADY_DECIDED: { status: 409, zh: '该争议已裁决。', en: 'This dispute has already been decided.' },
  CLAWBACK_NOT_FOUND: { status: 404, zh: '追回记录不存在。', en: 'There is no such claw-back.' },
  CLAWBACK_NOT_HELD: {
    status: 409,
    zh: '该笔追回资金已不在冻结中。',
    en: 'This claw-back no longer holds the money.',
  },
  CLAWBACK_ALREADY_OPEN: {
    status: 409,
    zh: '该笔转账已有进行中的追回。',
    en: 'This transfer already has a claw-back in progress.',
  },
  CLAWBACK_TRANSFER_NOT_IN_CASE: {
    status: 422,
    zh: '该转账不是本案件持有人转出的款项。',
    en: 'That transfer was not sent from the case holder’s wallet.',
  },
  CLAWBACK_AMOUNT_TOO_HIGH: {
    status: 422,
    zh: '追回金额超过转账金额。',
    en: 'The amount is more than the transfer.',
  },
  EMAIL_INVALID: { status: 400, zh: '邮箱地址格式不正确。', en: 'That is not a valid e-mail address.' },
  EMAIL_RATE_LIMITED: {
    status: 429,
    zh: '邮件发送过于频繁，请稍后再试。',
    en: 'Too many e-mails requested. Please wait and try again.',
  },
  EMAIL_DELIVERY_FAILED: {
    status: 502,
    zh: '邮件发送失败，请稍后再试。',
    en: 'The e-mail could not be sent. Please try again later.',
  },
  EMAIL_CODE_INVALID: {
    status: 400,
    zh: '邮箱验证码错误或已过期。',
    en: 'The e-mail code is wrong or has expired.',
  },
  EMAIL_NOT_PENDING: {
    status: 409,
    zh: '没有待验证的邮箱地址。',
    en: 'There is no e-mail address waiting to be verified.',
  },
  NOTIFICATION_PREFERENCE_LOCKED: {
    status: 409,
    zh: '安全通知无法关闭。',
    en: 'Security notices cannot be turned off.',
  },
} as const satisfies ProblemTable;

type SupportProblems = typeof SUPPORT_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Customer service's codes, registered by app.ts. */
  interface ProblemCodes extends SupportProblems {}
}
