import type { Tx } from '../platform/db/types.js';
import { maskIdNumber, maskName } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import type { KycDeps } from './deps.js';
import { REJECTION_REASONS, type ReasonCode } from './rules.js';
import * as store from './store.js';
import type { SubmissionView } from './submission-view.js';

/**
 * Staff review: a queue of submissions a person must decide, claimed one at a time. Overriding
 * an automatic rejection takes two different reviewers (maker-checker). Every step is audited.
 */

export const CLAIM_MS = 30 * 60_000;
const MAX_PAGE = 100;

export type QueueFilter = 'queue' | store.SubmissionStatus;

export interface StaffRequest {
  ip?: string;
  requestId?: string;
}

export type ReviewError =
  | { code: 'KYC_SUBMISSION_NOT_FOUND' }
  | { code: 'KYC_NOT_CLAIMABLE'; status: string }
  | { code: 'KYC_CLAIMED_BY_OTHER'; claimedBy: string; claimedUntil: Date }
  | { code: 'KYC_NOT_CLAIMED' }
  | { code: 'KYC_ALREADY_DECIDED'; status: string }
  | { code: 'KYC_SECOND_REVIEWER_REQUIRED'; proposedBy: string }
  | { code: 'KYC_REASON_REQUIRED'; allowed: readonly string[] }
  | { code: 'KYC_DOCUMENT_NOT_FOUND' };

export interface QueueItem {
  id: string;
  userId: string;
  documentType: string;
  status: store.SubmissionStatus;
  reason: string | null;
  autoOutcome: string | null;
  decidedBy: string | null;
  claimedBy: string | null;
  claimedUntil: Date | null;
  overrideBy: string | null;
  createdAt: Date;
  /** The holder's masked name, in the queue only (reviewers see names, not user ids). */
  holderName?: string | null;
}

interface Helpers {
  approve(
    row: store.SubmissionRow,
    actorId: string,
    record: (tx: Tx) => Promise<boolean>,
    audit: (tx: Tx, raised: boolean) => Promise<void>,
  ): Promise<boolean>;
  notifyDecision(
    userId: string,
    submissionId: string,
    status: 'rejected' | 'manual_review',
    reason: string | null,
  ): Promise<void>;
  view(row: store.SubmissionRow): Promise<SubmissionView>;
}

function queueItem(row: store.SubmissionRow): QueueItem {
  return {
    id: row.id,
    userId: row.user_id,
    documentType: row.document_type,
    status: row.status,
    reason: row.reason,
    autoOutcome: row.auto_outcome,
    decidedBy: row.decided_by,
    claimedBy: row.claimed_by,
    claimedUntil: row.claimed_until,
    overrideBy: row.override_by,
    createdAt: row.created_at,
  };
}

export function createReview(deps: KycDeps, helpers: Helpers) {
  const { db, clock } = deps;
  const heldBy = (row: store.SubmissionRow, staffId: string, now: Date) =>
    row.claimed_by === staffId && row.claimed_until !== null && row.claimed_until > now;
  const audit = (
    q: Tx | KycDeps['db'],
    staffId: string,
    action: string,
    subjectId: string,
    details: Record<string, unknown>,
    request: StaffRequest,
  ) =>
    deps.audit.record(q, {
      actorKind: 'staff',
      actorId: staffId,
      action,
      subjectType: 'kyc_submission',
      subjectId,
      details,
      ip: request.ip,
      requestId: request.requestId,
    });

  /** An automatic rejection may be overridden only while it is the holder's latest submission. */
  async function overridable(row: store.SubmissionRow): Promise<boolean> {
    if (row.status !== 'rejected' || row.decided_by !== 'auto') return false;
    return (await store.latestSubmission(db, row.user_id))?.id === row.id;
  }

  /** Locks the submission and checks nothing changed since the reviewer looked. */
  async function stillHeld(tx: Tx, row: store.SubmissionRow, staffId: string): Promise<boolean> {
    const locked = await store.findSubmission(tx, row.id, true);
    return locked !== null && locked.status === row.status && heldBy(locked, staffId, clock.now());
  }

  async function reject(
    row: store.SubmissionRow,
    staffId: string,
    reason: ReasonCode,
    note: string,
    request: StaffRequest,
  ): Promise<boolean> {
    const declinedOverride = row.status === 'override_pending';
    const done = await db.transaction(async (tx) => {
      if (!(await stillHeld(tx, row, staffId))) return false;
      // Declining an override keeps the automatic reason the holder was already told.
      const finalReason = declinedOverride ? (row.auto_reason ?? reason) : reason;
      await store.recordStaffDecision(tx, {
        id: row.id,
        status: 'rejected',
        reason: finalReason,
        staffId,
        note,
        now: clock.now(),
      });
      await audit(
        tx,
        staffId,
        declinedOverride ? 'kyc.override_declined' : 'kyc.rejected',
        row.id,
        { reason: finalReason, note, proposedBy: row.override_by },
        request,
      );
      return true;
    });
    if (done && !declinedOverride) await helpers.notifyDecision(row.user_id, row.id, 'rejected', reason);
    return done;
  }

  return {
    async list(
      filter: QueueFilter,
      after: string | null,
      limit = 20,
    ): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
      const size = Math.min(Math.max(limit, 1), MAX_PAGE);
      const statuses: store.SubmissionStatus[] = filter === 'queue' ? ['manual_review', 'override_pending'] : [filter];
      const rows = await store.listByStatus(db, statuses, after, size + 1);
      const page = rows.slice(0, size);
      const items: QueueItem[] = [];
      for (const row of page) {
        const holder = await deps.identity.verifiedIdentity(row.user_id);
        items.push({ ...queueItem(row), holderName: holder ? maskName(holder.name) : null });
      }
      return { items, nextCursor: rows.length > size ? page[page.length - 1].id : null };
    },

    /** The submission with the check's findings; the registration in full only for the claimant. */
    async detail(staffId: string, id: string, request: StaffRequest) {
      const row = await store.findSubmission(db, id);
      if (!row) return null;
      const identity = await deps.identity.verifiedIdentity(row.user_id);
      const claimant = heldBy(row, staffId, clock.now());
      await audit(db, staffId, 'kyc.submission_viewed', id, { registrationShown: claimant }, request);
      return {
        ...queueItem(row),
        submission: await helpers.view(row),
        findings: row.check_report,
        autoReason: row.auto_reason,
        overrideNote: row.override_note,
        reviewNote: row.review_note,
        registration: identity
          ? claimant
            ? { name: identity.name, idNumber: identity.idNumber, birthDate: identity.birthDate, tier: identity.tier }
            : {
                name: maskName(identity.name),
                idNumber: maskIdNumber(identity.idNumber),
                birthDate: null,
                tier: identity.tier,
              }
          : null,
      };
    },

    async claim(staffId: string, id: string, request: StaffRequest): Promise<Result<QueueItem, ReviewError>> {
      const row = await store.findSubmission(db, id);
      if (!row) return err({ code: 'KYC_SUBMISSION_NOT_FOUND' });
      const claimable = row.status === 'manual_review' || row.status === 'override_pending' || (await overridable(row));
      if (!claimable) return err({ code: 'KYC_NOT_CLAIMABLE', status: row.status });
      if (row.status === 'override_pending' && row.override_by === staffId)
        return err({ code: 'KYC_SECOND_REVIEWER_REQUIRED', proposedBy: staffId });
      return db.transaction(async (tx) => {
        const now = clock.now();
        const locked = await store.findSubmission(tx, id, true);
        if (!locked || locked.status !== row.status)
          return err({ code: 'KYC_NOT_CLAIMABLE', status: locked?.status ?? 'unknown' });
        if (locked.claimed_by && locked.claimed_by !== staffId && locked.claimed_until && locked.claimed_until > now) {
          return err({
            code: 'KYC_CLAIMED_BY_OTHER',
            claimedBy: locked.claimed_by,
            claimedUntil: locked.claimed_until,
          });
        }
        const until = new Date(now.getTime() + CLAIM_MS);
        await store.setClaim(tx, id, staffId, until, now);
        await audit(tx, staffId, 'kyc.claimed', id, { status: locked.status }, request);
        return ok(queueItem({ ...locked, claimed_by: staffId, claimed_until: until }));
      });
    },

    /** A page of the document, decrypted, for the reviewer holding the claim. */
    async document(
      staffId: string,
      id: string,
      side: string,
      request: StaffRequest,
    ): Promise<Result<{ contentType: string; bytes: Buffer }, ReviewError>> {
      const row = await store.findSubmission(db, id);
      if (!row) return err({ code: 'KYC_SUBMISSION_NOT_FOUND' });
      if (!heldBy(row, staffId, clock.now())) return err({ code: 'KYC_NOT_CLAIMED' });
      const doc = await store.findDocument(db, id, side);
      if (!doc) return err({ code: 'KYC_DOCUMENT_NOT_FOUND' });
      await audit(db, staffId, 'kyc.document_viewed', id, { side: doc.side }, request);
      return ok({ contentType: doc.content_type, bytes: deps.cipher.open(doc.content_enc, `${id}:${doc.side}`) });
    },

    async decide(
      staffId: string,
      id: string,
      input: { decision: 'approve' | 'reject'; reason?: string; note: string },
      request: StaffRequest,
    ): Promise<Result<{ status: string }, ReviewError>> {
      const row = await store.findSubmission(db, id);
      if (!row) return err({ code: 'KYC_SUBMISSION_NOT_FOUND' });
      const now = clock.now();
      if (row.status === 'override_pending' && row.override_by === staffId)
        return err({ code: 'KYC_SECOND_REVIEWER_REQUIRED', proposedBy: staffId });
      const open = row.status === 'manual_review' || row.status === 'override_pending' || (await overridable(row));
      if (!open) return err({ code: 'KYC_ALREADY_DECIDED', status: row.status });
      if (!heldBy(row, staffId, now)) return err({ code: 'KYC_NOT_CLAIMED' });
      const lost = err({ code: 'KYC_ALREADY_DECIDED' as const, status: 'changed' });

      if (input.decision === 'reject') {
        if (row.status === 'rejected') return err({ code: 'KYC_ALREADY_DECIDED', status: row.status });
        const reason = input.reason as ReasonCode | undefined;
        if (row.status === 'manual_review' && (!reason || !(REJECTION_REASONS as readonly string[]).includes(reason)))
          return err({ code: 'KYC_REASON_REQUIRED', allowed: REJECTION_REASONS });
        return (await reject(row, staffId, reason ?? 'OTHER', input.note, request)) ? ok({ status: 'rejected' }) : lost;
      }

      if (row.status === 'rejected') {
        // Maker: proposes the override; a different reviewer must approve it.
        const proposed = await db.transaction(async (tx) => {
          if (!(await stillHeld(tx, row, staffId))) return false;
          await store.recordOverrideProposal(tx, { id, staffId, note: input.note, now: clock.now() });
          await audit(
            tx,
            staffId,
            'kyc.override_proposed',
            id,
            { autoReason: row.auto_reason, note: input.note },
            request,
          );
          return true;
        });
        return proposed ? ok({ status: 'override_pending' }) : lost;
      }

      const action = row.status === 'override_pending' ? 'kyc.override_approved' : 'kyc.approved';
      const approved = await helpers.approve(
        row,
        staffId,
        async (tx) => {
          if (!(await stillHeld(tx, row, staffId))) return false;
          await store.recordStaffDecision(tx, {
            id,
            status: 'approved',
            reason: null,
            staffId,
            note: input.note,
            now: clock.now(),
          });
          return true;
        },
        (tx, raised) =>
          audit(
            tx,
            staffId,
            action,
            id,
            { note: input.note, proposedBy: row.override_by, autoReason: row.auto_reason, tierRaised: raised },
            request,
          ),
      );
      return approved ? ok({ status: 'approved' }) : lost;
    },
  };
}
