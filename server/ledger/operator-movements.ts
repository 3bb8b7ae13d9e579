import type { ApprovalError, ApprovalRow, Approvals, Party } from '../approvals/service.js';
import { type Result, ok } from '../platform/result.js';
import type { LedgerService } from './service.js';
import type { LedgerCommand, Metadata } from './types.js';

/**
 * Money moved through the operator API needs a second approval (maker-checker): a transfer, the
 * posting of a hold or a reversal asked for by one operator is recorded as a pending request and
 * moves nothing; a second operator (another X-Operator-Id) or an admin in the console approves
 * it, and the ledger command runs in the approval's transaction, with both names in its metadata.
 */

export const MOVEMENT_APPROVER_ROLES = ['admin'] as const;

/** The movement as asked for, JSON-safe (amounts in fen as numbers, within 2^53 − 1). */
export type OperatorMovement =
  | {
      type: 'transfer';
      reference: string;
      currency: 'CNY';
      legs: { debitAccountId: string; creditAccountId: string; amount: number }[];
      metadata?: Metadata;
    }
  | { type: 'post_hold'; reference: string; holdId: string; amount?: number }
  | { type: 'reverse'; reference: string; entryId: string; reason?: string };

function commandOf(movement: OperatorMovement, metadata: Metadata): LedgerCommand {
  switch (movement.type) {
    case 'transfer':
      return {
        type: 'transfer',
        reference: movement.reference,
        currency: movement.currency,
        legs: movement.legs.map((leg) => ({
          debitAccountId: leg.debitAccountId,
          creditAccountId: leg.creditAccountId,
          amountFen: BigInt(leg.amount),
        })),
        metadata: { ...movement.metadata, ...metadata },
      };
    case 'post_hold':
      return {
        type: 'post_hold',
        reference: movement.reference,
        holdId: movement.holdId,
        amountFen: movement.amount === undefined ? undefined : BigInt(movement.amount),
        metadata,
      };
    case 'reverse':
      return {
        type: 'reverse',
        reference: movement.reference,
        entryId: movement.entryId,
        metadata: { ...metadata, reason: movement.reason ?? null },
      };
  }
}

const subjectOf = (movement: OperatorMovement) => movement.reference;

export function createOperatorMovements(ledger: LedgerService, approvals: Approvals) {
  approvals.register('ledger.operator_movement', {
    approverRoles: MOVEMENT_APPROVER_ROLES,
    operatorsMayApprove: true,
    async apply(tx, request, approver) {
      const movement = request.payload as OperatorMovement;
      const metadata: Metadata = {
        initiator: 'operator',
        requestedBy: request.requested_by,
        approvedBy: `${approver.kind}:${approver.id}`,
        approvalId: request.id,
      };
      const [outcome] = await ledger.execute(tx, [commandOf(movement, metadata)]);
      if (!outcome.ok) return outcome;
      const value = outcome.value;
      return ok({
        type: value.type,
        entryId: 'entry' in value ? value.entry.id : null,
        holdId: 'hold' in value ? value.hold.id : null,
        replayed: value.replayed,
      });
    },
  });

  return {
    /** The maker's side: records the movement; nothing moves until a second person approves. */
    request(movement: OperatorMovement, maker: Party): Promise<Result<ApprovalRow, ApprovalError>> {
      const reason =
        movement.type === 'reverse' && movement.reason ? movement.reason : `${movement.type} ${movement.reference}`;
      const payload = movement as unknown as Record<string, unknown>;
      return approvals.request(
        {
          kind: 'ledger.operator_movement',
          subjectType: 'ledger_reference',
          subjectId: subjectOf(movement),
          payload,
          reason,
        },
        maker,
      );
    },
  };
}

export type OperatorMovements = ReturnType<typeof createOperatorMovements>;
