import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { EmailGateway } from './email.js';
import {
  type ChannelChoice,
  LOCKED_CATEGORIES,
  NOTIFICATION_CATEGORIES,
  type NotificationCategory,
  categoryOf,
  defaultChoice,
} from './preferences.js';
import type { SmsGateway } from './sms.js';
import * as store from './store.js';

export interface NotificationInput {
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  data?: Record<string, unknown>;
  /** Also send the Chinese text by SMS to this phone (else to the holder's phone, when their choice says SMS). */
  smsTo?: string;
}

/** Where a holder can be reached outside the app; identity answers it (set after identity is built). */
export interface NotificationContacts {
  of(userId: string): Promise<{ phone: string | null; verifiedEmail: string | null }>;
}

export interface PreferenceView extends ChannelChoice {
  category: NotificationCategory;
  locked: boolean;
}

export type PreferenceError = { code: 'NOTIFICATION_PREFERENCE_LOCKED'; category: NotificationCategory };

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

/**
 * In-app notifications (a list per user, read or unread) and their SMS and e-mail copies, each sent
 * only on the channels the holder chose for the notice's category (security notices always go).
 */
export function createNotificationService(deps: {
  db: Db;
  clock: Clock;
  sms: SmsGateway;
  email?: EmailGateway;
  /** Reached lazily: identity, which answers it, is built after this service. */
  contacts?: () => NotificationContacts | undefined;
  logger?: Logger;
}) {
  const { db, clock, sms } = deps;

  /**
   * E-mails a notice (both languages) to an address; a failed delivery is logged, not thrown: the
   * notice is still in the app. Also used to tell an address it is no longer the holder's.
   */
  async function mail(
    to: string,
    notification: Pick<NotificationInput, 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn'>,
    purpose: string,
  ) {
    if (!deps.email) return;
    try {
      await deps.email.send({
        to,
        subject: `【通宝】${notification.titleZh} / ${notification.titleEn}`,
        text: `${notification.bodyZh}\n\n${notification.bodyEn}\n\n——通宝钱包 Tongbao Wallet`,
        purpose,
      });
    } catch (error) {
      deps.logger?.warn({ err: error, kind: purpose }, 'e-mail not delivered');
    }
  }

  /** Texts a phone that has no in-app inbox (a merchant applicant); a failed delivery is logged, not thrown. */
  async function text(phone: string, bodyZh: string, purpose: string): Promise<void> {
    // A notification that could not go out by SMS is still in the app; the failure is logged.
    try {
      await sms.send({ phone, text: `【通宝】${bodyZh}`, purpose });
    } catch (error) {
      deps.logger?.warn({ err: error, kind: purpose }, 'SMS not delivered');
    }
  }

  async function preferences(userId: string): Promise<PreferenceView[]> {
    const rows = new Map((await store.listPreferences(db, userId)).map((row) => [row.category, row]));
    return NOTIFICATION_CATEGORIES.map((category) => {
      const locked = LOCKED_CATEGORIES.has(category);
      const row = locked ? undefined : rows.get(category);
      const choice = row ? { inApp: row.in_app, sms: row.sms, email: row.email } : defaultChoice(category);
      return { category, locked, ...choice };
    });
  }

  /**
   * Stores the in-app notices (one statement reads every holder's choice and stores the notices it
   * keeps), then sends the SMS and e-mail copies the choices ask for.
   */
  async function notifyEach(items: readonly { userId: string; notification: NotificationInput }[]): Promise<void> {
    const now = clock.now();
    const categories = items.map(({ notification }) => categoryOf(notification.kind));
    const saved = await store.storeNotices(
      db,
      items.map(({ userId, notification }, i) => ({
        id: newId('ntf', now.getTime()),
        user_id: userId,
        kind: notification.kind,
        title_zh: notification.titleZh,
        title_en: notification.titleEn,
        body_zh: notification.bodyZh,
        body_en: notification.bodyEn,
        data: notification.data ?? {},
        created_at: now,
        category: categories[i],
        locked: LOCKED_CATEGORIES.has(categories[i]),
        inAppByDefault: defaultChoice(categories[i]).inApp,
      })),
    );
    await Promise.all(
      items.map(async ({ userId, notification }, i) => {
        const category = categories[i];
        const locked = LOCKED_CATEGORIES.has(category);
        const row = saved[i];
        const choice: ChannelChoice = row
          ? { inApp: row.in_app, sms: row.sms, email: row.email }
          : defaultChoice(category);
        // Security notices text the phone their sender names (as before); others the holder's phone when chosen.
        const wantsContacts = (!locked && choice.sms && !notification.smsTo) || (choice.email && deps.email);
        const contacts = wantsContacts ? await deps.contacts?.()?.of(userId) : undefined;
        const smsTo = locked ? notification.smsTo : choice.sms ? (notification.smsTo ?? contacts?.phone) : undefined;
        const emailTo = choice.email ? contacts?.verifiedEmail : null;
        if (smsTo) await text(smsTo, notification.bodyZh, notification.kind);
        if (emailTo) await mail(emailTo, notification, notification.kind);
      }),
    );
  }

  return {
    /** Stores an in-app notice and sends its SMS and e-mail copies, each as the holder chose. */
    async notify(userId: string, notification: NotificationInput): Promise<void> {
      await notifyEach([{ userId, notification }]);
    },

    /** `notify` for several holders at once (both parties of a payment): one round trip to store them. */
    notifyEach,

    /** The holder's choices, every category, security shown locked. */
    preferences,

    /** Whether notices can reach this holder by e-mail (they have a verified address). */
    async emailAvailable(userId: string): Promise<boolean> {
      if (!deps.email) return false;
      return Boolean((await deps.contacts?.()?.of(userId))?.verifiedEmail);
    },

    /**
     * Saves the holder's choices for the categories given. Turning any channel of a locked category
     * off is refused, and nothing is saved then.
     */
    async setPreferences(
      userId: string,
      items: readonly ({ category: NotificationCategory } & Partial<ChannelChoice>)[],
    ): Promise<Result<PreferenceView[], PreferenceError>> {
      const current = new Map((await preferences(userId)).map((view) => [view.category, view]));
      for (const item of items) {
        if (
          LOCKED_CATEGORIES.has(item.category) &&
          (item.inApp === false || item.sms === false || item.email === false)
        )
          return err({ code: 'NOTIFICATION_PREFERENCE_LOCKED', category: item.category });
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        for (const item of items) {
          if (LOCKED_CATEGORIES.has(item.category)) continue;
          const was = current.get(item.category) as PreferenceView;
          await store.upsertPreference(
            tx,
            userId,
            {
              category: item.category,
              in_app: item.inApp ?? was.inApp,
              sms: item.sms ?? was.sms,
              email: item.email ?? was.email,
            },
            now,
          );
        }
      });
      return ok(await preferences(userId));
    },

    text,
    mail,

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
