import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import type { SmsGateway } from './sms.js';

export interface NotificationInput {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  data?: Record<string, unknown>;
  /** Also send the Chinese text by SMS to this phone. */
  smsTo?: string;
}

export interface NotificationView {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  data: Record<string, unknown>;
  createdAt: Date;
  read: boolean;
}

const MAX_PAGE = 50;

/** In-app notifications (a list per user, read or unread) and their SMS copies. */
export function createNotificationService(deps: { db: Db; clock: Clock; sms: SmsGateway; logger?: Logger }) {
  const { db, clock, sms } = deps;
  return {
    async notify(userId: string, notification: NotificationInput): Promise<void> {
      const now = clock.now();
      await db.query(
        `INSERT INTO notifications (id, user_id, kind, title_zh, title_en, body_zh, body_en, data, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          newId('ntf', now.getTime()),
          userId,
          notification.kind,
          notification.titleZh,
          notification.titleEn,
          notification.bodyZh,
          notification.bodyEn,
          notification.data ?? {},
          now,
        ],
      );
      if (notification.smsTo) {
        try {
          await sms.send({
            phone: notification.smsTo,
            text: `【通宝】${notification.bodyZh}`,
            purpose: notification.kind,
          });
        } catch (error) {
          // A notification that could not go out by SMS is still in the app; the failure is logged.
          deps.logger?.warn({ err: error, kind: notification.kind }, 'security SMS not delivered');
        }
      }
    },

    /** Texts a phone that has no in-app inbox (a merchant applicant); a failed delivery is logged, not thrown. */
    async text(phone: string, bodyZh: string, purpose: string): Promise<void> {
      try {
        await sms.send({ phone, text: `【通宝】${bodyZh}`, purpose });
      } catch (error) {
        deps.logger?.warn({ err: error, kind: purpose }, 'SMS not delivered');
      }
    },

    async list(
      userId: string,
      page: { before?: string; limit?: number } = {},
    ): Promise<{ items: NotificationView[]; unread: number; nextBefore: string | null }> {
      const limit = Math.min(Math.max(page.limit ?? 20, 1), MAX_PAGE);
      const { rows } = await db.query<{
        id: string;
        kind: string;
        title_zh: string;
        title_en: string;
        body_zh: string;
        body_en: string;
        data: Record<string, unknown>;
        created_at: Date;
        read_at: Date | null;
      }>(
        `SELECT id, kind, title_zh, title_en, body_zh, body_en, data, created_at, read_at FROM notifications
         WHERE user_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [userId, page.before ?? null, limit],
      );
      const unread = await db.query<{ n: bigint }>(
        'SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [userId],
      );
      return {
        items: rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          titleZh: row.title_zh,
          titleEn: row.title_en,
          bodyZh: row.body_zh,
          bodyEn: row.body_en,
          data: row.data,
          createdAt: row.created_at,
          read: row.read_at !== null,
        })),
        unread: Number(unread.rows[0].n),
        nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
      };
    },

    /** Marks the user's own notifications read; ids of other users' notifications are ignored. */
    async markRead(userId: string, ids: readonly string[] | 'all'): Promise<number> {
      const { rowCount } = await db.query(
        `UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL AND ($2::text[] IS NULL OR id = ANY($2::text[]))`,
        [userId, ids === 'all' ? null : [...ids], clock.now()],
      );
      return rowCount;
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
