import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';

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
  return {
    /** `q` may be the caller's transaction, so the record commits with the action it describes. */
    async record(q: Queryable, event: AuditEvent): Promise<void> {
      const now = deps.clock.now();
      await q.query(
        `INSERT INTO audit_log (id, actor_kind, actor_id, action, subject_type, subject_id, details, ip, request_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          newId('aud', now.getTime()),
          event.actorKind,
          event.actorId,
          event.action,
          event.subjectType ?? null,
          event.subjectId ?? null,
          event.details ?? {},
          event.ip ?? null,
          event.requestId ?? null,
          now,
        ],
      );
    },

    async search(filter: {
      actorId?: string;
      subjectId?: string;
      action?: string;
      beforeSeq?: number;
      limit?: number;
    }): Promise<AuditEntry[]> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
      const { rows } = await deps.db.query<{
        seq: bigint;
        id: string;
        actor_kind: AuditEvent['actorKind'];
        actor_id: string;
        action: string;
        subject_type: string | null;
        subject_id: string | null;
        details: Record<string, unknown>;
        ip: string | null;
        request_id: string | null;
        created_at: Date;
      }>(
        `SELECT * FROM audit_log WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR subject_id = $2)
           AND ($3::text IS NULL OR action = $3) AND ($4::bigint IS NULL OR seq < $4) ORDER BY seq DESC LIMIT $5`,
        [filter.actorId ?? null, filter.subjectId ?? null, filter.action ?? null, filter.beforeSeq ?? null, limit],
      );
      return rows.map((row) => ({
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
      }));
    },

    /**
     * The console's audit search: `search` plus the actor's kind, the subject's type, an action
     * prefix (`user.` finds every user event) and a time range [from, to).
     */
    async find(filter: AuditFilter): Promise<AuditEntry[]> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
      const { rows } = await deps.db.query<AuditRow>(
        `SELECT * FROM audit_log WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR subject_id = $2)
           AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR starts_with(action, $4)) AND ($5::text IS NULL OR actor_kind = $5)
           AND ($6::text IS NULL OR subject_type = $6) AND ($7::timestamptz IS NULL OR created_at >= $7) AND ($8::timestamptz IS NULL OR created_at < $8)
           AND ($9::bigint IS NULL OR seq < $9) ORDER BY seq DESC LIMIT $10`,
        [
          filter.actorId ?? null,
          filter.subjectId ?? null,
          filter.action ?? null,
          filter.actionPrefix ?? null,
          filter.actorKind ?? null,
          filter.subjectType ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.beforeSeq ?? null,
          limit,
        ],
      );
      return rows.map(entryFromRow);
    },
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

interface AuditRow {
  seq: bigint;
  id: string;
  actor_kind: AuditEvent['actorKind'];
  actor_id: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
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
