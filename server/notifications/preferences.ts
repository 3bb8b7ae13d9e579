/**
 * Notification preferences: for each category of notice, which channels carry it. The category of
 * a notice follows from its kind's first word (`transfer.received` is a transfer notice). Security
 * notices cannot be turned off; a kind this table does not know is treated as one, so a notice
 * nobody categorised is never silently dropped.
 */

export const NOTIFICATION_CATEGORIES = [
  'security',
  'payments',
  'transfers',
  'bills',
  'savings',
  'credit',
  'support',
  'announcements',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export interface ChannelChoice {
  inApp: boolean;
  sms: boolean;
  /** Applies only while the holder has a verified e-mail address. */
  email: boolean;
}

/** Categories the holder cannot change. */
export const LOCKED_CATEGORIES: ReadonlySet<NotificationCategory> = new Set(['security']);

/**
 * Categories texted before the holder chooses: bills and credit reminders (due dates, overdue) were
 * always texted by their senders, and stay so until the holder turns SMS off.
 */
const TEXTED_BY_DEFAULT: ReadonlySet<NotificationCategory> = new Set(['bills', 'credit']);

/** Before the holder chooses: everything in the app; security notices also by SMS and e-mail. */
export function defaultChoice(category: NotificationCategory): ChannelChoice {
  if (LOCKED_CATEGORIES.has(category)) return { inApp: true, sms: true, email: true };
  return { inApp: true, sms: TEXTED_BY_DEFAULT.has(category), email: false };
}

const BY_PREFIX: Record<string, NotificationCategory> = {
  security: 'security',
  account: 'security',
  kyc: 'security',
  risk: 'security',
  payment: 'payments',
  wallet: 'payments',
  budget: 'payments',
  transfer: 'transfers',
  bills: 'bills',
  bill: 'bills',
  savings: 'savings',
  credit: 'credit',
  support: 'support',
  announcement: 'announcements',
  maintenance: 'announcements',
  marketing: 'announcements',
};

/** Kinds under another domain's word that are about the account's safety: a held payment to confirm, a card linked. */
const SECURITY_KINDS: ReadonlySet<string> = new Set([
  'payment.confirmation_required',
  'wallet.card_linked',
  'wallet.card_unlinked',
]);

export function categoryOf(kind: string): NotificationCategory {
  if (SECURITY_KINDS.has(kind)) return 'security';
  const prefix = /^[a-z]+/.exec(kind)?.[0] ?? '';
  return BY_PREFIX[prefix] ?? 'security';
}
