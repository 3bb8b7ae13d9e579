import { shanghaiDay } from '../platform/clock.js';
import type { Tx } from '../platform/db/types.js';
import { createGroupCommit } from '../platform/group-commit.js';
import { type Result, assert, err, ok } from '../platform/result.js';
import type { PasswordFree } from './password-free.js';
import { paymentCommand } from './settle.js';
import * as store from './store-payments.js';
import type { PaymentsDeps } from './deps.js';
import type { MerchantRow, PaymentError, PaymentRow } from './types.js';

/**
 * Payment-code charges with group commit (server/platform/group-commit.ts). Each charge takes from
 * its payer's password-free allowance and, if it fits, moves the money at once; charges that
 * arrive together share one transaction, so the ledger's chain head is taken once per batch.
 * Every charge succeeds or fails on its own: a ledger refusal gives its allowance back and records
 * no payment, as if it had run alone.
 *
 * Lock order, the same in every batch: daily usage rows (by payer), then the ledger's accounts and
 * chain head; the payments are written last.
 */

export interface ChargeItem {
  /** The payment as it stands before the charge: awaiting confirmation, not yet stored. */
  payment: PaymentRow;
  merchant: MerchantRow;
}

/** `completed`: moved within the allowance; `awaiting`: stored, waiting for the holder to confirm. */
export type ChargeOutcome = Result<{ completed: boolean }, PaymentError>;

export function createCharger(
  deps: PaymentsDeps & { passwordFree: PasswordFree },
  options: { maxBatchSize?: number } = {},
) {
  const { db, clock, ledger, passwordFree } = deps;

  async function chargeTogether(tx: Tx, items: readonly ChargeItem[]): Promise<ChargeOutcome[]> {
    const now = clock.now();
    const order = items.map((_, i) => i).sort((a, b) => (items[a].payment.user_id < items[b].payment.user_id ? -1 : 1));
    const taken: number[] = [];
    const awaiting: number[] = [];
    for (const index of order) {
      const { payment } = items[index];
      if (await passwordFree.take(tx, payment.user_id, payment.amount)) taken.push(index);
      else awaiting.push(index);
    }
    const outcomes: ChargeOutcome[] = new Array(items.length);
    // Last of the money work: the ledger holds the chain head until commit.
    const commands = taken.map((index) => paymentCommand(items[index].payment, items[index].merchant));
    const results = commands.length > 0 ? await ledger.execute(tx, commands) : [];
    const day = shanghaiDay(now);
    for (const [k, result] of results.entries()) {
      const { payment } = items[taken[k]];
      if (!result.ok) {
        await store.giveBackDailyUsage(tx, payment.user_id, day, 'password_free', payment.amount);
        outcomes[taken[k]] = err(result.error);
        continue;
      }
      assert(result.value.type === 'transfer', 'a transfer command answers with a transfer');
      const entryId = result.value.entry.id;
      await store.insertPayment(tx, {
        ...payment,
        password_free: true,
        status: 'completed',
        entry_id: entryId,
        completed_at: now,
      });
      outcomes[taken[k]] = ok({ completed: true });
    }
    for (const index of awaiting) {
      await store.insertPayment(tx, items[index].payment);
      outcomes[index] = ok({ completed: false });
    }
    return outcomes;
  }

  const queue = createGroupCommit<ChargeItem, ChargeOutcome>({
    name: 'payment_code_charges',
    run: (items) => db.transaction((tx) => chargeTogether(tx, items)),
    maxBatchSize: options.maxBatchSize ?? 64,
    maxConcurrentBatches: db.engine === 'postgres' ? 2 : 1,
    onFailure: 'split',
  });

  return { charge: (item: ChargeItem): Promise<ChargeOutcome> => queue.submit(item) };
}

export type Charger = ReturnType<typeof createCharger>;
