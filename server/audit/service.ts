import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type AuditRow, findAuditRows, insertAuditRow } from './store.js';

/**
 * The append-only audit log of security events and of every staff action. The database refuses
 * UPDATE and DELETE on it. Callers pass masked values in `details`, never raw personal data.
 */
export interface AuditEvent {
  actorKind: 'user' | 'staff' | 'system' | 'operator';
  actorId: string;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
  ip?: string;
  requestId?: string;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  id: string;
  createdAt: Date;
}

export function createAuditLog(deps: { clock: Clock; db: Queryable }) {
  /**
   * The console's audit search: `search` plus the actor's kind, the subject's type, an action
   * prefix (`user.` finds every user event) and a time range [from, to).
   */
  async function find(filter: AuditFilter): Promise<AuditEntry[]> {
    const rows = await findAuditRows(deps.db, {
      actorId: filter.actorId ?? null,
      subjectId: filter.subjectId ?? null,
      action: filter.action ?? null,
      actionPrefix: filter.actionPrefix ?? null,
      actorKind: filter.actorKind ?? null,
      subjectType: filter.subjectType ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      beforeSeq: filter.beforeSeq ?? null,
      limit: Math.min(Math.max(filter.limit ?? 50, 1), 200),
    });
    return rows.map(entryFromRow);
  }

  return {
    /** `q` may be the caller's transaction, so the record commits with the action it describes. */
    async record(q: Queryable, event: AuditEvent): Promise<void> {
      const now = deps.clock.now();
      await insertAuditRow(q, {
        id: newId('aud', now.getTime()),
        actor_kind: event.actorKind,
        actor_id: event.actorId,
        action: event.action,
        subject_type: event.subjectType ?? null,
        subject_id: event.subjectId ?? null,
        details: event.details ?? {},
        ip: event.ip ?? null,
        request_id: event.requestId ?? null,
        created_at: now,
      });
    },

    async search(filter: {
      actorId?: string;
      subjectId?: string;
      action?: string;
      beforeSeq?: number;
      limit?: number;
    }): Promise<AuditEntry[]> {
      return find(filter);
    },

    find,
  };
}

export interface AuditFilter {
  actorId?: string;
  actorKind?: AuditEvent['actorKind'];
  subjectId?: string;
  subjectType?: string;
  action?: string;
  actionPrefix?: string;
  from?: Date;
  to?: Date;
  beforeSeq?: number;
  limit?: number;
}

function entryFromRow(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    id: row.id,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    subjectType: row.subject_type ?? undefined,
    subjectId: row.subject_id ?? undefined,
    details: row.details,
    ip: row.ip ?? undefined,
    requestId: row.request_id ?? undefined,
    createdAt: row.created_at,
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
