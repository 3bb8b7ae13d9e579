import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Services } from '../app.js';
import { withLuhn } from '../bills/catalogue.js';
import type { StaffRole } from '../identity/staff.js';
import { readOutbox } from '../notifications/sms.js';
import { DEMO_CARD_NUMBER, ensureDemoCard } from './cards.js';
import type { Db } from '../platform/db/types.js';
import { createSavingsService } from '../savings/service.js';
import { ensureCredit } from './credit.js';
import { DEMO_SPENDING_MONTHS, ensureSpendingHistory } from './spending.js';
import { ensureSupport } from './support.js';

/**
 * Demo data for `npm start`: wallet holders with balances and history, bank staff, and (once the
 * payments domain is wired) merchants with QR codes. Everything goes through the services, as a
 * real client would; every step is skipped when already done, so restarts change nothing.
 */

export const DEMO_PASSWORD = 'tongbao-demo-2026';
export const DEMO_PIN = '135790';
const DEVICE = 'demo-seed-device';
const CONTEXT = { ip: '127.0.0.1', userAgent: 'tongbao-demo-seed', requestId: 'demo-seed', deviceId: DEVICE };

export const DEMO_USERS = [
  { phone: '13800138000', name: '张伟', idNumber: '110101199003071233', fundFen: 128_800n },
  { phone: '13800138001', name: '李娜', idNumber: '310104198807150027', fundFen: 86_050n },
  { phone: '13800138002', name: '王芳', idNumber: '440106199512120046', fundFen: 52_000n },
] as const;

export const DEMO_STAFF: { phone: string; name: string; roles: StaffRole[] }[] = [
  { phone: '13900139000', name: '管理员 Admin', roles: ['admin'] },
  { phone: '13900139001', name: '客服 Support', roles: ['support'] },
  { phone: '13900139002', name: '审核 KYC', roles: ['kyc_reviewer'] },
  { phone: '13900139003', name: '风控 Risk', roles: ['risk_analyst'] },
];

export const DEMO_MERCHANTS = [
  {
    name: '老街面馆',
    nameEn: 'Old Street Noodles',
    mcc: '5812',
    city: '上海',
    ownerPhone: '13700137000',
    ownerName: '陈老板',
    cashierPhone: '13700137002',
    cashierName: '小王',
  },
  {
    name: '鲜果便利店',
    nameEn: 'Fresh Fruit Mart',
    mcc: '5411',
    city: '北京',
    ownerPhone: '13700137001',
    ownerName: '刘店长',
  },
] as const;

/** The payments domain as the seed uses it; typed structurally so the seed does not depend on its internals. */
interface DemoPayments {
  merchants: {
    create(
      input: Record<string, unknown>,
      actor: { kind: string; id: string },
    ): Promise<{ ok: boolean; value?: { id: string; merchantNumber: string }; error?: { code: string } }>;
    list(filter: { limit?: number }): Promise<{ items: { id: string; name: string; merchantNumber: string }[] }>;
    createStaff(
      merchantId: string,
      input: { name: string; phone: string; password: string; role: 'cashier' },
      actor: { kind: 'operator'; id: string },
    ): Promise<{ ok: boolean }>;
  };
  qr: {
    create(
      merchantId: string,
      input: { kind: 'static' | 'dynamic'; terminalLabel?: string },
    ): Promise<{ ok: boolean; value?: { id: string; payload: string } }>;
    list(merchantId: string, limit?: number): Promise<{ id: string; kind: string; payload: string }[]>;
  };
}

interface DemoTransfers {
  send(
    userId: string,
    input: { payee: { phone: string }; amountFen: bigint; currency: 'CNY'; note?: string; clientKey?: string | null },
    pin: string,
    context?: Record<string, unknown>,
  ): Promise<{ ok: boolean; error?: { code: string } }>;
}

export interface DemoSummary {
  users: typeof DEMO_USERS;
  staff: { phone: string; name: string; roles: string[]; totpSecret: string }[];
  merchants: { name: string; merchantNumber: string; ownerPhone: string; staticPayload: string | null }[];
}

async function userIdByPhone(services: Services, _db: Db, phone: string): Promise<string | null> {
  return services.identity.findUserIdFor({ phone });
}

async function ensureUser(
  services: Services,
  db: Db,
  user: (typeof DEMO_USERS)[number],
): Promise<{ userId: string; created: boolean }> {
  const existing = await userIdByPhone(services, db, user.phone);
  if (existing) return { userId: existing, created: false };
  const sent = await services.identity.smsCodes.send(user.phone, 'register', CONTEXT.ip);
  if (!sent.ok) throw new Error(`demo: could not text a code to ${user.phone}: ${sent.error.code}`);
  const [message] = await readOutbox(db, services.identity.ctx.cipher, { phone: user.phone, limit: 1 });
  const code = /(\d{6})/.exec(message?.text ?? '')?.[1];
  if (!code) throw new Error(`demo: no code in the outbox for ${user.phone}`);
  const registered = await services.identity.registration.register(
    { phone: user.phone, smsCode: code, idNumber: user.idNumber, name: user.name, password: DEMO_PASSWORD },
    CONTEXT,
  );
  if (!registered.ok) throw new Error(`demo: could not register ${user.phone}: ${registered.error.code}`);
  if (!registered.value.opened) throw new Error(`demo: ${user.phone} or its ID number already has a wallet`);
  const pin = await services.identity.pin.set(registered.value.userId, { newPin: DEMO_PIN, password: DEMO_PASSWORD });
  if (!pin.ok) throw new Error(`demo: could not set the PIN of ${user.phone}: ${pin.error.code}`);
  return { userId: registered.value.userId, created: true };
}

/** The outside world's side of top-ups: one bank clearing account for the demo's money. */
async function demoClearingAccount(services: Services): Promise<string> {
  const owner = 'demo:bank-clearing';
  const [existing] = await services.ledger.accountsOwnedBy(owner);
  if (existing) return existing.id;
  return (await services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY', ownerRef: owner })).id;
}

async function fund(
  services: Services,
  clearingId: string,
  user: (typeof DEMO_USERS)[number],
  walletAccountId: string,
) {
  const funded = await services.ledger.transfer({
    reference: `demo:topup:${user.phone}`,
    currency: 'CNY',
    legs: [{ debitAccountId: clearingId, creditAccountId: walletAccountId, amountFen: user.fundFen }],
    metadata: { kind: 'topup', counterparty: '演示银行 **** 8888', ref: `demo-topup-${user.phone}`, note: '演示充值' },
  });
  if (!funded.ok) throw new Error(`demo: could not fund ${user.phone}: ${funded.error.code}`);
}

function staffFile(dataDir: string) {
  return join(dataDir, 'demo-staff.json');
}

async function ensureStaff(services: Services, dataDir: string): Promise<DemoSummary['staff']> {
  const file = staffFile(dataDir);
  const known: DemoSummary['staff'] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  for (const member of DEMO_STAFF) {
    if (known.some((k) => k.phone === member.phone)) continue;
    const created = await services.identity.staff.create({
      phone: member.phone,
      name: member.name,
      password: DEMO_PASSWORD,
      roles: member.roles,
    });
    if (!created.ok) continue; // already there from an earlier start whose file was removed
    known.push({ phone: member.phone, name: member.name, roles: member.roles, totpSecret: created.value.totpSecret });
  }
  // Development only: the demo staff's TOTP secrets, so the console can be tried on a laptop.
  writeFileSync(file, `${JSON.stringify(known, null, 2)}\n`, { mode: 0o600 });
  return known;
}

async function ensureMerchants(services: Services): Promise<DemoSummary['merchants']> {
  const payments = (services as unknown as { payments?: DemoPayments }).payments;
  if (!payments?.merchants?.create) return [];
  const out: DemoSummary['merchants'] = [];
  const existing = (await payments.merchants.list({ limit: 100 })).items;
  for (const merchant of DEMO_MERCHANTS) {
    let found = existing.find((m) => m.name === merchant.name);
    if (!found) {
      const created = await payments.merchants.create(
        {
          name: merchant.name,
          latinName: merchant.nameEn,
          mcc: merchant.mcc,
          city: merchant.city,
          contactPhone: merchant.ownerPhone,
          payoutBankName: '演示银行',
          payoutAccountNumber: '6222020200112233445',
          owner: { name: merchant.ownerName, phone: merchant.ownerPhone, password: DEMO_PASSWORD },
        },
        { kind: 'operator', id: 'demo-seed' },
      );
      if (!created.ok || !created.value) continue;
      found = { id: created.value.id, name: merchant.name, merchantNumber: created.value.merchantNumber };
      // A cashier login beside the owner, to show what a cashier's role may not do.
      if ('cashierPhone' in merchant) {
        await payments.merchants.createStaff(
          found.id,
          { name: merchant.cashierName, phone: merchant.cashierPhone, password: DEMO_PASSWORD, role: 'cashier' },
          { kind: 'operator', id: 'demo-seed' },
        );
      }
    }
    const codes = await payments.qr.list(found.id, 50);
    let staticCode = codes.find((c) => c.kind === 'static');
    if (!staticCode) {
      const made = await payments.qr.create(found.id, { kind: 'static', terminalLabel: 'COUNTER1' });
      if (made.ok && made.value) staticCode = { id: made.value.id, kind: 'static', payload: made.value.payload };
    }
    out.push({
      name: merchant.name,
      merchantNumber: found.merchantNumber,
      ownerPhone: merchant.ownerPhone,
      staticPayload: staticCode?.payload ?? null,
    });
  }
  return out;
}

/**
 * Each demo holder has two saved biller accounts: Shanghai electricity ('家') with this month's bill
 * due, and Beijing water ('父母家', sandbox marker 97) with last month's bill overdue as well.
 */
export function demoBillAccounts(index: number) {
  return [
    { billerId: 'blr_sh_power', accountNumber: withLuhn(`31380${index}000`), label: '家' },
    { billerId: 'blr_bj_water', accountNumber: `1380${index}097`, label: '父母家' },
  ];
}

async function ensureBills(services: Services, userIds: string[], logger?: Logger): Promise<void> {
  const bills = (services as Partial<Services>).bills;
  if (!bills) return;
  for (const [index, userId] of userIds.entries()) {
    for (const account of demoBillAccounts(index)) {
      const saved = await bills.accounts.save(userId, account);
      if (!saved.ok && saved.error.code !== 'BILL_ACCOUNT_ALREADY_SAVED')
        logger?.warn({ code: saved.error.code }, 'demo bill account skipped');
    }
  }
}

const DEMO_ANSWERS = {
  age: 'b',
  income: 'b',
  share: 'b',
  experience: 'b',
  years: 'b',
  horizon: 'b',
  goal: 'b',
  loss: 'b',
  reaction: 'b',
  knowledge: 'b',
};
const SAVINGS_HISTORY_DAYS = 30;

/**
 * Two demo holders with money-market shares bought a month ago and a month of daily income: the
 * purchase and each day's job run on a savings service whose clock starts 30 days back (its own
 * approvals stand-in: it registers nothing). Skipped for a holder who already has shares; the real
 * daily job carries on from where the history stops.
 */
async function ensureSavings(services: Services, db: Db, userIds: string[], logger?: Logger): Promise<void> {
  const amounts = [50_000n, 30_000n];
  const pending = [];
  for (const [index, amount] of amounts.entries()) {
    const userId = userIds[index];
    if (!userId) continue;
    if ((await services.savings.holdings.of(userId)).funds.length > 0) continue;
    pending.push({ userId, amount, index });
  }
  if (pending.length === 0) return;
  let offsetMs = -SAVINGS_HISTORY_DAYS * 86_400_000;
  const past = createSavingsService({
    db,
    clock: { now: () => new Date(Date.now() + offsetMs) },
    ledger: services.ledger,
    identity: services.identity,
    approvals: { register: () => undefined } as unknown as Services['approvals'],
    audit: services.audit,
  });
  for (const { userId, amount, index } of pending) {
    if (!(await past.suitability.latest(userId)))
      await past.suitability.submit(userId, { version: '2026-1', answers: DEMO_ANSWERS });
    const bought = await past.orders.submit(
      userId,
      { type: 'subscribe', productId: 'svp_mmf', amountFen: amount, clientKey: `demo-savings-${index}` },
      DEMO_PIN,
    );
    if (!bought.ok) logger?.warn({ code: bought.error.code }, 'demo savings purchase skipped');
  }
  for (let day = 0; day < SAVINGS_HISTORY_DAYS; day++) {
    offsetMs += 86_400_000;
    await past.runDaily();
  }
}

/** Seeds the demo; returns what to print. Safe to run on every start. */
export async function seedDemo(deps: {
  services: Services;
  db: Db;
  dataDir: string;
  logger?: Logger;
  /** Months of sample spending before this one (default 12; 0 seeds none). */
  spendingMonths?: number;
}): Promise<DemoSummary> {
  const { services, db } = deps;
  const clearingId = await demoClearingAccount(services);
  const ids: string[] = [];
  let firstRun = false;
  const wallets: { index: number; phone: string; walletAccountId: string }[] = [];
  for (const [index, user] of DEMO_USERS.entries()) {
    const { userId, created } = await ensureUser(services, db, user);
    firstRun ||= created;
    ids.push(userId);
    const profile = await services.identity.profile(userId);
    if (profile) wallets.push({ index, phone: user.phone, walletAccountId: profile.walletAccountId });
  }
  // A year of spending for the insights pages, posted before today's top-up so the history reads in order.
  try {
    const months = deps.spendingMonths ?? DEMO_SPENDING_MONTHS;
    if (months > 0) await ensureSpendingHistory({ services, db, holders: wallets, months, logger: deps.logger });
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo spending history skipped');
  }
  for (const wallet of wallets) await fund(services, clearingId, DEMO_USERS[wallet.index], wallet.walletAccountId);
  const transfers = (services as unknown as { transfers?: DemoTransfers }).transfers;
  if (firstRun && transfers?.send) {
    // A little history between the demo holders, made only on the first start.
    const moves = [
      { from: 0, to: 1, fen: 6_600n, note: '午饭AA' },
      { from: 1, to: 2, fen: 12_000n, note: '电影票' },
      { from: 2, to: 0, fen: 3_550n, note: '奶茶' },
    ];
    for (const [i, move] of moves.entries()) {
      const sent = await transfers.send(
        ids[move.from],
        {
          payee: { phone: DEMO_USERS[move.to].phone },
          amountFen: move.fen,
          currency: 'CNY',
          note: move.note,
          clientKey: `demo-seed-${i}`,
        },
        DEMO_PIN,
        { ip: CONTEXT.ip },
      );
      if (!sent.ok) deps.logger?.warn({ code: sent.error?.code }, 'demo transfer skipped');
    }
  }
  try {
    await ensureDemoCard(services, db, { userId: ids[0], name: DEMO_USERS[0].name, phone: DEMO_USERS[0].phone });
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo card skipped');
  }
  const staff = await ensureStaff(services, deps.dataDir);
  try {
    await ensureBills(services, ids, deps.logger);
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo bills skipped');
  }
  try {
    await ensureSavings(services, db, ids, deps.logger);
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo savings skipped');
  }
  try {
    await ensureCredit(services, db, ids[0], DEMO_PIN, deps.logger);
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo credit skipped');
  }
  let merchants: DemoSummary['merchants'] = [];
  try {
    merchants = await ensureMerchants(services);
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo merchants skipped');
  }
  try {
    await ensureSupport({
      services,
      holderIds: ids,
      pin: DEMO_PIN,
      merchantNumber: merchants[0]?.merchantNumber ?? null,
      agentPhone: DEMO_STAFF[1].phone,
      logger: deps.logger,
    });
  } catch (error) {
    deps.logger?.warn({ err: error }, 'demo customer service skipped');
  }
  return { users: DEMO_USERS, staff, merchants };
}

/** How to sign in, printed under the start banner. */
export function describeDemo(summary: DemoSummary, publicUrl: string): string {
  const lines = [
    '  Demo data (development only):',
    `    Wallet ${publicUrl}/  sign in with a phone below, password ${DEMO_PASSWORD}, payment PIN ${DEMO_PIN}`,
    ...summary.users.map((u) => `      ${u.phone}  ${u.name}`),
    `    ${DEMO_USERS[0].name} has a linked test card ${DEMO_CARD_NUMBER} (top up and withdraw); to link one ` +
      `elsewhere use it or any number from docs/wallet.md's sandbox table, the bank's code is in the outbox`,
    `    SMS codes (new device, registration, unfreeze) appear in the dev outbox: ${publicUrl}/dev/outbox`,
  ];
  if (summary.staff.length) {
    lines.push(
      `    Staff console ${publicUrl}/ops  password ${DEMO_PASSWORD}; the current TOTP code: ` +
        `npm run tongbao -- totp <phone>`,
    );
    for (const s of summary.staff) lines.push(`      ${s.phone}  ${s.roles.join(',')}  TOTP secret ${s.totpSecret}`);
  }
  if (summary.merchants.length) {
    lines.push(`    Merchant pages ${publicUrl}/merchant  owner password ${DEMO_PASSWORD}`);
    for (const m of summary.merchants) lines.push(`      ${m.ownerPhone}  ${m.name} (${m.merchantNumber})`);
    for (const m of DEMO_MERCHANTS)
      if ('cashierPhone' in m) lines.push(`      ${m.cashierPhone}  ${m.name} cashier (same password)`);
  }
  return `${lines.join('\n')}\n`;
}
