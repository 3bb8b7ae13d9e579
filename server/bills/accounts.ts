import { shanghaiDay } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import { type BillError, type BillerView, type Billers, billerView } from './billers.js';
import type { BillsDeps } from './deps.js';
import { type BillView, type Inquiry, billView } from './inquiry.js';
import * as store from './store.js';
import type { SavedAccountRow } from './store.js';
import * as autopayStore from './store-autopay.js';
import * as paymentStore from './store-payments.js';

/** Saved biller accounts (户号) with a label, and what is due on them, for the home page. */

export const MAX_SAVED_ACCOUNTS = 20;
export const DEFAULT_REMINDER_DAYS = 3;

export interface SavedAccountView {
  id: string;
  billerId: string;
  biller: BillerView;
  accountNumber: string;
  label: string;
  reminderDaysBefore: number;
  due: { count: number; totalFen: bigint; earliestDueDate: string; overdue: boolean } | null;
  bills: BillView[];
  autopay: { id: string; status: string } | null;
  createdAt: Date;
}

export interface DueItem {
  savedAccountId: string;
  label: string;
  billerId: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  accountNumber: string;
  bill: BillView;
}

export function createSavedAccounts(deps: BillsDeps, billers: Billers, inquiry: Inquiry) {
  const { db, clock } = deps;

  async function views(rows: SavedAccountRow[]): Promise<SavedAccountView[]> {
    if (rows.length === 0) return [];
    const now = clock.now();
    const today = shanghaiDay(now);
    const statements = await store.unpaidStatements(
      db,
      rows.map((row) => ({ billerId: row.biller_id, accountNumber: row.account_number })),
    );
    const mandates = await autopayStore.openMandatesFor(
      db,
      rows.map((row) => row.id),
    );
    const result: SavedAccountView[] = [];
    for (const row of rows) {
      const biller = await billers.find(row.biller_id);
      if (!biller) continue;
      const bills: BillView[] = [];
      for (const statement of statements) {
        if (statement.biller_id !== row.biller_id || statement.account_number !== row.account_number) continue;
        const holder = await paymentStore.claimHolder(db, statement.biller_id, statement.bill_ref);
        if (holder?.status === 'succeeded') continue;
        bills.push(billView(statement, today, holder ? 'processing' : 'unpaid'));
      }
      const unpaid = bills.filter((bill) => bill.status === 'unpaid');
      const mandate = mandates.find((m) => m.saved_account_id === row.id);
      result.push({
        id: row.id,
        billerId: row.biller_id,
        biller: billerView(biller, now),
        accountNumber: row.account_number,
        label: row.label,
        reminderDaysBefore: row.reminder_days_before,
        due:
          unpaid.length === 0
            ? null
            : {
                count: unpaid.length,
                totalFen: unpaid.reduce((sum, bill) => sum + bill.totalFen, 0n),
                earliestDueDate: unpaid[0].dueDate,
                overdue: unpaid.some((bill) => bill.overdue),
              },
        bills,
        autopay: mandate ? { id: mandate.id, status: mandate.status } : null,
        createdAt: row.created_at,
      });
    }
    return result;
  }

  return {
    views,

    list: async (userId: string) => views(await store.savedAccounts(db, userId)),

    async get(userId: string, id: string): Promise<SavedAccountView | null> {
      const row = await store.findSavedAccount(db, userId, id);
      return row ? ((await views([row]))[0] ?? null) : null;
    },

    /** Saves an account after asking the network that it exists. */
    async save(
      userId: string,
      input: { billerId: string; accountNumber: string; label: string; reminderDaysBefore?: number },
    ): Promise<Result<SavedAccountView, BillError>> {
      const biller = await billers.usable(input.billerId);
      if (!biller.ok) return biller;
      if (await store.findSavedAccountFor(db, userId, input.billerId, input.accountNumber))
        return err({ code: 'BILL_ACCOUNT_ALREADY_SAVED' });
      const found = await inquiry.lookup(biller.value, input.accountNumber);
      if (found.status === 'refused') return err(found.error);
      const row: SavedAccountRow = {
        id: newId('bac', clock.now().getTime()),
        user_id: userId,
        biller_id: input.billerId,
        account_number: input.accountNumber,
        label: input.label,
        reminder_days_before: input.reminderDaysBefore ?? DEFAULT_REMINDER_DAYS,
        holder_name: found.holderName,
        created_at: clock.now(),
      };
      const inserted = await store.insertSavedAccount(db, row, MAX_SAVED_ACCOUNTS);
      if (inserted === 'duplicate') return err({ code: 'BILL_ACCOUNT_ALREADY_SAVED' });
      if (inserted === 'limit') return err({ code: 'BILL_ACCOUNTS_LIMIT', limit: MAX_SAVED_ACCOUNTS });
      return ok((await views([row]))[0]);
    },

    async update(
      userId: string,
      id: string,
      changes: { label?: string; reminderDaysBefore?: number },
    ): Promise<Result<SavedAccountView, BillError>> {
      const row = await store.updateSavedAccount(db, userId, id, changes);
      if (!row) return err({ code: 'BILL_ACCOUNT_NOT_FOUND' });
      return ok((await views([row]))[0]);
    },

    async remove(userId: string, id: string): Promise<Result<true, BillError>> {
      const removed = await db.transaction((tx) => store.deleteSavedAccount(tx, userId, id));
      return removed ? ok(true) : err({ code: 'BILL_ACCOUNT_NOT_FOUND' });
    },

    /** What is due on the holder's saved accounts, soonest first. */
    async due(userId: string): Promise<{ items: DueItem[]; count: number; totalFen: bigint; overdueCount: number }> {
      const items: DueItem[] = [];
      for (const account of await views(await store.savedAccounts(db, userId))) {
        for (const bill of account.bills) {
          if (bill.status !== 'unpaid') continue;
          items.push({
            savedAccountId: account.id,
            label: account.label,
            billerId: account.billerId,
            billerName: account.biller.name,
            billerNameEn: account.biller.nameEn,
            billerType: account.biller.type,
            accountNumber: account.accountNumber,
            bill,
          });
        }
      }
      items.sort((a, b) => (a.bill.dueDate < b.bill.dueDate ? -1 : a.bill.dueDate > b.bill.dueDate ? 1 : 0));
      return {
        items,
        count: items.length,
        totalFen: items.reduce((sum, item) => sum + item.bill.totalFen, 0n),
        overdueCount: items.filter((item) => item.bill.overdue).length,
      };
    },
  };
}

export type SavedAccounts = ReturnType<typeof createSavedAccounts>;
