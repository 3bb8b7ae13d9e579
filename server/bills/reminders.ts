import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { fenToJson, formatFen } from '../platform/money.js';
import type { Billers } from './billers.js';
import { addDays, dayStart, outsideQuietHours, shanghaiHour } from './days.js';
import type { BillsDeps } from './deps.js';
import type { Inquiry } from './inquiry.js';
import * as store from './store.js';
import * as autopayStore from './store-autopay.js';
import * as paymentStore from './store-payments.js';

/**
 * Reminders: a new bill, N days before it is due (the holder's choice per saved account, default
 * 3), on the due day and once overdue — in the app and by SMS, never between 22:00 and 08:00
 * Asia/Shanghai (a reminder due then waits until 08:00). The overdue notice says plainly that an
 * overdue utility bill can be reported to the credit reference system and how to pay now.
 */

/** Reminders go out at 10:00 Asia/Shanghai on their day (new bills: when they are seen, if daytime). */
const REMINDER_HOUR = 10;

export const CREDIT_WARNING_ZH = '逾期未缴的水电燃气等公用事业费用可能被报送征信系统，影响您的信用记录。';
export const CREDIT_WARNING_EN =
  'Overdue utility bills can be reported to the credit reference system and may hurt your credit record.';

const atHour = (day: string) => new Date(dayStart(day).getTime() + REMINDER_HOUR * 3600_000);

export const isQuietHour = (at: Date) => {
  const hour = shanghaiHour(at);
  return hour >= 22 || hour < 8;
};

export function createReminders(deps: BillsDeps, billers: Billers, inquiry: Inquiry) {
  const { db, clock } = deps;

  return {
    /** Asks the network about every saved account, so new bills are seen (run daily by a job). */
    async refreshSaved(limit = 200): Promise<number> {
      let after = '';
      let seen = 0;
      for (;;) {
        const accounts = await store.savedAccountsPage(db, after, limit);
        if (accounts.length === 0) break;
        for (const account of accounts) {
          after = account.id;
          const biller = await billers.usable(account.biller_id);
          if (!biller.ok || biller.value.mode !== 'postpaid') continue;
          const found = await inquiry.lookup(biller.value, account.account_number);
          if (found.status === 'found') seen++;
        }
      }
      return seen;
    },

    /** Writes the reminders every unpaid bill of a saved account will need (each kind once). */
    async plan(limit = 200): Promise<number> {
      let after = '';
      let planned = 0;
      const now = clock.now();
      for (;;) {
        const accounts = await store.savedAccountsPage(db, after, limit);
        if (accounts.length === 0) break;
        after = accounts[accounts.length - 1].id;
        const statements = await store.unpaidStatements(
          db,
          accounts.map((a) => ({ billerId: a.biller_id, accountNumber: a.account_number })),
        );
        for (const account of accounts) {
          for (const bill of statements) {
            if (bill.biller_id !== account.biller_id || bill.account_number !== account.account_number) continue;
            const times: [autopayStore.ReminderRow['kind'], Date][] = [
              ['new_bill', bill.first_seen_at],
              ['due_today', atHour(bill.due_date)],
              ['overdue', atHour(addDays(bill.due_date, 1))],
            ];
            if (account.reminder_days_before > 0)
              times.push(['before_due', atHour(addDays(bill.due_date, -account.reminder_days_before))]);
            // A bill first seen after its due day gets the overdue notice only; one seen on it, no "before" notice.
            const today = shanghaiDay(now);
            for (const [kind, at] of times) {
              if (kind !== 'new_bill' && kind !== 'overdue' && shanghaiDay(at) < shanghaiDay(bill.first_seen_at))
                continue;
              if (kind === 'new_bill' && today > bill.due_date) continue;
              const planted = await autopayStore.planReminder(db, {
                id: newId('brm', now.getTime()),
                user_id: account.user_id,
                saved_account_id: account.id,
                biller_id: account.biller_id,
                bill_ref: bill.bill_ref,
                kind,
                send_at: outsideQuietHours(at),
              });
              if (planted) planned++;
            }
          }
        }
      }
      return planned;
    },

    /** Sends the reminders that are due, unless it is night in Shanghai (then they wait). */
    async send(limit = 200): Promise<number> {
      const now = clock.now();
      if (isQuietHour(now)) return 0;
      let sent = 0;
      for (const reminder of await autopayStore.claimDueReminders(db, now, limit)) {
        const bill = await store.findStatement(db, reminder.biller_id, reminder.bill_ref);
        const holder = await paymentStore.claimHolder(db, reminder.biller_id, reminder.bill_ref);
        const account = await store.findSavedAccountById(db, reminder.saved_account_id);
        const biller = await billers.find(reminder.biller_id);
        if (!bill || bill.status !== 'unpaid' || holder || !account || !biller) {
          await autopayStore.cancelReminder(db, reminder.id);
          continue;
        }
        const total = formatFen(bill.amount + bill.late_fee);
        const who = `${account.label}·${biller.name}（户号${bill.account_number}）`;
        const whoEn = `${account.label} · ${biller.name_en} (account ${bill.account_number})`;
        const texts = {
          new_bill: {
            zh: ['新账单', `${who}${bill.period}账单${total}，${bill.due_date}前缴纳。`],
            en: ['New bill', `${whoEn}: the ${bill.period} bill of ${total} is due by ${bill.due_date}.`],
          },
          before_due: {
            zh: ['账单即将到期', `${who}${bill.period}账单${total}将于${bill.due_date}到期，请及时缴纳。`],
            en: ['Bill due soon', `${whoEn}: the ${bill.period} bill of ${total} is due on ${bill.due_date}.`],
          },
          due_today: {
            zh: ['账单今日到期', `${who}${bill.period}账单${total}今日到期，请今天缴纳以免产生滞纳金。`],
            en: [
              'Bill due today',
              `${whoEn}: the ${bill.period} bill of ${total} is due today; pay today to avoid a late fee.`,
            ],
          },
          overdue: {
            zh: [
              '账单已逾期',
              `${who}${bill.period}账单已逾期，滞纳金按日累计，当前应缴${total}。${CREDIT_WARNING_ZH}请打开通宝“生活缴费”，选择该户号立即缴纳。`,
            ],
            en: [
              'Bill overdue',
              `${whoEn}: the ${bill.period} bill is overdue and a late fee grows each day; ${total} is due now. ` +
                `${CREDIT_WARNING_EN} Open Bills in Tongbao and pay this account now.`,
            ],
          },
        }[reminder.kind];
        await deps.identity.notifyHolder(reminder.user_id, {
          kind: `bills.reminder_${reminder.kind}`,
          titleZh: texts.zh[0],
          titleEn: texts.en[0],
          bodyZh: texts.zh[1],
          bodyEn: texts.en[1],
          data: {
            savedAccountId: account.id,
            billerId: biller.id,
            billRef: bill.bill_ref,
            dueDate: bill.due_date,
            total: fenToJson(bill.amount + bill.late_fee),
          },
        });
        sent++;
      }
      return sent;
    },

    list: (userId: string) => autopayStore.remindersOf(db, userId),
  };
}

export type Reminders = ReturnType<typeof createReminders>;
