import type { Clock } from '../platform/clock.js';
import { shanghaiDay } from '../platform/clock.js';
import type { PiiCipher } from '../platform/crypto.js';
import type { Db } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';
import { type BureauReport, BureauUnavailable, type CreditBureau } from './bureau.js';
import { addMonths } from './calendar.js';
import * as store from './store-bureau.js';
import type { PersonRow } from './store-bureau.js';

/**
 * The credit bureau sandbox, kept in this database. A person's file is made the first time they
 * are asked about, from the marker in their ID number's birth date (docs/credit.md):
 * 2000-01-01 thin file, 2000-01-02 heavy debt, 2000-01-03 past default, anyone else clean. What
 * the bank reports (monthly statuses, negative records) shows in later reports and lowers the
 * score; a corrected record no longer counts. On request it misbehaves: `unavailable` refuses every call
 * (inquiries, reports, corrections), `slow` answers inquiries after two seconds.
 */

export type BureauMode = 'normal' | 'unavailable' | 'slow';
export const BUREAU_MODES: readonly BureauMode[] = ['normal', 'unavailable', 'slow'];

const MARKERS: Record<string, PersonRow['marker']> = {
  '20000101': 'thin',
  '20000102': 'heavy_debt',
  '20000103': 'past_default',
};
const BASE_SCORE: Record<PersonRow['marker'], number | null> = {
  clean: 720,
  thin: null,
  heavy_debt: 640,
  past_default: 520,
};
/** Each negative record still on file lowers the score. */
const RECORD_PENALTY = 60;

export const markerOf = (idNumber: string): PersonRow['marker'] => MARKERS[idNumber.slice(6, 14)] ?? 'clean';

export function createBureauSandbox(deps: { db: Db; clock: Clock; cipher: PiiCipher }) {
  const { db, clock, cipher } = deps;
  const personOf = (idNumber: string) => cipher.lookupHash(`credit-bureau:${idNumber}`);

  async function ensurePerson(idNumber: string): Promise<PersonRow> {
    const person = personOf(idNumber);
    const found = await store.findPerson(db, person);
    if (found) return found;
    const marker = markerOf(idNumber);
    const today = shanghaiDay(clock.now());
    const row: PersonRow = { person, marker, score: BASE_SCORE[marker] };
    await db.transaction(async (tx) => {
      if (!(await store.insertPerson(tx, row, clock.now()))) return;
      const debt = (lender: string, kind: 'loan' | 'card', yuan: number, monthlyYuan: number, extra = {}) =>
        store.insertDebt(tx, {
          id: newId('cbd', clock.now().getTime()),
          person,
          lender,
          kind,
          balance: BigInt(yuan * 100),
          monthly_payment: BigInt(monthlyYuan * 100),
          opened_on: addMonths(today, -30),
          overdue_months_24: 0,
          defaulted: false,
          ...extra,
        });
      if (marker === 'clean') await debt('招商银行信用卡', 'card', 3_000, 300);
      if (marker === 'heavy_debt') {
        await debt('某消费金融公司', 'loan', 180_000, 9_000);
        await debt('某网络小贷', 'loan', 60_000, 6_000);
        await debt('某银行信用卡', 'card', 45_000, 4_500);
        for (let i = 0; i < 6; i++) {
          await store.insertInquiry(tx, {
            id: newId('cbq', clock.now().getTime()),
            person,
            day: addMonths(today, -1),
            inquirer: `贷款机构 ${i + 1}`,
            reason: 'loan_approval',
            created_at: clock.now(),
          });
        }
      }
      if (marker === 'past_default')
        await debt('某消费金融公司', 'loan', 20_000, 0, { overdue_months_24: 6, defaulted: true });
    });
    return (await store.findPerson(db, person)) as PersonRow;
  }

  async function report(idNumber: string): Promise<BureauReport> {
    const person = await ensurePerson(idNumber);
    const [debts, accounts, records, inquiries] = await Promise.all([
      store.listDebts(db, person.person),
      store.listAccounts(db, person.person),
      store.listRecords(db, person.person),
      store.listInquiries(db, person.person),
    ]);
    const statuses = await store.listStatuses(
      db,
      accounts.map((account) => account.account_ref),
    );
    const live = records.filter((record) => !record.removed).length;
    const hasHistory = person.score !== null || accounts.length > 0;
    const base = person.score ?? 650;
    return {
      asOf: clock.now(),
      score: hasHistory ? Math.max(300, base - RECORD_PENALTY * live) : null,
      debts: debts.map((debt) => ({
        lender: debt.lender,
        kind: debt.kind,
        balanceFen: debt.balance,
        monthlyPaymentFen: debt.monthly_payment,
        openedOn: debt.opened_on,
        overdueMonths24: debt.overdue_months_24,
        defaulted: debt.defaulted,
      })),
      accounts: accounts.map((account) => ({
        accountRef: account.account_ref,
        lender: account.lender,
        kind: account.kind,
        openedOn: account.opened_on,
        balanceFen: account.balance,
        status: account.status,
        months: statuses
          .filter((status) => status.account_ref === account.account_ref)
          .map((status) => ({ month: status.month, status: status.status })),
      })),
      records: records.map((record) => ({
        id: record.id,
        accountRef: record.account_ref,
        month: record.month,
        kind: record.kind,
        amountFen: record.amount,
        removed: record.removed,
      })),
      inquiries,
    };
  }

  /** `unavailable` refuses every call as the real bureau's outage would (inquiries answer a refusal). */
  async function reachable() {
    if ((await store.readSetting(db, 'mode')) === 'unavailable') throw new BureauUnavailable('sandbox told to fail');
  }

  const bureau: CreditBureau = {
    async inquire(idNumber, reason) {
      const mode = ((await store.readSetting(db, 'mode')) ?? 'normal') as BureauMode;
      if (mode === 'unavailable') return { ok: false, error: { code: 'CREDIT_BUREAU_UNAVAILABLE' } };
      if (mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 2_000));
      const person = await ensurePerson(idNumber);
      await store.insertInquiry(db, {
        id: newId('cbq', clock.now().getTime()),
        person: person.person,
        day: shanghaiDay(clock.now()),
        inquirer: '通宝数字银行',
        reason,
        created_at: clock.now(),
      });
      return { ok: true, value: await report(idNumber) };
    },
    async ownReport(idNumber) {
      await reachable();
      return report(idNumber);
    },
    async reportStatus(input) {
      await reachable();
      const person = await ensurePerson(input.idNumber);
      const at = clock.now();
      await db.transaction(async (tx) => {
        await store.upsertAccount(
          tx,
          {
            account_ref: input.accountRef,
            person: person.person,
            lender: '通宝数字银行',
            kind: input.kind,
            opened_on: input.openedOn,
            balance: input.balanceFen,
            status: input.status,
          },
          at,
        );
        await store.upsertStatus(tx, input.accountRef, input.month, input.monthStatus, at);
      });
    },
    async reportNegative(input) {
      await reachable();
      const person = await ensurePerson(input.idNumber);
      await store.insertRecord(
        db,
        {
          id: newId('cbr', clock.now().getTime()),
          person: person.person,
          account_ref: input.accountRef,
          event_ref: input.eventRef,
          month: input.month,
          kind: input.kind,
          amount: input.amountFen,
        },
        clock.now(),
      );
    },
    async correct(recordId) {
      await reachable();
      return store.removeRecord(db, recordId);
    },
  };

  return {
    bureau,
    setMode: (mode: BureauMode) => store.writeSetting(db, 'mode', mode),
  };
}

export type BureauSandbox = ReturnType<typeof createBureauSandbox>;
