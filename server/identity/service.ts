import type { AuditLog } from '../audit/service.js';
import type { LedgerService } from '../ledger/service.js';
import type { NotificationService } from '../notifications/service.js';
import type { EmailGateway } from '../notifications/email.js';
import type { NotificationContacts } from '../notifications/service.js';
import type { SmsGateway } from '../notifications/sms.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db, Queryable, Tx } from '../platform/db/types.js';
import type { PinKeyRing } from '../platform/pin-keys.js';
import { createThrottle } from '../platform/throttle.js';
import { maskIdNumber, maskName, maskPhone } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import { createConfirmations } from '../confirmations/service.js';
import type { IdentityContext } from './deps.js';
import { createDeviceCredentials } from './device-credentials.js';
import { createRecoveryEmail } from './email.js';
import { createHolders } from './holders.js';
import { createLogin, deviceHash } from './login.js';
import { normalizeMobile } from './phone.js';
import { type WebAuthnSettings, createPasskeys, webAuthnSettingsFrom } from './passkeys.js';
import { createPasswords } from './passwords.js';
import { createPin } from './pin.js';
import { createPinHasher } from './pin-hash.js';
import { createRegistration } from './registration.js';
import { type SessionSettings, createSessions } from './sessions.js';
import { createSmsCodes } from './sms-codes.js';
import { createStaff, staffRoles } from './staff.js';
import * as store from './store.js';
import { createTotp } from './totp.js';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  cipher: PiiCipher;
  ledger: LedgerService;
  notifications: NotificationService;
  audit: AuditLog;
  sms: SmsGateway;
  /** Sends the recovery e-mail's codes. */
  email: EmailGateway;
  sessionSettings: SessionSettings;
  /** Relying party for passkeys; from the public URL (default http://localhost). */
  webAuthn?: WebAuthnSettings;
  /** Remind holders whose password is older than this many days (default 180). */
  passwordReminderDays?: number;
  /** Keys for payment PIN checks (HMAC-SHA256); see platform/pin-keys.ts. */
  pinKeys: PinKeyRing;
}

/** Another holder as a payer or payee sees them: masked. */
export interface PartyView {
  userId: string;
  walletAccountId: string;
  name: string;
  phone: string;
  frozen: boolean;
}

export interface Profile {
  id: string;
  phone: string;
  name: string;
  idNumber: string;
  tier: string;
  walletAccountId: string;
  frozen: boolean;
  pinSet: boolean;
  totpEnabled: boolean;
  createdAt: Date;
}

/** What the holder-facing functions below work with: identity's context, the SMS gateway and the reminder period. */
export type ServiceDeps = IdentityContext & Pick<IdentityDeps, 'sms' | 'passwordReminderDays'>;

/** The holder's profile, masked for display. */
export async function profile(deps: ServiceDeps, userId: string): Promise<Profile | null> {
  const user = await store.findUserById(deps.db, userId);
  if (!user) return null;
  return {
    id: user.id,
    phone: maskPhone(deps.cipher.decrypt(user.phone_enc)),
    name: maskName(deps.cipher.decrypt(user.name_enc)),
    idNumber: maskIdNumber(deps.cipher.decrypt(user.id_number_enc)),
    tier: user.tier,
    walletAccountId: user.wallet_account_id,
    frozen: user.frozen,
    pinSet: user.pin_hash !== null,
    totpEnabled: user.totp_enabled,
    createdAt: user.created_at,
  };
}

/**
 * A wallet holder as other holders may see them (masked name and phone, wallet account), found
 * by user id, mobile number or wallet account id; null when there is none. For payee lookups.
 */
export async function findParty(
  deps: ServiceDeps,
  by: { userId: string } | { phone: string } | { walletAccountId: string },
): Promise<PartyView | null> {
  let user: store.UserRow | null = null;
  if ('userId' in by) user = await store.findUserById(deps.db, by.userId);
  else if ('phone' in by) {
    const phone = normalizeMobile(by.phone);
    user = phone ? await store.findUserByPhoneHash(deps.db, deps.cipher.lookupHash(phone)) : null;
  } else {
    // The wallet account names its holder; users has no index on the wallet id.
    const account = await deps.ledger.getAccount(by.walletAccountId);
    if (account?.kind === 'customer_wallet' && account.ownerRef)
      user = await store.findUserById(deps.db, account.ownerRef);
    if (user && user.wallet_account_id !== by.walletAccountId) user = null;
  }
  if (!user) return null;
  return {
    userId: user.id,
    walletAccountId: user.wallet_account_id,
    name: maskName(deps.cipher.decrypt(user.name_enc)),
    phone: maskPhone(deps.cipher.decrypt(user.phone_enc)),
    frozen: user.frozen,
  };
}

function partyView(deps: ServiceDeps, user: store.UserRow): PartyView {
  return {
    userId: user.id,
    walletAccountId: user.wallet_account_id,
    name: maskName(deps.cipher.decrypt(user.name_enc)),
    phone: maskPhone(deps.cipher.decrypt(user.phone_enc)),
    frozen: user.frozen,
  };
}

/**
 * A payment's two parties in one database round trip: the payer by user id, the payee as
 * findParty finds them (null when there is none). The payer must exist.
 */
export async function findPaymentParties(
  deps: ServiceDeps,
  payerUserId: string,
  payee: { userId: string } | { phone: string } | { walletAccountId: string },
): Promise<{ payer: PartyView | null; payee: PartyView | null }> {
  let by: Parameters<typeof store.findPaymentParties>[2];
  if ('userId' in payee) by = { id: payee.userId };
  else if ('walletAccountId' in payee) by = { walletAccountId: payee.walletAccountId };
  else {
    const phone = normalizeMobile(payee.phone);
    // An unparseable number finds no payee; the payer is still read.
    by = { phoneHash: phone ? deps.cipher.lookupHash(phone) : '' };
  }
  const rows = await store.findPaymentParties(deps.db, payerUserId, by);
  return {
    payer: rows.payer ? partyView(deps, rows.payer) : null,
    payee: rows.payee ? partyView(deps, rows.payee) : null,
  };
}

/**
 * For the operations console: the holder with this mobile number or resident ID number, by keyed
 * hash; null when none.
 */
export async function findUserIdFor(
  deps: ServiceDeps,
  by: { phone: string } | { idNumber: string },
): Promise<string | null> {
  if ('phone' in by) {
    const phone = normalizeMobile(by.phone);
    return phone ? ((await store.findUserByPhoneHash(deps.db, deps.cipher.lookupHash(phone)))?.id ?? null) : null;
  }
  return store.findUserIdByIdNumberHash(deps.db, deps.cipher.lookupHash(by.idNumber.trim().toUpperCase()));
}

/**
 * A holder as staff see them: masked unless `reveal` (the caller checks the role and audits
 * the viewing), with the freeze reason. Null when there is no such holder.
 */
export async function staffView(
  deps: ServiceDeps,
  userId: string,
  reveal: boolean,
): Promise<(Profile & { frozenReason: string | null; frozenAt: Date | null }) | null> {
  const user = await store.findUserById(deps.db, userId);
  if (!user) return null;
  const phone = deps.cipher.decrypt(user.phone_enc);
  const name = deps.cipher.decrypt(user.name_enc);
  const idNumber = deps.cipher.decrypt(user.id_number_enc);
  return {
    id: user.id,
    phone: reveal ? phone : maskPhone(phone),
    name: reveal ? name : maskName(name),
    idNumber: reveal ? idNumber : maskIdNumber(idNumber),
    tier: user.tier,
    walletAccountId: user.wallet_account_id,
    frozen: user.frozen,
    frozenReason: user.frozen_reason,
    frozenAt: user.frozen_at,
    pinSet: user.pin_hash !== null,
    totpEnabled: user.totp_enabled,
    createdAt: user.created_at,
  };
}

/**
 * The holder's decrypted name, ID number and birth date, for server-side comparison only
 * (real-name verification compares them with the document). Never send these to a client or a log.
 */
export async function verifiedIdentity(
  deps: ServiceDeps,
  userId: string,
): Promise<{
  id: string;
  name: string;
  idNumber: string;
  birthDate: string;
  tier: string;
  walletAccountId: string;
} | null> {
  const user = await store.findUserById(deps.db, userId);
  if (!user) return null;
  return {
    id: user.id,
    name: deps.cipher.decrypt(user.name_enc),
    idNumber: deps.cipher.decrypt(user.id_number_enc),
    birthDate: deps.cipher.decrypt(user.birth_date_enc),
    tier: user.tier,
    walletAccountId: user.wallet_account_id,
  };
}

/**
 * Changes the verification tier inside the caller's transaction, with the holder's row locked;
 * the caller sets the wallet's ledger limits in the same transaction.
 */
export async function setTier(
  deps: ServiceDeps,
  tx: Tx,
  userId: string,
  tier: string,
): Promise<{ previousTier: string; walletAccountId: string } | null> {
  const user = await store.findUserById(tx, userId, true);
  if (!user) return null;
  await store.updateUser(tx, userId, { tier });
  return { previousTier: user.tier, walletAccountId: user.wallet_account_id };
}

/**
 * What the risk engine needs to know about a holder, in one query: the latest credential reset
 * (password recovered or changed after registration, PIN reset) and when this device was first
 * seen (null: never; undefined: no device given). Null when there is no such holder.
 */
export async function riskSignals(
  deps: ServiceDeps,
  userId: string,
  deviceId?: string,
): Promise<{ frozen: boolean; credentialResetAt: Date | null; deviceFirstSeenAt: Date | null | undefined } | null> {
  const device = deviceHash(deps, deviceId);
  const row = await store.findRiskSignals(deps.db, userId, device);
  if (!row) return null;
  const resets = [row.recovered_at, row.password_changed_at, row.pin_reset_at]
    .filter((at): at is Date => at !== null)
    .map((at) => at.getTime());
  return {
    frozen: row.frozen,
    credentialResetAt: resets.length > 0 ? new Date(Math.max(...resets)) : null,
    deviceFirstSeenAt: device ? row.device_first_seen_at : undefined,
  };
}

/** An in-app notification that also goes by SMS to the holder's registered phone. */
export async function notifyHolder(
  deps: ServiceDeps,
  userId: string,
  notification: Omit<Parameters<NotificationService['notify']>[1], 'smsTo'>,
): Promise<void> {
  const user = await store.findUserById(deps.db, userId);
  if (!user) return;
  await deps.notifications.notify(userId, { ...notification, smsTo: deps.cipher.decrypt(user.phone_enc) });
}

/** Texts the holder's registered phone (a one-time code: no in-app copy). */
export async function textHolder(deps: ServiceDeps, userId: string, text: string, purpose: string): Promise<boolean> {
  const user = await store.findUserById(deps.db, userId);
  if (!user) return false;
  await deps.sms.send({ phone: deps.cipher.decrypt(user.phone_enc), text, purpose });
  return true;
}

/** Reminds holders whose password is older than `maxAgeDays`, at most once per period; never forces a change. */
export async function remindOldPasswords(
  deps: ServiceDeps,
  maxAgeDays = deps.passwordReminderDays ?? 180,
  batchSize = 200,
): Promise<number> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - maxAgeDays * 24 * 3600_000);
  const due = await store.usersDueForPasswordReminder(deps.db, cutoff, cutoff, batchSize);
  for (const user of due) {
    await deps.notifications.notify(user.id, {
      kind: 'security.password_reminder',
      titleZh: '建议定期更换登录密码',
      titleEn: 'Time for a new password?',
      bodyZh: `您的登录密码已使用超过${maxAgeDays}天，建议更换为新的密码。`,
      bodyEn: `Your password is more than ${maxAgeDays} days old. Consider changing it.`,
    });
    await store.updateUser(deps.db, user.id, { password_reminded_at: now });
  }
  return due.length;
}

/** Identity's context, built once from the app's dependencies. */
function contextFrom(deps: IdentityDeps): IdentityContext {
  const sessions = createSessions({
    db: deps.db,
    clock: deps.clock,
    settings: deps.sessionSettings,
    staffRoles: (id) => staffRoles(deps.db, id),
  });
  return {
    db: deps.db,
    clock: deps.clock,
    cipher: deps.cipher,
    ledger: deps.ledger,
    notifications: deps.notifications,
    audit: deps.audit,
    smsCodes: createSmsCodes({ db: deps.db, clock: deps.clock, cipher: deps.cipher, sms: deps.sms }),
    sessions,
    deviceCredentials: createDeviceCredentials(),
    throttle: createThrottle({ db: deps.db, clock: deps.clock, cipher: deps.cipher }),
  };
}

/** Everything that decides who may act on a wallet, assembled from its parts. */
export function createIdentity(deps: IdentityDeps) {
  const ctx = contextFrom(deps);
  const own: ServiceDeps = { ...ctx, sms: deps.sms, passwordReminderDays: deps.passwordReminderDays };
  const bind =
    <A extends unknown[], R>(fn: (deps: ServiceDeps, ...rest: A) => R) =>
    (...rest: A): R =>
      fn(own, ...rest);
  const totp = createTotp(ctx);
  const pin = createPin(ctx, createPinHasher(deps.pinKeys));
  const login = createLogin(ctx, totp);
  const confirmations = createConfirmations({ db: deps.db, clock: deps.clock, pin });
  const recoveryEmail = createRecoveryEmail(ctx, deps.email);
  /** Where the notification service reaches a holder outside the app. */
  const contacts: NotificationContacts = {
    async of(userId) {
      const user = await store.findUserById(deps.db, userId);
      return {
        phone: user ? deps.cipher.decrypt(user.phone_enc) : null,
        verifiedEmail: user ? await recoveryEmail.verifiedAddress(userId) : null,
      };
    },
  };
  const passkeys = createPasskeys(ctx, {
    settings: deps.webAuthn ?? webAuthnSettingsFrom('http://localhost'),
    confirmations,
    signIn: login.signInWithPasskey,
  });
  return {
    ctx,
    sessions: ctx.sessions,
    deviceCredentials: ctx.deviceCredentials,
    smsCodes: ctx.smsCodes,
    /** Attempt limits per address and phone, shared with the domains that take public requests. */
    throttle: ctx.throttle,
    totp,
    pin,
    registration: createRegistration(ctx),
    login,
    confirmations,
    passkeys,
    passwords: createPasswords(ctx, () => recoveryEmail),
    /** The verified e-mail address, the second way to recover the password. */
    recoveryEmail,
    contacts,
    /** What account safety may know and change about a holder. */
    holders: createHolders(ctx),
    staff: createStaff(ctx),
    /** Kept for the channels that call it here: `confirmations.consumeMany`. */
    consumeConfirmations: confirmations.consumeMany,
    devices: (userId: string) => store.listDevices(deps.db, userId),
    profile: bind(profile),
    findParty: bind(findParty),
    findPaymentParties: bind(findPaymentParties),
    findUserIdFor: bind(findUserIdFor),
    staffView: bind(staffView),
    verifiedIdentity: bind(verifiedIdentity),
    setTier: bind(setTier),
    riskSignals: bind(riskSignals),
    notifyHolder: bind(notifyHolder),
    textHolder: bind(textHolder),
    remindOldPasswords: bind(remindOldPasswords),
  };
}

export type Identity = ReturnType<typeof createIdentity>;
