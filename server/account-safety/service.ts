import type { Holder } from '../identity/holders.js';
import { newId } from '../platform/ids.js';
import { maskIdNumber } from '../platform/mask.js';
import { type Result, err, ok } from '../platform/result.js';
import type { AccountSafetyDeps, Actor, RequestInfo } from './deps.js';
import * as store from './store.js';

/**
 * Freezing and unfreezing a wallet, reporting theft, and the security cases staff work through.
 * A freeze stops the wallet account in the ledger and marks the holder in the same transaction.
 */

export type AccountSafetyError =
  { code: 'SMS_CODE_INVALID' } | { code: 'IDENTITY_MISMATCH' } | { code: 'ALREADY_FROZEN' } | { code: 'NOT_FROZEN' };

/** A security case (a theft report) with what was attached when it was opened. */
export interface SecurityCase {
  id: string;
  userId: string;
  kind: string;
  status: string;
  details: Record<string, unknown>;
  createdAt: Date;
}

const CASE_HISTORY_DAYS = 30;

const caseFromRow = (row: store.SecurityCaseRow): SecurityCase => ({
  id: row.id,
  userId: row.user_id,
  kind: row.kind,
  status: row.status,
  details: row.details,
  createdAt: row.created_at,
});

/** The notice a frozen holder gets: from the holder themselves, or from staff or the risk engine. */
const FROZEN_BY_HOLDER = {
  bodyZh: '您的钱包已冻结，所有付款、转账和提现将被拒绝。解冻需验证短信、登录密码和身份证号。',
  bodyEn:
    'Your wallet is frozen: every payment, transfer and withdrawal is refused. Unfreezing needs an SMS code, your ' +
    'password and your ID number.',
};
const FROZEN_FOR_HOLDER = {
  bodyZh:
    '为保障资金安全，您的钱包已冻结，所有付款、转账和提现将被拒绝。解冻需验证短信、登录密码和身份证号，或联系客服。',
  bodyEn:
    'To keep your money safe your wallet is frozen: every payment, transfer and withdrawal is refused. Unfreeze with ' +
    'an SMS code, your password and your ID number, or contact us.',
};

async function loadHolder(deps: AccountSafetyDeps, userId: string): Promise<Holder> {
  const holder = await deps.holders.get(deps.db, userId);
  if (!holder) throw new Error(`user ${userId} vanished`);
  return holder;
}

/**
 * Freezes a holder's wallet in one transaction (ledger account, holder, audit), then tells them.
 * With `lock`, the holder's row is read locked first and an already frozen or unknown holder is
 * left alone (answers false).
 */
async function freezeWallet(
  deps: AccountSafetyDeps,
  userId: string,
  reason: string,
  actor: Actor,
  request: RequestInfo | undefined,
  notice: { bodyZh: string; bodyEn: string },
): Promise<boolean> {
  const now = deps.clock.now();
  const holder = await deps.db.transaction(async (tx) => {
    const locked = await deps.holders.get(tx, userId, true);
    if (!locked || locked.frozen) return null;
    const frozen = await deps.ledger.setFrozen(tx, locked.walletAccountId, true);
    if (!frozen.ok) throw new Error(`wallet ${locked.walletAccountId} missing`);
    await deps.holders.setFrozen(tx, userId, { reason, at: now });
    await deps.audit.record(tx, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'user.frozen',
      subjectType: 'user',
      subjectId: userId,
      details: { reason },
      ip: request?.ip,
      requestId: request?.requestId,
    });
    return locked;
  });
  if (!holder) return false;
  await deps.notifications.notify(userId, {
    kind: 'security.frozen',
    titleZh: '账户已冻结',
    titleEn: 'Wallet frozen',
    ...notice,
    smsTo: holder.phone,
  });
  return true;
}

/** Freezes at once: a signed-in session (or an SMS code, see freezeBySms) is enough. */
export async function freeze(
  deps: AccountSafetyDeps,
  userId: string,
  request: RequestInfo,
): Promise<Result<true, AccountSafetyError>> {
  const frozen = await freezeWallet(deps, userId, 'self', { kind: 'user', id: userId }, request, FROZEN_BY_HOLDER);
  return frozen ? ok(true) : err({ code: 'ALREADY_FROZEN' });
}

export async function freezeBySms(
  deps: AccountSafetyDeps,
  input: { phone: string; smsCode: string },
  request: RequestInfo,
): Promise<Result<true, AccountSafetyError>> {
  if (!(await deps.holders.smsCodeMatches(input.phone, 'freeze', input.smsCode)))
    return err({ code: 'SMS_CODE_INVALID' });
  const holder = await deps.holders.byPhone(input.phone);
  if (!holder) return err({ code: 'SMS_CODE_INVALID' });
  const frozen = await freezeWallet(
    deps,
    holder.id,
    'self_sms',
    { kind: 'user', id: holder.id },
    request,
    FROZEN_BY_HOLDER,
  );
  return frozen ? ok(true) : err({ code: 'ALREADY_FROZEN' });
}

/** Freezes a wallet for the risk engine or staff, with the reason; false when already frozen or unknown. */
export function freezeFor(
  deps: AccountSafetyDeps,
  userId: string,
  reason: string,
  actor: Actor,
  request?: RequestInfo,
): Promise<boolean> {
  return freezeWallet(deps, userId, reason, actor, request, FROZEN_FOR_HOLDER);
}

/** Unfreezing needs the strongest proof: SMS code, password and ID number together. */
export async function unfreeze(
  deps: AccountSafetyDeps,
  userId: string,
  input: { smsCode: string; password: string; idNumber: string },
  request: RequestInfo,
): Promise<Result<true, AccountSafetyError>> {
  const holder = await loadHolder(deps, userId);
  if (!holder.frozen) return err({ code: 'NOT_FROZEN' });
  if (!(await deps.holders.smsCodeMatches(holder.phone, 'unfreeze', input.smsCode)))
    return err({ code: 'SMS_CODE_INVALID' });
  if (
    !(await deps.holders.passwordMatches(userId, input.password)) ||
    !(await deps.holders.idNumberMatches(userId, input.idNumber))
  )
    return err({ code: 'IDENTITY_MISMATCH' });
  return lift(deps, userId, { kind: 'user', id: userId }, 'self', request);
}

/** Lifts a freeze: the holder after full verification, or staff with a reason. */
export async function lift(
  deps: AccountSafetyDeps,
  userId: string,
  actor: { kind: 'user' | 'staff'; id: string },
  reason: string,
  request?: RequestInfo,
): Promise<Result<true, AccountSafetyError>> {
  const holder = await loadHolder(deps, userId);
  if (!holder.frozen) return err({ code: 'NOT_FROZEN' });
  await deps.db.transaction(async (tx) => {
    await deps.ledger.setFrozen(tx, holder.walletAccountId, false);
    await deps.holders.setFrozen(tx, userId, null);
    await deps.audit.record(tx, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'user.unfrozen',
      subjectType: 'user',
      subjectId: userId,
      details: { reason },
      ip: request?.ip,
      requestId: request?.requestId,
    });
  });
  await deps.notifications.notify(userId, {
    kind: 'security.unfrozen',
    titleZh: '账户已解冻',
    titleEn: 'Wallet unfrozen',
    bodyZh: '您的钱包已解冻，可正常使用。',
    bodyEn: 'Your wallet is unfrozen and works normally again.',
    smsTo: holder.phone,
  });
  return ok(true);
}

/** Voids every pending hold debiting the wallet; how many were voided. */
async function voidPendingHolds(deps: AccountSafetyDeps, walletAccountId: string): Promise<number> {
  let voided = 0;
  for (const holdId of await deps.ledger.pendingHoldsDebiting(walletAccountId)) {
    const done = await deps.ledger.voidHold({ holdId, reference: `theft:${holdId}` });
    if (done.ok) voided++;
  }
  return voided;
}

/** The wallet's movements of the last 30 days (at most 100), for a theft case. */
async function recentMovements(deps: AccountSafetyDeps, walletAccountId: string, now: Date) {
  const since = new Date(now.getTime() - CASE_HISTORY_DAYS * 24 * 3600_000);
  const entries = (await deps.ledger.listEntries(walletAccountId, { limit: 100 })).filter(
    (entry) => entry.createdAt >= since,
  );
  return entries.map((entry) => ({
    entryId: entry.id,
    reference: entry.reference,
    at: entry.createdAt.toISOString(),
    amountFen: (entry.postings.find((posting) => posting.accountId === walletAccountId)?.amountFen ?? 0n).toString(),
  }));
}

/**
 * Reports the phone or account stolen: freezes, ends every session, removes every passkey,
 * voids pending holds, and opens a case with the last 30 days of movements for staff.
 */
export async function reportTheft(
  deps: AccountSafetyDeps,
  userId: string,
  request: RequestInfo & { ip: string },
): Promise<{ caseId: string; voidedHolds: number }> {
  const holder = await loadHolder(deps, userId);
  if (!holder.frozen)
    await freezeWallet(deps, userId, 'theft', { kind: 'user', id: userId }, request, FROZEN_BY_HOLDER);
  const now = deps.clock.now();
  // Sessions and payment-code seeds end together: no device keeps paying after the report.
  const revokedDeviceCredentials = await deps.db.transaction((tx) => deps.holders.endAllAccess(tx, userId, 'theft'));
  const removedPasskeys = await deps.holders.removePasskeys(userId);
  const voidedHolds = await voidPendingHolds(deps, holder.walletAccountId);
  const caseId = newId('case', now.getTime());
  await store.insertCase(deps.db, {
    id: caseId,
    userId,
    kind: 'theft',
    createdAt: now,
    details: {
      reportedVia: request.ip,
      idNumber: maskIdNumber(holder.idNumber),
      voidedHolds,
      movements: await recentMovements(deps, holder.walletAccountId, now),
    },
  });
  await deps.audit.record(deps.db, {
    actorKind: 'user',
    actorId: userId,
    action: 'user.theft_reported',
    subjectType: 'case',
    subjectId: caseId,
    details: { voidedHolds, removedPasskeys, revokedDeviceCredentials },
    ip: request.ip,
    requestId: request.requestId,
  });
  return { caseId, voidedHolds };
}

export async function reportTheftBySms(
  deps: AccountSafetyDeps,
  input: { phone: string; smsCode: string; idNumber: string },
  request: RequestInfo & { ip: string },
): Promise<Result<{ caseId: string; voidedHolds: number }, AccountSafetyError>> {
  if (!(await deps.holders.smsCodeMatches(input.phone, 'report_theft', input.smsCode)))
    return err({ code: 'SMS_CODE_INVALID' });
  const holder = await deps.holders.byPhone(input.phone);
  if (!holder || !(await deps.holders.idNumberMatches(holder.id, input.idNumber)))
    return err({ code: 'IDENTITY_MISMATCH' });
  return ok(await reportTheft(deps, holder.id, request));
}

/** Security cases (theft reports) for staff, newest first; `before` is the last id of the previous page. */
export async function listCases(
  deps: AccountSafetyDeps,
  filter: { userId?: string; status?: string; kind?: string; before?: string; limit: number },
): Promise<SecurityCase[]> {
  const rows = await store.listCases(deps.db, { ...filter, limit: Math.min(Math.max(filter.limit, 1), 100) });
  return rows.map(caseFromRow);
}

export async function getCase(deps: AccountSafetyDeps, caseId: string): Promise<SecurityCase | null> {
  const row = await store.findCase(deps.db, caseId);
  return row ? caseFromRow(row) : null;
}

/** Closes an open case with staff's note (audited in the same transaction); null when missing, false when already
 * closed. */
export async function closeCase(
  deps: AccountSafetyDeps,
  caseId: string,
  staffId: string,
  note: string,
  request?: RequestInfo,
): Promise<boolean | null> {
  return deps.db.transaction(async (tx) => {
    const found = await store.findCase(tx, caseId, true);
    if (!found) return null;
    if (found.status !== 'open') return false;
    await store.closeCase(tx, caseId);
    await deps.audit.record(tx, {
      actorKind: 'staff',
      actorId: staffId,
      action: 'case.closed',
      subjectType: 'case',
      subjectId: caseId,
      details: { note },
      ip: request?.ip,
      requestId: request?.requestId,
    });
    return true;
  });
}

/** The service other domains and the routes call, its functions bound to their dependencies. */
export function createAccountSafety(deps: AccountSafetyDeps) {
  const bind =
    <A extends unknown[], R>(fn: (deps: AccountSafetyDeps, ...rest: A) => R) =>
    (...rest: A): R =>
      fn(deps, ...rest);
  return {
    freeze: bind(freeze),
    freezeBySms: bind(freezeBySms),
    freezeFor: bind(freezeFor),
    unfreeze: bind(unfreeze),
    lift: bind(lift),
    reportTheft: bind(reportTheft),
    reportTheftBySms: bind(reportTheftBySms),
    listCases: bind(listCases),
    getCase: bind(getCase),
    closeCase: bind(closeCase),
  };
}

export type AccountSafety = ReturnType<typeof createAccountSafety>;
