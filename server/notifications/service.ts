import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import type { SmsGateway } from './sms.js';
import * as store from './store.js';

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
      await store.insertNotification(db, {
        id: newId('ntf', now.getTime()),
        user_id: userId,
        kind: notification.kind,
        title_zh: notification.titleZh,
        title_en: notification.titleEn,
        body_zh: notification.bodyZh,
        body_en: notification.bodyEn,
        data: notification.data ?? {},
        created_at: now,
      });
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
      const rows = await store.listNotifications(db, userId, page.before ?? null, limit);
      const unread = await store.countUnread(db, userId);
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
        unread,
        nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
      };
    },

    /** Marks the user's own notifications read; ids of other users' notifications are ignored. */
    async markRead(userId: string, ids: readonly string[] | 'all'): Promise<number> {
      return store.markRead(db, userId, ids === 'all' ? null : ids, clock.now());
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
