import type { DocumentProblem } from '../kyc/documents.js';
import type { MerchantActor } from '../payments/types.js';
import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import { isUniqueViolation } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { formatFen } from '../platform/money.js';
import { type Result, err, ok } from '../platform/result.js';
import { type Upload, checkAndSeal, openAttachment } from './attachments.js';
import type { DomainFailure, SupportDeps } from './deps.js';
import * as ticketStore from './store-tickets.js';
import * as store from './store-disputes.js';
import type { Tickets } from './tickets.js';
import type { SupportActor } from './types.js';

/**
 * Disputes of merchant payments (domain-rules-2 §11): a dispute freezes nothing by itself; the
 * merchant is asked first and has MERCHANT_ANSWER_DAYS to refund or answer with evidence; then
 * support decides. A refund is an ordinary ledger movement referencing the dispute
 * (`dispute:<id>`), posted in the same transaction as the decision, so it happens once.
 */

export const MERCHANT_ANSWER_DAYS = 7;
/** How many evidence files a merchant may add to one dispute. */
export const MAX_EVIDENCE_FILES = 5;
const DAY_MS = 24 * 3600_000;
const MAX_PAGE = 50;

export type DisputeError =
  | { code: 'PAYMENT_NOT_FOUND' }
  | { code: 'DISPUTE_NOT_FOUND' }
  | { code: 'DISPUTE_NOT_ALLOWED'; reason: string }
  | { code: 'DISPUTE_ALREADY_OPEN'; disputeId: string }
  | { code: 'DISPUTE_AMOUNT_TOO_HIGH'; maxAmount: number }
  | { code: 'DISPUTE_NOT_OPEN'; status: string }
  | { code: 'DISPUTE_MERCHANT_DEADLINE_PASSED'; dueAt: string }
  | { code: 'DISPUTE_ALREADY_DECIDED'; status: string }
  | { code: 'DISPUTE_EVIDENCE_LIMIT'; maxFiles: number }
  | { code: 'ATTACHMENT_NOT_FOUND' }
  | DocumentProblem
  | DomainFailure;

const REASON_TEXT: Record<store.DisputeReason, { zh: string; en: string }> = {
  not_received: { zh: '未收到商品或服务', en: 'goods or service not received' },
  charged_twice: { zh: '重复扣款', en: 'charged twice' },
  wrong_amount: { zh: '扣款金额有误', en: 'wrong amount charged' },
};

export function createDisputes(deps: SupportDeps, tickets: Tickets) {
  const { db, clock } = deps;
  const page = (rows: store.DisputeRow[], limit: number) => ({
    items: rows,
    nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
  });
  const clamp = (limit?: number) => Math.min(Math.max(limit ?? 20, 1), MAX_PAGE);

  const tell = async (dispute: store.DisputeRow, zh: string, en: string) => {
    await tickets.systemMessage(db, dispute.ticket_id, zh, en);
    deps.live.wake(dispute.ticket_id);
    await deps.notifications.notify(dispute.user_id, {
      kind: 'support.dispute',
      titleZh: '交易争议',
      titleEn: 'Payment dispute',
      bodyZh: zh,
      bodyEn: en,
      data: { disputeId: dispute.id, ticketId: dispute.ticket_id },
    });
  };

  return {
    async open(
      userId: string,
      input: { paymentId: string; reason: store.DisputeReason; claimedAmountFen: bigint; text: string },
    ): Promise<Result<store.DisputeRow, DisputeError>> {
      const payment = await deps.payments.paymentOf(userId, input.paymentId);
      if (!payment) return err({ code: 'PAYMENT_NOT_FOUND' });
      const refundable = payment.amountFen - payment.refundedFen;
      if (payment.status !== 'completed' || refundable <= 0n)
        return err({
          code: 'DISPUTE_NOT_ALLOWED',
          reason: payment.status !== 'completed' ? payment.status : 'refunded',
        });
      if (input.claimedAmountFen > refundable)
        return err({ code: 'DISPUTE_AMOUNT_TOO_HIGH', maxAmount: Number(refundable) });
      const open = await store.findOpenDisputeOfPayment(db, payment.id);
      if (open) return err({ code: 'DISPUTE_ALREADY_OPEN', disputeId: open.id });
      const now = clock.now();
      const id = newId('dsp', now.getTime());
      const reason = REASON_TEXT[input.reason];
      const merchant = payment.merchantName ?? payment.merchantId;
      try {
        return await inTransaction(db, async (tx, rollback: RollbackWith<DisputeError>) => {
          const ticket = await tickets.open(
            userId,
            {
              category: 'complaint_merchant',
              subject: `交易争议：${merchant}（${reason.zh}）`,
              text: input.text,
              linkedRecords: [{ kind: 'payment', id: payment.id }],
              disputeId: id,
            },
            tx,
          );
          if (!ticket.ok) return rollback(ticket.error);
          const row: store.DisputeRow = {
            id,
            payment_id: payment.id,
            user_id: userId,
            merchant_id: payment.merchantId,
            ticket_id: ticket.value.id,
            reason: input.reason,
            body: input.text,
            claimed_amount: input.claimedAmountFen,
            payment_amount: payment.amountFen,
            status: 'awaiting_merchant',
            merchant_due_at: new Date(now.getTime() + MERCHANT_ANSWER_DAYS * DAY_MS),
            merchant_answer: null,
            merchant_evidence: null,
            merchant_answered_at: null,
            decision_outcome: null,
            decision_amount: null,
            decision_note: null,
            decided_by: null,
            decided_at: null,
            refund_id: null,
            refund_amount: null,
            refund_entry_id: null,
            refund_by: null,
            refunded_at: null,
            created_at: now,
            updated_at: now,
          };
          await store.insertDispute(tx, row);
          await deps.audit.record(tx, {
            actorKind: 'user',
            actorId: userId,
            action: 'support.dispute_opened',
            subjectType: 'payment',
            subjectId: payment.id,
            details: { disputeId: id, reason: input.reason, claimedFen: input.claimedAmountFen.toString() },
          });
          return row;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await store.findOpenDisputeOfPayment(db, payment.id);
        return err({ code: 'DISPUTE_ALREADY_OPEN', disputeId: raced?.id ?? '' });
      }
    },

    /** The merchant's name as the payment shows it (a dispute keeps only the merchant's id). */
    async merchantNameOf(row: store.DisputeRow): Promise<string | null> {
      return (await deps.payments.paymentOf(row.user_id, row.payment_id))?.merchantName ?? null;
    },

    async listOfHolder(userId: string, filter: { before?: string; limit?: number }) {
      const limit = clamp(filter.limit);
      return page(await store.listDisputes(db, { userId, status: null, before: filter.before ?? null, limit }), limit);
    },

    async listOfMerchant(
      merchantId: string,
      filter: { status?: store.DisputeStatus; before?: string; limit?: number },
    ) {
      const limit = clamp(filter.limit);
      const rows = await store.listDisputes(db, {
        merchantId,
        status: filter.status ?? null,
        before: filter.before ?? null,
        limit,
      });
      return page(rows, limit);
    },

    async listAll(filter: { status?: store.DisputeStatus; before?: string; limit?: number }) {
      const limit = clamp(filter.limit);
      return page(
        await store.listDisputes(db, { status: filter.status ?? null, before: filter.before ?? null, limit }),
        limit,
      );
    },

    /** The dispute if this party may see it: its holder, the merchant it is against, or staff. */
    async get(party: { kind: 'user' | 'merchant' | 'staff'; id: string }, id: string) {
      const row = await store.findDispute(db, id);
      if (!row) return null;
      if (party.kind === 'user' && row.user_id !== party.id) return null;
      if (party.kind === 'merchant' && row.merchant_id !== party.id) return null;
      return row;
    },

    async answer(
      actor: MerchantActor,
      id: string,
      input: { text: string; evidence: string | null },
    ): Promise<Result<store.DisputeRow, DisputeError>> {
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<DisputeError>) => {
        const row = await store.findDispute(tx, id, true);
        if (!row || row.merchant_id !== actor.merchantId) return rollback({ code: 'DISPUTE_NOT_FOUND' });
        if (row.status !== 'awaiting_merchant') return rollback({ code: 'DISPUTE_NOT_OPEN', status: row.status });
        const now = clock.now();
        if (now > row.merchant_due_at)
          return rollback({ code: 'DISPUTE_MERCHANT_DEADLINE_PASSED', dueAt: row.merchant_due_at.toISOString() });
        await store.updateDispute(tx, id, {
          status: 'merchant_answered',
          merchant_answer: input.text,
          merchant_evidence: input.evidence,
          merchant_answered_at: now,
          updated_at: now,
        });
        return (await store.findDispute(tx, id)) as store.DisputeRow;
      });
      if (done.ok)
        await tell(
          done.value,
          `商户已答复您的争议：${input.text}`,
          `The merchant answered your dispute: ${input.text}`,
        );
      return done;
    },

    /** The evidence files the merchant added (staff see them in the dispute's ticket too). */
    evidenceFiles: (row: store.DisputeRow) => store.listMerchantEvidence(db, row.ticket_id),

    /**
     * The merchant adds a file of evidence (a receipt, a delivery note) while the dispute waits for
     * its answer: checked and sealed exactly like ticket attachments, kept on the dispute's ticket as
     * an internal message, so support sees it beside the conversation and the holder does not.
     */
    async addEvidenceFile(
      actor: MerchantActor,
      id: string,
      upload: Upload,
    ): Promise<Result<store.EvidenceFileRow, DisputeError>> {
      const found = await store.findDispute(db, id);
      if (!found || found.merchant_id !== actor.merchantId) return err({ code: 'DISPUTE_NOT_FOUND' });
      const now = clock.now();
      const attachmentId = newId('tat', now.getTime());
      const checked = await checkAndSeal(deps.cipher, attachmentId, upload);
      if (!checked.ok) return err(checked.error);
      const sealed = checked.value;
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<DisputeError>) => {
        const row = await store.findDispute(tx, id, true);
        if (!row || row.merchant_id !== actor.merchantId) return rollback({ code: 'DISPUTE_NOT_FOUND' });
        if (row.status !== 'awaiting_merchant') return rollback({ code: 'DISPUTE_NOT_OPEN', status: row.status });
        if (now > row.merchant_due_at)
          return rollback({ code: 'DISPUTE_MERCHANT_DEADLINE_PASSED', dueAt: row.merchant_due_at.toISOString() });
        if ((await store.listMerchantEvidence(tx, row.ticket_id)).length >= MAX_EVIDENCE_FILES)
          return rollback({ code: 'DISPUTE_EVIDENCE_LIMIT', maxFiles: MAX_EVIDENCE_FILES });
        const file = {
          id: attachmentId,
          content_type: sealed.contentType,
          size_bytes: sealed.sizeBytes,
          file_name: sealed.fileName,
          uploaded_by: `merchant:${actor.staffId}`,
          created_at: now,
        };
        await ticketStore.insertAttachment(tx, {
          ...file,
          user_id: row.user_id,
          ticket_id: row.ticket_id,
          case_id: null,
          sealed: sealed.sealed,
        });
        await tickets.systemMessage(
          tx,
          row.ticket_id,
          `商户提交了证据：${file.file_name}`,
          `The merchant added evidence: ${file.file_name}`,
          {
            internal: true,
            attachmentId,
          },
        );
        await deps.audit.record(tx, {
          actorKind: 'system',
          actorId: `merchant_staff:${actor.staffId}`,
          action: 'support.dispute_evidence_added',
          subjectType: 'dispute',
          subjectId: row.id,
          details: { attachmentId, contentType: file.content_type, sizeBytes: file.size_bytes },
        });
        return file;
      });
      if (done.ok) deps.live.wake(found.ticket_id);
      return done;
    },

    /** One of the merchant's evidence files of a dispute of theirs. */
    async readEvidenceFile(merchantId: string, id: string, attachmentId: string) {
      const row = await store.findDispute(db, id);
      if (!row || row.merchant_id !== merchantId) return err({ code: 'DISPUTE_NOT_FOUND' as const });
      const file = await ticketStore.findAttachment(db, attachmentId);
      if (!file || file.ticket_id !== row.ticket_id || !file.uploaded_by.startsWith('merchant:'))
        return err({ code: 'ATTACHMENT_NOT_FOUND' as const });
      return ok({
        contentType: file.content_type,
        fileName: file.file_name,
        bytes: openAttachment(deps.cipher, file.id, file.sealed),
      });
    },

    /** The merchant gives the money back with their ordinary refund; the dispute is settled by it. */
    async refundByMerchant(
      actor: MerchantActor,
      id: string,
      input: { amountFen: bigint; password: string },
    ): Promise<Result<store.DisputeRow, DisputeError>> {
      const row = await store.findDispute(db, id);
      if (!row || row.merchant_id !== actor.merchantId) return err({ code: 'DISPUTE_NOT_FOUND' });
      if (!store.OPEN_DISPUTE_STATUSES.includes(row.status))
        return err({ code: 'DISPUTE_NOT_OPEN', status: row.status });
      const refunded = await deps.payments.refundAsMerchant(actor, row.payment_id, {
        amountFen: input.amountFen,
        reason: `dispute:${row.id}`,
        password: input.password,
      });
      if (!refunded.ok) return refunded;
      const now = clock.now();
      await store.updateDispute(db, id, {
        status: 'merchant_refunded',
        refund_id: refunded.value.id,
        refund_amount: refunded.value.amountFen,
        refund_by: 'merchant',
        refunded_at: refunded.value.createdAt,
        updated_at: now,
      });
      const updated = (await store.findDispute(db, id)) as store.DisputeRow;
      const amount = formatFen(refunded.value.amountFen);
      await tell(
        updated,
        `商户已退款${amount}，争议已解决。`,
        `The merchant refunded ${amount}; the dispute is settled.`,
      );
      return ok(updated);
    },

    /**
     * Support's decision. A refund posts in the decision's transaction with the reference
     * `dispute:<id>`: a second decision finds the dispute decided, and the ledger would refuse
     * the reference anyway.
     */
    async decide(
      staff: SupportActor,
      id: string,
      input: { outcome: 'refund' | 'reject'; amountFen: bigint | null; note: string },
    ): Promise<Result<store.DisputeRow, DisputeError>> {
      const done = await inTransaction(db, async (tx, rollback: RollbackWith<DisputeError>) => {
        const row = await store.findDispute(tx, id, true);
        if (!row) return rollback({ code: 'DISPUTE_NOT_FOUND' });
        if (!store.OPEN_DISPUTE_STATUSES.includes(row.status))
          return rollback({ code: 'DISPUTE_ALREADY_DECIDED', status: row.status });
        const now = clock.now();
        const amountFen = input.outcome === 'refund' ? (input.amountFen ?? row.claimed_amount) : null;
        await store.updateDispute(tx, id, {
          status: input.outcome === 'refund' ? 'refunded' : 'rejected',
          decision_outcome: input.outcome,
          decision_amount: amountFen,
          decision_note: input.note,
          decided_by: staff.id,
          decided_at: now,
          updated_at: now,
        });
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: 'support.dispute_decided',
          subjectType: 'dispute',
          subjectId: id,
          details: { outcome: input.outcome, amountFen: amountFen?.toString() ?? null, note: input.note },
          ip: staff.ip,
          requestId: staff.requestId,
        });
        if (amountFen !== null) {
          const refunded = await deps.payments.refundForDispute(tx, {
            paymentId: row.payment_id,
            amountFen,
            disputeId: id,
            decidedBy: `staff:${staff.id}`,
          });
          if (!refunded.ok) {
            const failure = refunded.error;
            return rollback(
              failure.code === 'REFUND_EXCEEDS_PAYMENT'
                ? { code: 'DISPUTE_AMOUNT_TOO_HIGH', maxAmount: Number(failure.refundableFen ?? 0) }
                : failure,
            );
          }
          await store.updateDispute(tx, id, {
            refund_id: refunded.value.id,
            refund_amount: amountFen,
            refund_entry_id: refunded.value.entryId,
            refund_by: 'bank',
            refunded_at: now,
          });
        }
        return (await store.findDispute(tx, id)) as store.DisputeRow;
      });
      if (!done.ok) return done;
      const row = done.value;
      const amount = row.refund_amount !== null ? formatFen(row.refund_amount) : '';
      const [zh, en] =
        row.status === 'refunded'
          ? [
              `争议裁决：退款${amount}至您的钱包。${input.note}`,
              `Dispute decided: ${amount} refunded to your wallet. ${input.note}`,
            ]
          : [`争议裁决：不予退款。${input.note}`, `Dispute decided: no refund. ${input.note}`];
      // The dispute's complaint ticket carries the decision and how to escalate; a closed one is told only.
      const resolved = await tickets.resolve(staff, row.ticket_id, zh);
      if (!resolved.ok) await tell(row, zh, en);
      return ok(row);
    },
  };
}

export type Disputes = ReturnType<typeof createDisputes>;
