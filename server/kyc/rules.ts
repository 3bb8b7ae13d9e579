import { shanghaiDay } from '../platform/clock.js';
import type { DocumentCheckReport, DocumentType } from './adapter.js';

/**
 * The automated decision on a document check: approve, reject with a reason the holder can act
 * on, or send to a person. Pure: the same report and registration always decide the same way.
 */

export type Outcome = 'approved' | 'rejected' | 'manual_review';

/** Every reason a submission can be refused or held, with what the holder should do about it. */
export const REASONS = {
  DOCUMENT_UNCLEAR: {
    zh: '证件照片不清晰，请在光线充足处重新拍摄，保证四角完整、无反光。',
    en: 'The document photo is not clear. Retake it in good light with all four corners visible and no glare.',
  },
  DOCUMENT_EXPIRED: {
    zh: '证件已过有效期，请使用有效期内的证件重新提交。',
    en: 'The document has expired. Submit a document that is still valid.',
  },
  NAME_MISMATCH: {
    zh: '证件姓名与注册姓名不一致，请上传本人证件。',
    en: 'The name on the document does not match your registration. Upload your own document.',
  },
  NUMBER_MISMATCH: {
    zh: '证件号码与注册身份证号不一致，请上传注册时使用的身份证。',
    en: 'The document number does not match your registered ID number. Upload the ID card you registered with.',
  },
  BIRTH_DATE_MISMATCH: {
    zh: '证件出生日期与注册信息不一致，请上传本人证件。',
    en: 'The birth date on the document does not match your registration. Upload your own document.',
  },
  UNDERAGE: {
    zh: '证件显示未满18周岁，暂不能完成实名认证。',
    en: 'The document shows you are under 18, so verification cannot be completed.',
  },
  FACE_MISMATCH: {
    zh: '自拍与证件照片不是同一人，请本人正对镜头重新自拍。',
    en: 'The selfie does not match the document photo. Take a new selfie yourself, facing the camera.',
  },
  FACE_UNCERTAIN: {
    zh: '人脸比对结果不确定，已转人工审核。',
    en: 'The face comparison was inconclusive; a reviewer will check it.',
  },
  QUALITY_UNCERTAIN: {
    zh: '证件照片需要人工确认，已转人工审核。',
    en: 'The document photo needs a person to confirm it; a reviewer will check it.',
  },
  CHECK_UNAVAILABLE: {
    zh: '证件核验服务暂不可用，已转人工审核。',
    en: 'The document check service did not answer; a reviewer will check it.',
  },
  DOCUMENT_NOT_GENUINE: {
    zh: '证件未通过真伪核验，请上传本人原件照片。',
    en: 'The document did not pass the authenticity check. Upload a photo of your original document.',
  },
  OTHER: {
    zh: '审核未通过，请按提示重新提交或联系客服。',
    en: 'The verification did not pass. Submit again as advised or contact support.',
  },
} as const;
export type ReasonCode = keyof typeof REASONS;
export const REJECTION_REASONS = [
  'DOCUMENT_UNCLEAR',
  'DOCUMENT_EXPIRED',
  'NAME_MISMATCH',
  'NUMBER_MISMATCH',
  'BIRTH_DATE_MISMATCH',
  'UNDERAGE',
  'FACE_MISMATCH',
  'DOCUMENT_NOT_GENUINE',
  'OTHER',
] as const satisfies readonly ReasonCode[];

export const FACE_MATCH_APPROVE = 0.85;
export const FACE_MATCH_REJECT = 0.6;
export const ADULT_AGE = 18;

export interface Registration {
  name: string;
  idNumber: string;
  /** YYYY-MM-DD, from the registered resident ID number. */
  birthDate: string;
}

/** Findings kept with the submission: no names or numbers, only whether they matched. */
export interface CheckFindings {
  quality: DocumentCheckReport['quality'];
  faceMatchScore: number;
  nameMatches: boolean;
  numberMatches: boolean | null;
  birthDateMatches: boolean;
  expired: boolean;
  adult: boolean;
}

export interface Decision {
  outcome: Outcome;
  reason: ReasonCode | null;
  findings: CheckFindings;
}

/** Names compare without spaces and with one kind of the middle dot used in minority names. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[·•・.．]/g, '·')
    .toUpperCase();
}

function ageOn(birthDate: string, today: string): number {
  let age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) age--;
  return age;
}

export function decide(
  report: DocumentCheckReport,
  registration: Registration,
  documentType: DocumentType,
  now: Date,
): Decision {
  const today = shanghaiDay(now);
  const findings: CheckFindings = {
    quality: report.quality,
    faceMatchScore: report.faceMatchScore,
    nameMatches: normalizeName(report.fields.name) === normalizeName(registration.name),
    numberMatches:
      documentType === 'resident_id'
        ? report.fields.documentNumber.trim().toUpperCase() === registration.idNumber.toUpperCase()
        : null,
    birthDateMatches: report.fields.birthDate === registration.birthDate,
    expired: report.fields.expiresOn !== null && report.fields.expiresOn < today,
    adult: ageOn(report.fields.birthDate, today) >= ADULT_AGE,
  };
  const rejected = (reason: ReasonCode): Decision => ({ outcome: 'rejected', reason, findings });
  if (report.quality === 'unclear') return rejected('DOCUMENT_UNCLEAR');
  if (findings.expired) return rejected('DOCUMENT_EXPIRED');
  if (findings.numberMatches === false) return rejected('NUMBER_MISMATCH');
  if (!findings.nameMatches) return rejected('NAME_MISMATCH');
  if (!findings.adult) return rejected('UNDERAGE');
  if (!findings.birthDateMatches) return rejected('BIRTH_DATE_MISMATCH');
  if (report.faceMatchScore < FACE_MATCH_REJECT) return rejected('FACE_MISMATCH');
  if (report.faceMatchScore < FACE_MATCH_APPROVE)
    return { outcome: 'manual_review', reason: 'FACE_UNCERTAIN', findings };
  if (report.quality === 'uncertain') return { outcome: 'manual_review', reason: 'QUALITY_UNCERTAIN', findings };
  return { outcome: 'approved', reason: null, findings };
}
