import type { ProblemTable } from '../platform/http/problem-table.js';

/** Real-name verification and tiers: the problem codes this domain answers with. */
export const KYC_PROBLEMS = {
  DOCUMENT_TYPE_UNSUPPORTED: {
    status: 415,
    zh: '不支持该文件格式，证件请上传 JPEG、PNG 或 PDF，自拍请上传 JPEG 或 PNG。',
    en: 'This file type is not accepted: documents must be JPEG, PNG or PDF, selfies JPEG or PNG.',
  },
  DOCUMENT_TOO_LARGE: {
    status: 413,
    zh: '文件过大，每个文件不能超过5MB。',
    en: 'The file is too large: each file may be at most 5 MB.',
  },
  DOCUMENT_CORRUPT: {
    status: 422,
    zh: '文件已损坏或不完整，请重新拍摄或导出后上传。',
    en: 'The file is damaged or incomplete. Take or export it again and upload the new file.',
  },
  DOCUMENT_UNSAFE: {
    status: 422,
    zh: '该PDF包含脚本、附件或加密等内容，请上传普通的扫描件或照片。',
    en: 'This PDF contains scripts, attachments or encryption. Upload a plain scan or a photo instead.',
  },
  DOCUMENTS_INCOMPLETE: {
    status: 422,
    zh: '请上传完整的证件：身份证正反面（或护照照片页）以及本人自拍。',
    en: 'Upload the whole document: both sides of the ID card (or the passport photo page) and a selfie.',
  },
  KYC_SUBMISSION_OPEN: {
    status: 409,
    zh: '您已有一份实名认证正在审核中，请等待结果。',
    en: 'A verification of yours is already in progress. Please wait for the result.',
  },
  KYC_ALREADY_VERIFIED: { status: 409, zh: '您已完成实名认证，无需重复提交。', en: 'You are already verified.' },
  KYC_TOO_MANY_SUBMISSIONS: {
    status: 429,
    zh: '今日实名认证提交次数已达上限，请明天再试。',
    en: 'You have reached today’s limit of verification attempts. Please try again tomorrow.',
  },
  KYC_SUBMISSION_NOT_FOUND: { status: 404, zh: '实名认证记录不存在。', en: 'There is no such verification.' },
  KYC_DOCUMENT_NOT_FOUND: { status: 404, zh: '证件文件不存在。', en: 'There is no such document page.' },
  KYC_NOT_CLAIMABLE: {
    status: 409,
    zh: '该申请当前无需人工审核。',
    en: 'This submission is not waiting for a reviewer.',
  },
  KYC_CLAIMED_BY_OTHER: {
    status: 409,
    zh: '该申请已由其他审核员领取。',
    en: 'Another reviewer has claimed this submission.',
  },
  KYC_NOT_CLAIMED: { status: 409, zh: '请先领取该申请再进行审核。', en: 'Claim the submission before reviewing it.' },
  KYC_ALREADY_DECIDED: { status: 409, zh: '该申请已审核完毕。', en: 'This submission has already been decided.' },
  KYC_SECOND_REVIEWER_REQUIRED: {
    status: 409,
    zh: '推翻系统拒绝需由另一位审核员复核。',
    en: 'Overriding an automatic rejection needs a second, different reviewer.',
  },
  KYC_REASON_REQUIRED: { status: 422, zh: '拒绝时请选择原因。', en: 'Choose a reason for the rejection.' },
  USER_NOT_FOUND: { status: 404, zh: '用户不存在。', en: 'There is no such user.' },
  TIER_UNCHANGED: { status: 409, zh: '用户已处于该账户等级。', en: 'The user is already at this tier.' },
} as const satisfies ProblemTable;

type KycProblems = typeof KYC_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** KYC's codes, registered by app.ts. */
  interface ProblemCodes extends KycProblems {}
}
