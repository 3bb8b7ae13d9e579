import type { EntryView } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { evaluateAlerts, notifyAlerts } from './budgets.js';
import { type AccountInfo, type AssetDelta, type Draft, classifyEntry, merchantIdOf } from './classify.js';
import type { InsightsDeps } from './deps.js';
import { resolveCategory } from './rules.js';
import * as store from './store.js';
import * as rulesStore from './store-rules.js';
import type { BudgetAlert, Movement } from './types.js';

/**
 * Keeps the rollups up to date with the ledger: reads the entries after the watermark through the
 * ledger service (outside any transaction), classifies them, and in one transaction that locks the
 * watermark row checks the watermark has not moved, writes the movements and the rollups, raises
 * budget alerts and moves the watermark. Ledger sequence numbers are gapless and commit in order, so
 * nothing is missed; the watermark moves in the transaction that counts, so nothing is counted twice.
 * Two processes catching up at once: one commits, the other sees the moved watermark and reads again.
 */

export const FEED_BATCH = 500;
const CACHE_LIMIT = 50_000;

export interface CatchUpResult {
  entries: number;
  movements: number;
  alerts: number;
}

export function createFeed(deps: InsightsDeps) {
  const { db, clock, ledger } = deps;
  const accounts = new Map<string, AccountInfo>();
  const mccs = new Map<string, string | null>();

  async function knowAccounts(entries: readonly EntryView[]): Promise<void> {
    const unknown = new Set<string>();
    for (const entry of entries)
      for (const posting of entry.postings) if (!accounts.has(posting.accountId)) unknown.add(posting.accountId);
    if (unknown.size === 0) return;
    if (accounts.size > CACHE_LIMIT) accounts.clear();
    const ids = [...unknown];
    for (let i = 0; i < ids.length; i += 1_000)
      for (const account of await ledger.getAccounts(ids.slice(i, i + 1_000)))
        accounts.set(account.id, { kind: account.kind, ownerRef: account.ownerRef });
  }

  async function knowMerchants(entries: readonly EntryView[]): Promise<void> {
    if (mccs.size > CACHE_LIMIT) mccs.clear();
    for (const entry of entries) {
      const merchantId = merchantIdOf(entry);
      if (merchantId && !mccs.has(merchantId)) mccs.set(merchantId, await deps.merchantMcc(merchantId));
    }
  }

  /** Finds each refund's payment (in this batch or already counted) and sets every category. */
  async function resolve(tx: Tx, drafts: readonly Draft[]): Promise<Movement[]> {
    const users = [...new Set(drafts.map((d) => d.userId))];
    const rules = await rulesStore.rulesOf(tx, users);
    const byRef = new Map<string, Movement>();
    const byEntry = new Map<string, Movement>();
    const key = (userId: string, id: string) => `${userId}\u0000${id}`;
    const refKeys = drafts.flatMap((d) =>
      d.refundKey && 'businessRef' in d.refundKey ? [{ userId: d.userId, businessRef: d.refundKey.businessRef }] : [],
    );
    const entryKeys = drafts.flatMap((d) =>
      d.refundKey && 'entryId' in d.refundKey ? [{ userId: d.userId, entryId: d.refundKey.entryId }] : [],
    );
    for (const m of await store.findByBusinessRefs(tx, refKeys)) byRef.set(key(m.userId, m.businessRef as string), m);
    for (const m of await store.findByEntryIds(tx, entryKeys)) byEntry.set(key(m.userId, m.entryId), m);

    const movements: Movement[] = [];
    for (const draft of drafts) {
      const { refundKey, ...fields } = draft;
      let movement: Movement = {
        ...fields,
        refundOf: null,
        manualCategory: null,
        ruleId: null,
        category: null,
        categorySource: 'none',
      };
      const original = refundKey
        ? 'businessRef' in refundKey
          ? byRef.get(key(draft.userId, refundKey.businessRef))
          : byEntry.get(key(draft.userId, refundKey.entryId))
        : undefined;
      if (original && original.amountFen < 0n) {
        // A refund counts where its payment counted: the same category, day and month.
        movement = {
          ...movement,
          day: original.day,
          refundOf: original.entryId,
          category: original.category,
          categorySource: 'refund',
          counterparty: movement.counterparty ?? original.counterparty,
        };
      } else {
        movement = { ...movement, ...resolveCategory(movement, rules.get(draft.userId) ?? []) };
      }
      movements.push(movement);
      byEntry.set(key(movement.userId, movement.entryId), movement);
      if (movement.businessRef) byRef.set(key(movement.userId, movement.businessRef), movement);
    }
    return movements;
  }

  async function apply(tx: Tx, movements: readonly Movement[], assets: readonly AssetDelta[]): Promise<BudgetAlert[]> {
    await store.insertMovements(tx, movements);
    const daily = new Map<string, store.DailyAdd>();
    const merchants = new Map<string, store.MerchantAdd>();
    for (const m of movements) {
      const category = m.category ?? '';
      const dayKey = [m.userId, m.day, m.kind, category].join('\u0000');
      const row = daily.get(dayKey) ?? {
        userId: m.userId,
        day: m.day,
        kind: m.kind,
        category,
        outFen: 0n,
        inFen: 0n,
        outCount: 0,
      };
      if (m.amountFen < 0n) [row.outFen, row.outCount] = [row.outFen - m.amountFen, row.outCount + 1];
      else row.inFen += m.amountFen;
      daily.set(dayKey, row);
      if (!m.category) continue;
      const month = m.day.slice(0, 7);
      const counterparty = m.counterparty ?? '';
      const merchantKey = [m.userId, month, counterparty, m.category].join('\u0000');
      const merchant = merchants.get(merchantKey) ?? {
        userId: m.userId,
        month,
        counterparty,
        category: m.category,
        amountFen: 0n,
        count: 0,
      };
      merchant.amountFen -= m.amountFen;
      if (m.amountFen < 0n) merchant.count++;
      merchants.set(merchantKey, merchant);
    }
    await store.addDaily(tx, [...daily.values()]);
    await store.addMerchantMonths(tx, [...merchants.values()]);
    const assetRows = new Map<string, AssetDelta>();
    for (const a of assets) {
      const k = [a.userId, a.asset, a.day].join('\u0000');
      const row = assetRows.get(k) ?? { ...a, amountFen: 0n };
      row.amountFen += a.amountFen;
      assetRows.set(k, row);
    }
    await store.addAssetDays(tx, [...assetRows.values()]);
    // Budgets look at this month only: a refund counted in a past month changes that month, not its alerts.
    const now = clock.now();
    const month = shanghaiDay(now).slice(0, 7);
    const spenders = [...new Set(movements.filter((m) => m.category && m.day.startsWith(month)).map((m) => m.userId))];
    return evaluateAlerts(tx, spenders, month, now);
  }

  /** One batch: answers null when another process moved the watermark first (read again). */
  async function step(): Promise<{ result: CatchUpResult; alerts: BudgetAlert[] } | null> {
    const watermark = await store.readWatermark(db);
    const entries = await ledger.listEntriesAfter(watermark, FEED_BATCH);
    if (entries.length === 0) return { result: { entries: 0, movements: 0, alerts: 0 }, alerts: [] };
    await knowAccounts(entries);
    await knowMerchants(entries);
    const drafts: Draft[] = [];
    const assets: AssetDelta[] = [];
    for (const entry of entries) {
      const classified = classifyEntry(entry, accounts, mccs);
      drafts.push(...classified.drafts);
      assets.push(...classified.assets);
    }
    const last = entries[entries.length - 1].seq;
    return db.transaction(async (tx) => {
      if ((await store.lockWatermark(tx)) !== watermark) return null;
      const movements = await resolve(tx, drafts);
      const alerts = await apply(tx, movements, assets);
      await store.setWatermark(tx, last, clock.now());
      return { result: { entries: entries.length, movements: movements.length, alerts: alerts.length }, alerts };
    });
  }

  /** Counts everything posted so far (at most maxEntries per call; the job calls again). */
  async function run(maxEntries: number): Promise<CatchUpResult> {
    const total: CatchUpResult = { entries: 0, movements: 0, alerts: 0 };
    for (let rounds = 0; total.entries < maxEntries && rounds < 1_000; rounds++) {
      const outcome = await step();
      if (outcome === null) continue;
      total.entries += outcome.result.entries;
      total.movements += outcome.result.movements;
      total.alerts += outcome.result.alerts;
      await notifyAlerts(deps, outcome.alerts);
      if (outcome.result.entries < FEED_BATCH) break;
    }
    return total;
  }

  // Callers in one process share runs: one that starts while a run is going waits for the next run,
  // which starts after the current one and so sees everything committed before the caller asked.
  let current: Promise<CatchUpResult> | null = null;
  let next: Promise<CatchUpResult> | null = null;
  function catchUp(maxEntries = 20_000): Promise<CatchUpResult> {
    if (!current) {
      current = run(maxEntries).finally(() => {
        current = null;
      });
      return current;
    }
    if (!next) {
      const after = current;
      next = after
        .catch(() => undefined)
        .then(() => {
          next = null;
          return catchUp(maxEntries);
        });
    }
    return next;
  }

  return { catchUp };
}

export type Feed = ReturnType<typeof createFeed>;
