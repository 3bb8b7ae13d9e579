import { shanghaiDay } from '../platform/clock.js';
import type { EntryView } from '../ledger/types.js';
import type { SettlementLine } from './card-network.js';
import type { WalletContext } from './deps.js';
import { addDays, parseDay } from './days.js';
import * as recon from './store-reconciliation.js';

/**
 * The daily reconciliation: the network's settlement file for an Asia/Shanghai day against the
 * card-network movements on the ledger's clearing account that day. A movement on one side only
 * is a break unless its counterpart sits on the neighbouring day (a timing difference around
 * midnight); a different amount is always a break. Breaks are recorded once for staff.
 */

/** How many clearing-account entries one run may read before it gives up. */
export const MAX_CLEARING_ENTRIES_SCANNED = 200_000;

interface LedgerMovement {
  reference: string;
  amountFen: bigint;
  at: Date;
}

function movementOf(entry: EntryView, clearingId: string): LedgerMovement | null {
  const kind = entry.metadata.kind;
  const ref = entry.metadata.ref;
  if ((kind !== 'topup' && kind !== 'withdraw') || typeof ref !== 'string') return null;
  const amountFen = entry.postings
    .filter((posting) => posting.accountId === clearingId)
    .reduce((sum, posting) => sum + posting.amountFen, 0n);
  return { reference: ref, amountFen: amountFen < 0n ? -amountFen : amountFen, at: entry.createdAt };
}

export function createReconciliation(ctx: WalletContext) {
  const { db, clock, ledger } = ctx;

  /** The clearing account's card movements of one day, read newest first back to the day's start. */
  async function ledgerMovements(day: string): Promise<Map<string, LedgerMovement>> {
    const clearingId = await ctx.clearingAccountId();
    const start = parseDay(day) as Date;
    const end = new Date(start.getTime() + 24 * 3600_000);
    const found = new Map<string, LedgerMovement>();
    let before: bigint | undefined;
    for (let scanned = 0; scanned < MAX_CLEARING_ENTRIES_SCANNED;) {
      const page = await ledger.listEntries(clearingId, { beforeSeq: before, limit: 100 });
      if (page.length === 0) return found;
      scanned += page.length;
      for (const entry of page) {
        if (entry.createdAt < start) return found;
        if (entry.createdAt >= end) continue;
        const movement = movementOf(entry, clearingId);
        if (movement) found.set(movement.reference, movement);
      }
      before = page[page.length - 1].seq;
    }
    throw new Error(`reconciliation of ${day} read more than ${MAX_CLEARING_ENTRIES_SCANNED} clearing entries`);
  }

  async function ledgerEntryFor(reference: string): Promise<EntryView | null> {
    return (
      (await ledger.getEntryByReference(`topup:${reference}`)) ??
      (await ledger.getEntryByReference(`withdraw-post:${reference}`))
    );
  }

  return {
    /** Reconciles one day; safe to run again (breaks are recorded once). */
    async run(day: string): Promise<{ day: string; networkCount: number; ledgerCount: number; breaks: number }> {
      if (!parseDay(day)) throw new Error(`not a day: ${day}`);
      const now = clock.now();
      const file = await ctx.network.settlementFile(day);
      const ledgerSide = await ledgerMovements(day);
      const networkSide = new Map<string, SettlementLine>(file.map((line) => [line.requestId, line]));
      const neighbours = new Set([addDays(day, -1), addDays(day, 1)]);
      let breaks = 0;
      const record = async (input: Omit<Parameters<typeof recon.recordBreak>[1], 'day' | 'at'>) => {
        breaks++;
        await recon.recordBreak(db, { ...input, day, at: now });
      };
      for (const line of file) {
        const booked = ledgerSide.get(line.requestId);
        if (booked) {
          if (booked.amountFen !== line.amountFen)
            await record({
              kind: 'amount_mismatch',
              reference: line.requestId,
              networkAmountFen: line.amountFen,
              ledgerAmountFen: booked.amountFen,
              details: { networkRef: line.networkRef },
            });
          continue;
        }
        const elsewhere = await ledgerEntryFor(line.requestId);
        if (elsewhere && neighbours.has(shanghaiDay(elsewhere.createdAt))) continue;
        await record({
          kind: 'missing_in_ledger',
          reference: line.requestId,
          networkAmountFen: line.amountFen,
          ledgerAmountFen: null,
          details: { networkRef: line.networkRef, kind: line.kind },
        });
      }
      for (const movement of ledgerSide.values()) {
        if (networkSide.has(movement.reference)) continue;
        const answer = await ctx.network.query(movement.reference).catch(() => null);
        const settledElsewhere = answer?.status === 'succeeded';
        if (settledElsewhere) {
          // Settled by the network on a neighbouring day: a timing difference, found in that day's file.
          const neighbourFiles = await Promise.all([...neighbours].map((other) => ctx.network.settlementFile(other)));
          if (
            neighbourFiles.some((lines) =>
              lines.some((line) => line.requestId === movement.reference && line.amountFen === movement.amountFen),
            )
          )
            continue;
        }
        await record({
          kind: 'missing_in_network',
          reference: movement.reference,
          networkAmountFen: null,
          ledgerAmountFen: movement.amountFen,
          details: { networkStatus: answer?.status ?? 'unknown' },
        });
      }
      const networkTotalFen = file.reduce((sum, line) => sum + line.amountFen, 0n);
      const ledgerTotalFen = [...ledgerSide.values()].reduce((sum, movement) => sum + movement.amountFen, 0n);
      await recon.saveRun(db, {
        day,
        networkCount: file.length,
        networkTotalFen,
        ledgerCount: ledgerSide.size,
        ledgerTotalFen,
        breaks,
        ranAt: now,
      });
      return { day, networkCount: file.length, ledgerCount: ledgerSide.size, breaks };
    },

    async overview(filter: {
      day: string | null;
      status: 'open' | 'resolved' | null;
      before: string | null;
      limit: number;
    }) {
      const [runs, breaks] = await Promise.all([recon.listRuns(db, 31), recon.listBreaks(db, filter)]);
      return { runs, breaks, nextBefore: breaks.length === filter.limit ? breaks[breaks.length - 1].id : null };
    },
  };
}

export type Reconciliation = ReturnType<typeof createReconciliation>;
