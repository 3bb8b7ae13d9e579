import { type Tx, isUniqueViolation } from '../platform/db/types.js';
import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { DocumentSide, DocumentType } from './adapter.js';
import { type KycDeps, changeTierInTx, describeLimits, notifySafely } from './deps.js';
import {
  DOCUMENT_TYPES,
  type DocumentContentType,
  type DocumentProblem,
  IMAGE_TYPES,
  inspectDocument,
} from './documents.js';
import { createLimitsView } from './limits.js';
import { createReview } from './review.js';
import { REASONS, decide } from './rules.js';
import * as store from './store.js';
import { type SubmissionView, reasonView } from './submission-view.js';
import { createTierChanges } from './tier-changes.js';
import { assertTierTable, tierRank } from './tiers.js';

/**
 * Real-name verification: the holder uploads a document and a selfie, the document check runs
 * outside any transaction (record the submission, call the adapter, record the result), and
 * an approval raises the tier and the wallet's ledger limits in one transaction.
 */

export const PAGES_OF: Record<DocumentType, readonly DocumentSide[]> = {
  resident_id: ['front', 'back'],
  passport: ['passport'],
};
/** After this many attempts without an answer from the check, a person reviews the submission. */
export const MAX_CHECK_ATTEMPTS = 3;
/** A submission still 'checking' this long after its attempt started is taken to be stuck. */
export const STUCK_AFTER_MS = 2 * 60_000;
/** Each document check costs a call to the provider: at most this many submissions per holder per Asia/Shanghai day. */
export const MAX_SUBMISSIONS_PER_DAY = 5;
/** How long after approval the job keeps looking for the holder's same-name card. */
export const CARD_WAIT_MS = 30 * 24 * 3600_000;

export interface Upload {
  side: string;
  bytes: Buffer;
}

export type SubmitError =
  | (DocumentProblem & { field: string })
  | { code: 'DOCUMENTS_INCOMPLETE'; required: readonly string[]; missing: string[]; unexpected: string[] }
  | { code: 'KYC_SUBMISSION_OPEN'; submissionId: string | null }
  | { code: 'KYC_ALREADY_VERIFIED'; tier: string }
  | { code: 'KYC_TOO_MANY_SUBMISSIONS'; maxPerDay: number; retryAfterSeconds: number }
  | { code: 'USER_NOT_FOUND' };

const OUTCOME_NOTICE = {
  approved: { kind: 'kyc.approved', titleZh: '实名认证已通过', titleEn: 'Identity verified' },
  approvedNeedsCard: { kind: 'kyc.documents_approved', titleZh: '证件审核已通过', titleEn: 'Documents verified' },
  rejected: { kind: 'kyc.rejected', titleZh: '实名认证未通过', titleEn: 'Verification not passed' },
  manual_review: {
    kind: 'kyc.manual_review',
    titleZh: '实名认证已转人工审核',
    titleEn: 'Verification sent for review',
  },
} as const;

export function createKycService(deps: KycDeps) {
  assertTierTable(deps.tiers);
  const { db, clock } = deps;

  async function view(row: store.SubmissionRow): Promise<SubmissionView> {
    const documents = await store.documentSides(db, row.id);
    return {
      id: row.id,
      documentType: row.document_type,
      status: row.status,
      reason: reasonView(row.reason),
      documents: documents.map((d) => ({ side: d.side, contentType: d.content_type, sizeBytes: d.size_bytes })),
      createdAt: row.created_at,
      decidedAt: row.decided_at,
    };
  }

  /** Approval raises the tier, unless the verified tier still waits for a same-name bank card. */
  async function approvalTier(userId: string): Promise<'verified' | null> {
    if (!deps.hasSameNameCard) return 'verified';
    return (await deps.hasSameNameCard(userId)) ? 'verified' : null;
  }

  /**
   * Records an approval (automatic or by staff) and raises the tier in the same transaction.
   * `record` writes the submission's new state and answers false when it lost a race.
   */
  async function approve(
    row: store.SubmissionRow,
    actorId: string,
    record: (tx: Tx) => Promise<boolean>,
    audit: (tx: Tx, raised: boolean) => Promise<void>,
  ): Promise<boolean> {
    const target = await approvalTier(row.user_id);
    const raised = await db.transaction(async (tx) => {
      if (!(await record(tx))) return null;
      let raised = false;
      if (target) {
        const changed = await changeTierInTx(deps, tx, {
          userId: row.user_id,
          tier: target,
          source: 'verification',
          actorId,
          reason: null,
          submissionId: row.id,
          raiseOnly: true,
        });
        raised = changed.ok;
      }
      await audit(tx, raised);
      return raised;
    });
    if (raised === null) return false;
    const notice = target ? OUTCOME_NOTICE.approved : OUTCOME_NOTICE.approvedNeedsCard;
    const limits = describeLimits(deps, target ?? 'basic');
    await notifySafely(deps, row.user_id, {
      ...notice,
      bodyZh: target
        ? `您已完成实名认证，账户升级为实名账户。${limits.zh}`
        : '您的证件已审核通过，请绑定一张本人名下的银行卡以完成实名认证。',
      bodyEn: target
        ? `Your identity is verified and your wallet is now Verified. ${limits.en}`
        : 'Your documents are verified. Link a bank card in your own name to finish verification.',
      data: { submissionId: row.id },
    });
    return true;
  }

  async function notifyDecision(
    userId: string,
    submissionId: string,
    status: 'rejected' | 'manual_review',
    reason: string | null,
  ) {
    const why = reasonView(reason);
    await notifySafely(deps, userId, {
      ...OUTCOME_NOTICE[status],
      bodyZh:
        status === 'rejected'
          ? `${why?.zh ?? REASONS.OTHER.zh}您可以重新提交。`
          : '我们将在1个工作日内完成人工审核，结果将通知您。',
      bodyEn:
        status === 'rejected'
          ? `${why?.en ?? REASONS.OTHER.en} You can submit again.`
          : 'A reviewer will decide within one working day; we will let you know.',
      data: { submissionId, reason },
    });
  }

  /** After the last attempt without an answer, a person decides. */
  async function holdForReview(row: store.SubmissionRow, attempt: number): Promise<void> {
    const held = await db.transaction(async (tx) => {
      const updated = await store.recordAutoDecision(tx, {
        id: row.id,
        attempt,
        status: 'manual_review',
        reason: 'CHECK_UNAVAILABLE',
        findings: null,
        now: clock.now(),
      });
      if (updated)
        await deps.audit.record(tx, {
          actorKind: 'system',
          actorId: 'kyc-auto',
          action: 'kyc.auto_decided',
          subjectType: 'kyc_submission',
          subjectId: row.id,
          details: { outcome: 'manual_review', reason: 'CHECK_UNAVAILABLE', attempt },
        });
      return updated;
    });
    if (held) await notifyDecision(row.user_id, row.id, 'manual_review', 'CHECK_UNAVAILABLE');
  }

  /** One attempt of the document check, outside any transaction, then its outcome in one. */
  async function runCheck(row: store.SubmissionRow, attempt: number): Promise<void> {
    const identity = await deps.identity.verifiedIdentity(row.user_id);
    if (!identity) return;
    const docs = await store.findDocuments(db, row.id);
    const pages = docs.map((d) => ({
      side: d.side,
      contentType: d.content_type,
      bytes: deps.cipher.open(d.content_enc, `${row.id}:${d.side}`),
    }));
    const selfie = pages.find((p) => p.side === 'selfie');
    if (!selfie) throw new Error(`submission ${row.id} has no selfie`);
    const answered = await deps.adapter.check({
      reference: row.id,
      attempt,
      documentType: row.document_type,
      pages: pages.filter((p) => p.side !== 'selfie'),
      selfie,
      claimed: { name: identity.name, idNumber: identity.idNumber, birthDate: identity.birthDate },
    });
    const now = clock.now();
    if (!answered.ok) {
      deps.logger?.warn(
        { submissionId: row.id, attempt, failure: answered.error.code },
        'document check did not answer',
      );
      if (attempt < MAX_CHECK_ATTEMPTS) return; // the recheck job tries again
      await holdForReview(row, attempt);
      return;
    }
    const decision = decide(answered.value, identity, row.document_type, now);
    const auditDetails = {
      outcome: decision.outcome,
      reason: decision.reason,
      attempt,
      faceMatchScore: decision.findings.faceMatchScore,
    };
    if (decision.outcome === 'approved') {
      await approve(
        row,
        'kyc-auto',
        async (tx) =>
          (await store.recordAutoDecision(tx, {
            id: row.id,
            attempt,
            status: 'approved',
            reason: null,
            findings: decision.findings,
            now,
          })) !== null,
        (tx, raised) =>
          deps.audit.record(tx, {
            actorKind: 'system',
            actorId: 'kyc-auto',
            action: 'kyc.auto_decided',
            subjectType: 'kyc_submission',
            subjectId: row.id,
            details: { ...auditDetails, tierRaised: raised },
          }),
      );
      return;
    }
    const recorded = await db.transaction(async (tx) => {
      const updated = await store.recordAutoDecision(tx, {
        id: row.id,
        attempt,
        status: decision.outcome,
        reason: decision.reason,
        findings: decision.findings,
        now,
      });
      if (updated)
        await deps.audit.record(tx, {
          actorKind: 'system',
          actorId: 'kyc-auto',
          action: 'kyc.auto_decided',
          subjectType: 'kyc_submission',
          subjectId: row.id,
          details: auditDetails,
        });
      return updated;
    });
    if (recorded)
      await notifyDecision(row.user_id, row.id, decision.outcome as 'rejected' | 'manual_review', decision.reason);
  }

  async function validateUploads(
    documentType: DocumentType,
    uploads: Upload[],
  ): Promise<Result<{ side: DocumentSide; contentType: DocumentContentType; bytes: Buffer }[], SubmitError>> {
    const required = [...PAGES_OF[documentType], 'selfie'] as DocumentSide[];
    const sides = uploads.map((u) => u.side);
    const missing = required.filter((side) => !sides.includes(side));
    const unexpected = sides.filter((side, i) => !(required as string[]).includes(side) || sides.indexOf(side) !== i);
    if (missing.length || unexpected.length)
      return err({ code: 'DOCUMENTS_INCOMPLETE', required, missing, unexpected });
    const checked = [];
    for (const upload of uploads) {
      const inspected = await inspectDocument(upload.bytes, upload.side === 'selfie' ? IMAGE_TYPES : DOCUMENT_TYPES);
      if (!inspected.ok) return err({ ...inspected.error, field: upload.side });
      checked.push({ side: upload.side as DocumentSide, contentType: inspected.value, bytes: upload.bytes });
    }
    return ok(checked);
  }

  /**
   * For the cards domain: call after a holder links a bank card. If their documents were
   * approved and only the same-name card was missing, this completes the verified tier.
   */
  async function cardLinked(userId: string): Promise<boolean> {
    const latest = await store.latestSubmission(db, userId);
    if (latest?.status !== 'approved' || !deps.hasSameNameCard || !(await deps.hasSameNameCard(userId))) return false;
    const identity = await deps.identity.verifiedIdentity(userId);
    if (!identity || tierRank(identity.tier) >= tierRank('verified')) return false;
    const raised = await db.transaction(async (tx) => {
      const changed = await changeTierInTx(deps, tx, {
        userId,
        tier: 'verified',
        source: 'card',
        actorId: 'kyc-auto',
        reason: 'same-name card linked',
        submissionId: latest.id,
        raiseOnly: true,
      });
      if (changed.ok)
        await deps.audit.record(tx, {
          actorKind: 'system',
          actorId: 'kyc-auto',
          action: 'kyc.tier_changed',
          subjectType: 'user',
          subjectId: userId,
          details: { from: changed.value.previousTier, to: 'verified', source: 'card' },
        });
      return changed.ok;
    });
    if (raised) {
      const limits = describeLimits(deps, 'verified');
      await notifySafely(deps, userId, {
        ...OUTCOME_NOTICE.approved,
        bodyZh: `您已完成实名认证，账户升级为实名账户。${limits.zh}`,
        bodyEn: `Your identity is verified and your wallet is now Verified. ${limits.en}`,
      });
    }
    return raised;
  }

  const review = createReview(deps, { approve, notifyDecision, view });

  return {
    review,
    tierChanges: createTierChanges(deps, deps.approvals),
    limits: createLimitsView(deps),
    cardLinked,

    async submit(
      userId: string,
      documentType: DocumentType,
      uploads: Upload[],
    ): Promise<Result<SubmissionView, SubmitError>> {
      const checked = await validateUploads(documentType, uploads);
      if (!checked.ok) return checked;
      const identity = await deps.identity.verifiedIdentity(userId);
      if (!identity) return err({ code: 'USER_NOT_FOUND' });
      if (tierRank(identity.tier) >= tierRank('verified'))
        return err({ code: 'KYC_ALREADY_VERIFIED', tier: identity.tier });
      const latest = await store.latestSubmission(db, userId);
      if (latest?.status === 'approved') return err({ code: 'KYC_ALREADY_VERIFIED', tier: identity.tier });
      const now = clock.now();
      const dayStart = new Date(`${shanghaiDay(now)}T00:00:00+08:00`);
      if ((await store.countSubmissionsSince(db, userId, dayStart)) >= MAX_SUBMISSIONS_PER_DAY) {
        const retryAfterSeconds = Math.ceil((dayStart.getTime() + 24 * 3600_000 - now.getTime()) / 1000);
        return err({ code: 'KYC_TOO_MANY_SUBMISSIONS', maxPerDay: MAX_SUBMISSIONS_PER_DAY, retryAfterSeconds });
      }
      const id = newId('kyc', now.getTime());
      try {
        await db.transaction(async (tx) => {
          await store.insertSubmission(tx, { id, userId, documentType, now });
          for (const page of checked.value) {
            await store.insertDocument(tx, {
              submissionId: id,
              side: page.side,
              contentType: page.contentType,
              sizeBytes: page.bytes.length,
              sealed: deps.cipher.seal(page.bytes, `${id}:${page.side}`),
              now,
            });
          }
          await deps.audit.record(tx, {
            actorKind: 'user',
            actorId: userId,
            action: 'kyc.submitted',
            subjectType: 'kyc_submission',
            subjectId: id,
            details: { documentType },
          });
        });
      } catch (error) {
        if (isUniqueViolation(error))
          return err({
            code: 'KYC_SUBMISSION_OPEN',
            submissionId: (await store.latestSubmission(db, userId))?.id ?? null,
          });
        throw error;
      }
      const row = await store.findSubmission(db, id);
      if (!row) throw new Error(`submission ${id} vanished`);
      try {
        await runCheck(row, 1);
      } catch (error) {
        // The submission stays 'checking'; the recheck job will finish it.
        deps.logger?.error({ err: error, submissionId: id }, 'document check failed');
      }
      return ok(await view((await store.findSubmission(db, id)) ?? row));
    },

    /** Re-runs checks left in 'checking' (a crash, or no answer from the adapter). Returns how many it tried. */
    async recheckStuck(batchSize = 20): Promise<number> {
      const now = clock.now();
      const claimed = await store.claimStuckChecks(db, new Date(now.getTime() - STUCK_AFTER_MS), now, batchSize);
      for (const row of claimed) {
        try {
          // Past the last attempt (earlier ones failed unexpectedly), a person decides without another call.
          if (row.check_attempts > MAX_CHECK_ATTEMPTS) await holdForReview(row, row.check_attempts);
          else await runCheck(row, row.check_attempts);
        } catch (error) {
          deps.logger?.error({ err: error, submissionId: row.id }, 'document recheck failed');
        }
      }
      return claimed.length;
    },

    async get(userId: string, submissionId: string): Promise<SubmissionView | null> {
      const row = await store.findSubmission(db, submissionId);
      return row && row.user_id === userId ? view(row) : null;
    },

    /** The holder's submissions, newest first, by cursor (at most 50 a page). */
    async history(
      userId: string,
      page: { before?: string; limit?: number } = {},
    ): Promise<{ items: SubmissionView[]; nextBefore: string | null }> {
      const limit = Math.min(Math.max(page.limit ?? 10, 1), 50);
      const rows = await store.listSubmissionsOfUser(db, userId, page.before ?? null, limit + 1);
      const items = await Promise.all(rows.slice(0, limit).map(view));
      return { items, nextBefore: rows.length > limit ? items[items.length - 1].id : null };
    },

    /** One of the holder's own documents, decrypted; null if it is not theirs. */
    async document(
      userId: string,
      submissionId: string,
      side: string,
    ): Promise<{ contentType: string; bytes: Buffer } | null> {
      const row = await store.findSubmission(db, submissionId);
      if (!row || row.user_id !== userId) return null;
      const doc = await store.findDocument(db, submissionId, side);
      return doc
        ? { contentType: doc.content_type, bytes: deps.cipher.open(doc.content_enc, `${submissionId}:${doc.side}`) }
        : null;
    },

    /**
     * Completes the verified tier for holders approved in the last 30 days who have since linked
     * a same-name card (a job, in case the cards domain does not call `cardLinked`).
     */
    async completeCardVerifications(batchSize = 100): Promise<number> {
      if (!deps.hasSameNameCard) return 0;
      const since = new Date(clock.now().getTime() - CARD_WAIT_MS);
      let raised = 0;
      for (const { user_id } of await store.approvedAwaitingCard(db, since, batchSize)) {
        if (await cardLinked(user_id)) raised++;
      }
      return raised;
    },
  };
}

export type { SubmissionView };

export type KycService = ReturnType<typeof createKycService>;
