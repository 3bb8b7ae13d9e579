import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type WalletHolder, TEST_PIN, fund, walletHolder } from '../../test/transfer-factories.js';
import { verifyLedger } from '../ledger/verify.js';
import { manualClock, shanghaiDay } from '../platform/clock.js';
import { withLuhn } from './catalogue.js';
import { addDays, dayStart, shanghaiHour } from './days.js';

/**
 * Autopay and reminders over three months with a controlled clock: the sandbox issues a bill each
 * month, the jobs run at 10:00 and 23:00 Asia/Shanghai every day. Caps hold, a holder without
 * money is told and retried until the due date, a Tongbao maintenance window delays a payment past
 * its due date and Tongbao bears the late fee, reminders come at their times and never at night.
 */

const clock = manualClock('2026-11-30T02:00:00Z'); // 10:00 Asia/Shanghai
let t: TestApp;
const LIMITS = { dailyFen: 10_000_000n, balanceCapFen: 100_000_000n };
const power = (seed: string, marker = '00') => withLuhn(`3${seed.padStart(6, '0')}${marker}`);

interface Case {
  holder: WalletHolder;
  savedAccountId: string;
  mandateId: string | null;
}
const cases: Record<string, Case> = {};

async function setUp(
  name: string,
  accountNumber: string,
  mandate: {
    capPerBillFen: bigint;
    capPerMonthFen: bigint;
    timing: 'on_arrival' | 'before_due';
    daysBeforeDue?: number;
  } | null,
  balanceFen = 5_000_000n,
) {
  const holder = await walletHolder(t, { name: '张三', balanceFen, limits: LIMITS });
  const saved = await t.services.bills.accounts.save(holder.userId, {
    billerId: 'blr_sh_power',
    accountNumber,
    label: name,
    reminderDaysBefore: 3,
  });
  if (!saved.ok) throw new Error(saved.error.code);
  let mandateId: string | null = null;
  if (mandate) {
    const signed = await t.services.bills.autopay.create(holder.userId, {
      savedAccountId: saved.value.id,
      ...mandate,
      pin: TEST_PIN,
    });
    if (!signed.ok) throw new Error(signed.error.code);
    mandateId = signed.value.id;
  }
  cases[name] = { holder, savedAccountId: saved.value.id, mandateId };
  return saved.value;
}

async function tick() {
  const bills = t.services.bills;
  await bills.sandbox?.issueMonthlyBills();
  await bills.reminders.refreshSaved();
  await bills.reminders.plan();
  await bills.reminders.send();
  await bills.autopay.run();
  await bills.paying.checkPending();
}

let firstDue = '';
let monthCap = 0n;

beforeAll(async () => {
  t = await createTestApp({ clock });
  await setUp('plain', power('901'), { capPerBillFen: 100_000n, capPerMonthFen: 100_000n, timing: 'on_arrival' });
  await setUp('capped', power('902'), { capPerBillFen: 1n, capPerMonthFen: 100_000n, timing: 'on_arrival' });
  await setUp('broke', power('903'), { capPerBillFen: 100_000n, capPerMonthFen: 100_000n, timing: 'on_arrival' }, 0n);
  const fault = await setUp('fault', power('904'), {
    capPerBillFen: 100_000n,
    capPerMonthFen: 100_000n,
    timing: 'before_due',
    daysBeforeDue: 1,
  });
  firstDue = fault.bills[0].dueDate;
  // Two bills at once (one overdue): the monthly cap lets only one of them through this month.
  const two = await t.services.bills.inquiry.inquire(cases.plain.holder.userId, 'blr_sh_power', power('905', '97'));
  if (!two.ok) throw new Error(two.error.code);
  const [a, b] = two.value.bills;
  monthCap = a.totalFen + b.totalFen - 1n;
  await setUp('monthly', power('905', '97'), {
    capPerBillFen: a.totalFen > b.totalFen ? a.totalFen : b.totalFen,
    capPerMonthFen: monthCap,
    timing: 'on_arrival',
  });
  await setUp('reminded', power('906'), null);
  // Tongbao's own maintenance on bills from two days before the fault holder's due date to two days after.
  const scheduled = await t.services.maintenance.schedule({
    feature: 'bills',
    startsAt: dayStart(addDays(firstDue, -2)),
    endsAt: new Date(dayStart(addDays(firstDue, 2)).getTime() + 12 * 3600_000),
    titleZh: '维护',
    titleEn: 'Maintenance',
    messageZh: '生活缴费维护',
    messageEn: 'Bills maintenance',
    createdBy: 'test',
  });
  if (!scheduled.ok) throw new Error('maintenance not scheduled');

  const start = shanghaiDay(clock.now());
  for (let day = 0; day < 95; day++) {
    const today = addDays(start, day);
    if (today === addDays(firstDue, 5)) await fund(t, cases.broke.holder.walletId, 5_000_000n);
    for (const hour of [10, 23]) {
      clock.set(new Date(dayStart(today).getTime() + hour * 3600_000));
      await tick();
    }
  }
}, 600_000);
afterAll(async () => t?.close());

async function payments(name: string) {
  const { rows } = await t.db.query<{
    amount: string;
    late_fee: string;
    late_fee_borne: string;
    completed_at: Date;
    status: string;
    period: string;
  }>(`SELECT * FROM bill_payments WHERE user_id = $1 AND source = 'autopay' ORDER BY created_at`, [
    cases[name].holder.userId,
  ]);
  return rows;
}

async function runs(name: string) {
  return t.services.bills.autopay.runs({ mandateId: cases[name].mandateId }, 500);
}

describe('autopay over three months', () => {
  it('pays every monthly bill of a plain mandate, within its caps', async () => {
    const paid = (await payments('plain')).filter((p) => p.status === 'succeeded');
    expect(paid.map((p) => p.period)).toEqual(['2026-10', '2026-11', '2026-12', '2027-01', '2027-02']);
    for (const p of paid) expect(BigInt(p.amount)).toBeLessThanOrEqual(100_000n);
  });

  it('never pays above the cap per bill: the bill is left for the holder, with a notice', async () => {
    expect(await payments('capped')).toEqual([]);
    const outcomes = (await runs('capped')).map((r) => r.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(outcomes)).toEqual(new Set(['over_cap']));
    const notices = await t.services.notifications.list(cases.capped.holder.userId, { limit: 50 });
    expect(notices.items.some((n: { kind: string }) => n.kind === 'bills.autopay_over_cap')).toBe(true);
  });

  it('keeps each month within the cap per month', async () => {
    const paid = (await payments('monthly')).filter((p) => p.status === 'succeeded');
    const byMonth = new Map<string, bigint>();
    for (const p of paid) {
      const month = shanghaiDay(p.completed_at).slice(0, 7);
      byMonth.set(month, (byMonth.get(month) ?? 0n) + BigInt(p.amount) - BigInt(p.late_fee_borne));
    }
    for (const total of byMonth.values()) expect(total).toBeLessThanOrEqual(monthCap);
    expect((await runs('monthly')).some((r) => r.outcome === 'over_month_cap')).toBe(true);
    expect(paid.length).toBeGreaterThanOrEqual(3);
  });

  it('without money: told and retried each day until due, then left; paid once funded', async () => {
    const outcomes = (await runs('broke')).map((r) => r.outcome).reverse();
    const insufficient = outcomes.filter((o) => o === 'insufficient_funds').length;
    expect(insufficient).toBeGreaterThanOrEqual(15);
    const paid = (await payments('broke')).filter((p) => p.status === 'succeeded');
    expect(paid.map((p) => p.period)).toEqual(['2026-12', '2027-01', '2027-02']);
  });

  it('a run delayed by Tongbao maintenance is paid when it ends, and Tongbao bears the late fee', async () => {
    const [first] = await payments('fault');
    expect(first.status).toBe('succeeded');
    expect(shanghaiDay(first.completed_at) > firstDue).toBe(true);
    expect(BigInt(first.late_fee)).toBeGreaterThan(0n);
    expect(first.late_fee_borne).toBe(first.late_fee);
    expect((await runs('fault')).some((r) => r.outcome === 'tongbao_fault')).toBe(true);
    const notices = await t.services.notifications.list(cases.fault.holder.userId, { limit: 100 });
    expect(notices.items.some((n: { bodyZh: string }) => n.bodyZh.includes('由通宝承担'))).toBe(true);
  });

  it('reminds of a new bill, before due, on the due day and when overdue, never at night', async () => {
    const reminders = await t.services.bills.reminders.list(cases.reminded.holder.userId);
    const first = reminders.filter((r) => r.bill_ref.endsWith('2026-10'));
    expect(
      first
        .filter((r) => r.sent_at)
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['before_due', 'due_today', 'new_bill', 'overdue']);
    const dueToday = first.find((r) => r.kind === 'due_today');
    expect(shanghaiDay(dueToday?.sent_at as Date)).toBe(firstDue);
    const before = first.find((r) => r.kind === 'before_due');
    expect(shanghaiDay(before?.sent_at as Date)).toBe(addDays(firstDue, -3));
    const overdue = await t.services.notifications.list(cases.reminded.holder.userId, { limit: 100 });
    const notice = overdue.items.find((n: { kind: string }) => n.kind === 'bills.reminder_overdue') as
      { bodyZh: string; bodyEn: string } | undefined;
    expect(notice?.bodyZh).toContain('征信');
    expect(notice?.bodyEn).toContain('credit record');
    // Nothing any holder was told came between 22:00 and 08:00 Asia/Shanghai.
    const { rows } = await t.db.query<{ created_at: Date; kind: string }>(
      `SELECT created_at, kind FROM notifications WHERE kind LIKE 'bills.%'`,
    );
    expect(rows.length).toBeGreaterThan(20);
    const night = rows.filter((r) => shanghaiHour(r.created_at) >= 22 || shanghaiHour(r.created_at) < 8);
    expect(night).toEqual([]);
  });

  it('leaves the ledger balanced', async () => {
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });
});
