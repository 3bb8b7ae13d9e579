import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { type Upload, checkAndSeal, openAttachment } from './attachments.js';
import type { DomainFailure, SupportDeps } from './deps.js';
import * as store from './store-cases.js';
import * as ticketStore from './store-tickets.js';
import type { SupportActor } from './types.js';
import type { DocumentProblem } from '../kyc/documents.js';

/**
 * Theft cases as the holder follows them (status, evidence they add, money recovered), and
 * claw-backs: support places a ledger hold on the receiving wallet for stolen money still inside
 * the platform, then a second person approves its return (maker-checker: a different person with
 * the approving role),
 * which posts exactly the held amount to the victim once.
 */

/** A claw-back hold lasts this long; the ledger's expiry job releases it after. */
const CLAWBACK_HOLD_DAYS = 180;
const DAY_MS = 24 * 3600_000;

export type CaseError =
  | { code: 'CASE_NOT_FOUND' }
  | { code: 'CASE_ALREADY_CLOSED' }
  | { code: 'ATTACHMENT_NOT_FOUND' }
  | { code: 'CLAWBACK_NOT_FOUND' }
  | { code: 'CLAWBACK_NOT_HELD'; status: string }
  | { code: 'CLAWBACK_ALREADY_OPEN' }
  | { code: 'CLAWBACK_TRANSFER_NOT_IN_CASE' }
  | { code: 'CLAWBACK_AMOUNT_TOO_HIGH'; maxAmount: number }
  | { code: 'APPROVAL_SECOND_PERSON_REQUIRED'; requestedBy: string }
  | DocumentProblem
  | DomainFailure;

export function createCases(deps: SupportDeps) {
  const { db, clock } = deps;

  /** The case if the holder owns it (staff see any). */
  async function caseFor(actor: SupportActor, caseId: string) {
    const found = await deps.cases.getCase(caseId);
    if (!found || (actor.kind === 'user' && found.userId !== actor.id)) return null;
    return found;
  }

  return {
    async listMine(userId: string) {
      return deps.cases.listCases({ userId, limit: 50 });
    },

    /** The case with its evidence and claw-backs, for its holder or for staff. */
    async view(actor: SupportActor, caseId: string) {
      const found = await caseFor(actor, caseId);
      if (!found) return null;
      const evidence = await store.listEvidence(db, caseId);
      const clawbacks = await store.listClawbacks(db, { caseId, limit: 100 });
      return { case: found, evidence, clawbacks };
    },

    async addEvidence(
      userId: string,
      caseId: string,
      input: { kind: 'police_report' | 'note'; text: string } | { kind: 'file'; upload: Upload; text: string | null },
    ): Promise<Result<store.EvidenceRow, CaseError>> {
      const found = await caseFor({ kind: 'user', id: userId }, caseId);
      if (!found) return err({ code: 'CASE_NOT_FOUND' });
      if (found.status !== 'open') return err({ code: 'CASE_ALREADY_CLOSED' });
      const now = clock.now();
      const id = newId('evd', now.getTime());
      let attachmentId: string | null = null;
      if (input.kind === 'file') {
        attachmentId = newId('tat', now.getTime());
        const checked = await checkAndSeal(deps.cipher, attachmentId, input.upload);
        if (!checked.ok) return err(checked.error);
        const sealed = checked.value;
        const row: store.EvidenceRow = {
          id,
          case_id: caseId,
          user_id: userId,
          kind: 'file',
          body: input.text,
          attachment_id: attachmentId,
          created_at: now,
        };
        await db.transaction(async (tx) => {
          await ticketStore.insertAttachment(tx, {
            id: attachmentId as string,
            user_id: userId,
            ticket_id: null,
            case_id: caseId,
            content_type: sealed.contentType,
            size_bytes: sealed.sizeBytes,
            file_name: sealed.fileName,
            sealed: sealed.sealed,
            uploaded_by: `user:${userId}`,
            created_at: now,
          });
          await store.insertEvidence(tx, row);
        });
        return ok({
          ...row,
          content_type: sealed.contentType,
          size_bytes: sealed.sizeBytes,
          file_name: sealed.fileName,
        });
      }
      const row: store.EvidenceRow = {
        id,
        case_id: caseId,
        user_id: userId,
        kind: input.kind,
        body: input.text,
        attachment_id: null,
        created_at: now,
      };
      await store.insertEvidence(db, row);
      return ok(row);
    },

    async readEvidenceFile(actor: SupportActor, caseId: string, evidenceId: string) {
      const found = await caseFor(actor, caseId);
      if (!found) return err({ code: 'CASE_NOT_FOUND' as const });
      const evidence = await store.findEvidence(db, evidenceId);
      if (!evidence || evidence.case_id !== caseId || !evidence.attachment_id)
        return err({ code: 'ATTACHMENT_NOT_FOUND' as const });
      const file = await ticketStore.findAttachment(db, evidence.attachment_id);
      if (!file) return err({ code: 'ATTACHMENT_NOT_FOUND' as const });
      return ok({
        contentType: file.content_type,
        fileName: file.file_name,
        bytes: openAttachment(deps.cipher, file.id, file.sealed),
      });
    },

    /** Holds `amountFen` of a stolen transfer in the receiving wallet (the maker's first step). */
    async hold(
      staff: SupportActor,
      input: { caseId: string; transferId: string; amountFen: bigint; reason: string },
    ): Promise<Result<store.ClawbackRow, CaseError>> {
      const found = await deps.cases.getCase(input.caseId);
      if (!found) return err({ code: 'CASE_NOT_FOUND' });
      if (found.status !== 'open') return err({ code: 'CASE_ALREADY_CLOSED' });
      const transfer = await deps.transfers.get(found.userId, input.transferId);
      if (!transfer || transfer.payer_user_id !== found.userId || transfer.status !== 'completed')
        return err({ code: 'CLAWBACK_TRANSFER_NOT_IN_CASE' });
      if (input.amountFen > transfer.amount)
        return err({ code: 'CLAWBACK_AMOUNT_TOO_HIGH', maxAmount: Number(transfer.amount) });
      const now = clock.now();
      const row: store.ClawbackRow = {
        id: newId('clb', now.getTime()),
        case_id: found.id,
        transfer_id: transfer.id,
        from_user_id: found.userId,
        to_user_id: transfer.payee_user_id,
        victim_wallet_id: transfer.payer_account_id,
        receiver_wallet_id: transfer.payee_account_id,
        amount: input.amountFen,
        hold_id: 'pending',
        status: 'held',
        return_requested_by: null,
        return_reason: null,
        return_approved_by: null,
        reason: input.reason,
        created_by: staff.id,
        created_at: now,
        returned_at: null,
        entry_id: null,
      };
      try {
        return await inTransaction(db, async (tx, rollback: RollbackWith<CaseError>) => {
          await store.insertClawback(tx, row);
          await deps.audit.record(tx, {
            actorKind: 'staff',
            actorId: staff.id,
            action: 'support.clawback_held',
            subjectType: 'case',
            subjectId: found.id,
            details: { clawbackId: row.id, transferId: transfer.id, amountFen: input.amountFen.toString() },
            ip: staff.ip,
            requestId: staff.requestId,
          });
          const [outcome] = await deps.ledger.execute(tx, [
            {
              type: 'hold',
              reference: `clawback:${row.id}`,
              currency: 'CNY',
              debitAccountId: row.receiver_wallet_id,
              creditAccountId: row.victim_wallet_id,
              amountFen: row.amount,
              expiresAt: new Date(now.getTime() + CLAWBACK_HOLD_DAYS * DAY_MS),
              metadata: { kind: 'clawback', caseId: found.id, clawbackId: row.id, transferId: transfer.id },
              // Recovering stolen money ignores the receiver's freeze and limits.
              limitExempt: true,
            },
          ]);
          if (!outcome.ok) return rollback(outcome.error);
          if (outcome.value.type !== 'hold') throw new Error('assertion failed: hold answered with another kind');
          await store.updateClawback(tx, row.id, { hold_id: outcome.value.hold.id });
          return { ...row, hold_id: outcome.value.hold.id };
        });
      } catch (error) {
        if (isUniqueViolation(error)) return err({ code: 'CLAWBACK_ALREADY_OPEN' });
        throw error;
      }
    },

    /** The maker asks for the return; nothing moves until a different person approves it. */
    async requestReturn(staff: SupportActor, clawbackId: string, reason: string) {
      return inTransaction(db, async (tx, rollback: RollbackWith<CaseError>) => {
        const row = await store.findClawback(tx, clawbackId, true);
        if (!row) return rollback({ code: 'CLAWBACK_NOT_FOUND' });
        if (row.status !== 'held') return rollback({ code: 'CLAWBACK_NOT_HELD', status: row.status });
        await store.updateClawback(tx, row.id, {
          status: 'return_pending',
          return_requested_by: staff.id,
          return_reason: reason,
        });
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: 'support.clawback_return_requested',
          subjectType: 'case',
          subjectId: row.case_id,
          details: { clawbackId: row.id, reason },
          ip: staff.ip,
          requestId: staff.requestId,
        });
        return (await store.findClawback(tx, row.id)) as store.ClawbackRow;
      });
    },

    /**
     * The checker approves: a different person posts the hold to the victim's wallet
     * (`clawback-return:<id>`) in the same transaction that marks the claw-back returned, so
     * exactly the held amount moves, once; a second approval finds it returned.
     */
    async approveReturn(staff: SupportActor, clawbackId: string, note: string) {
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<CaseError>) => {
        const row = await store.findClawback(tx, clawbackId, true);
        if (!row) return rollback({ code: 'CLAWBACK_NOT_FOUND' });
        if (row.status !== 'return_pending') return rollback({ code: 'CLAWBACK_NOT_HELD', status: row.status });
        if (row.return_requested_by === staff.id)
          return rollback({ code: 'APPROVAL_SECOND_PERSON_REQUIRED', requestedBy: staff.id });
        const now = clock.now();
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: 'support.clawback_returned',
          subjectType: 'case',
          subjectId: row.case_id,
          details: { clawbackId: row.id, amountFen: row.amount.toString(), requestedBy: row.return_requested_by, note },
          ip: staff.ip,
          requestId: staff.requestId,
        });
        const [outcome] = await deps.ledger.execute(tx, [
          {
            type: 'post_hold',
            reference: `clawback-return:${row.id}`,
            holdId: row.hold_id,
            metadata: { kind: 'clawback', counterparty: '通宝客服', ref: row.id, caseId: row.case_id },
          },
        ]);
        if (!outcome.ok) return rollback(outcome.error);
        if (outcome.value.type !== 'post_hold')
          throw new Error('assertion failed: post_hold answered with another kind');
        await store.updateClawback(tx, row.id, {
          status: 'returned',
          returned_at: now,
          entry_id: outcome.value.entry.id,
          return_approved_by: staff.id,
        });
        return (await store.findClawback(tx, row.id)) as store.ClawbackRow;
      });
      if (done.ok) {
        const amount = formatFen(done.value.amount);
        await deps.notifications.notify(done.value.from_user_id, {
          kind: 'support.clawback_returned',
          titleZh: '被盗资金已追回',
          titleEn: 'Stolen money recovered',
          bodyZh: `银行已追回${amount}并退还至您的钱包。`,
          bodyEn: `The bank recovered ${amount} and returned it to your wallet.`,
          data: { caseId: done.value.case_id, clawbackId: done.value.id },
        });
      }
      return done;
    },

    /** Gives the held money back to the receiver (the money was not stolen after all). */
    async release(
      staff: SupportActor,
      clawbackId: string,
      reason: string,
    ): Promise<Result<store.ClawbackRow, CaseError>> {
      return inTransaction(db, async (tx, rollback: RollbackWith<CaseError>) => {
        const row = await store.findClawback(tx, clawbackId, true);
        if (!row) return rollback({ code: 'CLAWBACK_NOT_FOUND' });
        if (row.status !== 'held' && row.status !== 'return_pending')
          return rollback({ code: 'CLAWBACK_NOT_HELD', status: row.status });
        await store.updateClawback(tx, row.id, { status: 'released' });
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: 'support.clawback_released',
          subjectType: 'case',
          subjectId: row.case_id,
          details: { clawbackId: row.id, reason },
          ip: staff.ip,
          requestId: staff.requestId,
        });
        const [outcome] = await deps.ledger.execute(tx, [
          { type: 'void_hold', reference: `clawback-release:${row.id}`, holdId: row.hold_id },
        ]);
        if (!outcome.ok) return rollback(outcome.error);
        return { ...row, status: 'released' as const };
      });
    },

    async list(caseId: string | null) {
      return store.listClawbacks(db, { caseId, limit: 100 });
    },
  };
}

export type Cases = ReturnType<typeof createCases>;
