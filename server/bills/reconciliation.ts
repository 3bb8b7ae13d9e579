import { newId } from '../platform/ids.js';
import { type Result, err, ok } from '../platform/result.js';
import type { BillError, Billers, StaffActor } from './billers.js';
import { shanghaiDayBounds } from './days.js';
import type { BillsDeps } from './deps.js';
import type { BillNetwork } from './network.js';
import * as paymentStore from './store-payments.js';
import * as store from './store-reconciliation.js';

/**
 * The daily reconciliation with each biller's settlement file: every payment the biller lists
 * must be a succeeded payment of ours completed that day, with the same amount, and the other way
 * round. Differences are listed for staff, who resolve them with a note (audited).
 */
export function createReconciliation(deps: BillsDeps, billers: Billers, network: BillNetwork) {
  const { db, clock } = deps;

  return {
    async run(day: string): Promise<{ billers: number; mismatches: number }> {
      const { start, end } = shanghaiDayBounds(day);
      let mismatches = 0;
      const list = await billers.list({ includeDisabled: true });
      for (const biller of list) {
        const file = await network.settlementFile(biller.id, day);
        const ours = await paymentStore.succeededBetween(db, biller.id, start, end);
        const byId = new Map(ours.map((row) => [row.id, row]));
        const seen = new Set<string>();
        let found = 0;
        const add = async (input: Parameters<typeof store.insertMismatch>[1]) => {
          found++;
          await store.insertMismatch(db, input);
        };
        const base = { billerId: biller.id, day, at: clock.now() };
        for (const line of file) {
          seen.add(line.requestId);
          const mine = byId.get(line.requestId);
          if (!mine)
            await add({
              ...base,
              id: newId('bmm', clock.now().getTime()),
              kind: 'missing_in_wallet',
              paymentId: line.requestId,
              networkRef: line.networkRef,
              fileFen: line.amountFen,
              walletFen: null,
            });
          else if (mine.amount !== line.amountFen)
            await add({
              ...base,
              id: newId('bmm', clock.now().getTime()),
              kind: 'amount_mismatch',
              paymentId: mine.id,
              networkRef: line.networkRef,
              fileFen: line.amountFen,
              walletFen: mine.amount,
            });
        }
        for (const mine of ours)
          if (!seen.has(mine.id))
            await add({
              ...base,
              id: newId('bmm', clock.now().getTime()),
              kind: 'missing_at_biller',
              paymentId: mine.id,
              networkRef: mine.network_ref,
              fileFen: null,
              walletFen: mine.amount,
            });
        await store.upsertReconRun(db, {
          day,
          billerId: biller.id,
          fileCount: file.length,
          fileTotal: file.reduce((sum, line) => sum + line.amountFen, 0n),
          ledgerCount: ours.length,
          ledgerTotal: ours.reduce((sum, row) => sum + row.amount, 0n),
          mismatches: found,
          at: clock.now(),
        });
        mismatches += found;
      }
      return { billers: list.length, mismatches };
    },

    async overview(filter: { day: string | null; status: string | null }, limit: number) {
      return {
        runs: await store.reconRuns(db, filter.day, limit),
        mismatches: await store.mismatches(db, filter, limit),
      };
    },

    async resolve(actor: StaffActor, id: string, note: string): Promise<Result<store.MismatchRow, BillError>> {
      const row = await store.resolveMismatch(db, id, note, actor.id, clock.now());
      if (!row) return err({ code: 'BILL_MISMATCH_NOT_FOUND' });
      await deps.audit.record(db, {
        actorKind: 'staff',
        actorId: actor.id,
        action: 'bills.mismatch_resolved',
        subjectType: 'bill_mismatch',
        subjectId: id,
        requestId: actor.requestId,
        ip: actor.ip,
        details: { note },
      });
      return ok(row);
    },
  };
}

export type Reconciliation = ReturnType<typeof createReconciliation>;
