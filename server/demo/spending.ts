import type { Logger } from 'pino';
import type { Services } from '../app.js';
import { sampleSpending } from '../insights/sample-spending.js';
import { createLedgerService } from '../ledger/service.js';
import type { LedgerCommand } from '../ledger/types.js';
import { shanghaiDay } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';

/**
 * A year of believable spending for the demo holders (server/insights/sample-spending.ts), so the
 * insights pages have months to show on a fresh clone. The movements are posted through the ledger at
 * their own past days: a ledger service whose clock is moved to each day, one batch per day for every
 * holder together (the ledger stamps a batch once, so a day's movements share its evening time, and a
 * batch costs the same however many movements it holds), in one transaction. The other side of every
 * movement is one demo clearing account standing for the shops, the employer and the bank card, which
 * exist only in the sample. The year ends with last month; a last transfer to the holder's card takes back
 * what the year added, so the demo top-up that follows leaves the wallet under the basic tier's balance
 * cap, and the pace keeps a year's outflow under its yearly limit (the ledger counts this usage too).
 * A holder whose first sample movement is already there is skipped.
 */

/** By default, the twelve whole months before the current one. */
export const DEMO_SPENDING_MONTHS = 12;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface DemoSpender {
  index: number;
  phone: string;
  walletAccountId: string;
}

function walletNet(command: LedgerCommand, walletAccountId: string): bigint {
  if (command.type !== 'transfer') return 0n;
  return command.legs.reduce(
    (sum, leg) =>
      sum +
      (leg.creditAccountId === walletAccountId ? leg.amountFen : 0n) -
      (leg.debitAccountId === walletAccountId ? leg.amountFen : 0n),
    0n,
  );
}

export async function ensureSpendingHistory(input: {
  services: Services;
  db: Db;
  holders: DemoSpender[];
  months?: number;
  logger?: Logger;
}): Promise<void> {
  const { services, db } = input;
  const prefixOf = (holder: DemoSpender) => `demo:spend:${holder.phone}:`;
  const pending: DemoSpender[] = [];
  for (const holder of input.holders)
    if (!(await services.ledger.getEntryByReference(`${prefixOf(holder)}1`))) pending.push(holder);
  if (pending.length === 0) return;
  const owner = 'demo:outside-world';
  const [existing] = await services.ledger.accountsOwnedBy(owner);
  const world =
    existing?.id ??
    (await services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY', ownerRef: owner })).id;
  // Midnight in Shanghai on the first of this month and `months` months before, as UTC instants: the
  // current month is left to what the demo holder does now.
  const thisMonth = shanghaiDay(new Date()).slice(0, 7);
  const [year, month] = thisMonth.split('-').map(Number);
  const end = Date.UTC(year, month - 1, 1) - SHANGHAI_OFFSET_MS;
  const start = Date.UTC(year, month - 1 - (input.months ?? DEMO_SPENDING_MONTHS), 1) - SHANGHAI_OFFSET_MS;
  const dayCount = Math.round((end - start) / DAY_MS);
  const dayOf = (dayIndex: number) => shanghaiDay(new Date(start + dayIndex * DAY_MS + 12 * 3_600_000));

  const days: LedgerCommand[][] = Array.from({ length: dayCount }, () => []);
  const opening = new Map<string, bigint>();
  for (const holder of pending) {
    opening.set(holder.walletAccountId, (await services.ledger.getAccount(holder.walletAccountId))?.balanceFen ?? 0n);
    const movements = sampleSpending({
      seed: 20 + holder.index,
      days: dayCount,
      dayOf,
      pace: 0.3,
      surplusFen: 30_000n,
      refPrefix: `dsp${holder.index}_`,
    });
    movements.forEach((movement, i) => {
      const wallet = holder.walletAccountId;
      const legs =
        movement.amountFen < 0n
          ? [{ debitAccountId: wallet, creditAccountId: world, amountFen: -movement.amountFen }]
          : [{ debitAccountId: world, creditAccountId: wallet, amountFen: movement.amountFen }];
      days[movement.dayIndex].push({
        type: 'transfer',
        reference: `${prefixOf(holder)}${i + 1}`,
        currency: 'CNY',
        legs,
        metadata: movement.metadata,
        limitExempt: true,
      });
    });
  }

  let clockAt = start;
  const past = createLedgerService({ db, clock: { now: () => new Date(clockAt) } });
  let refused = 0;
  try {
    await db.transaction(async (tx) => {
      const balances = new Map(opening);
      for (const [dayIndex, commands] of days.entries()) {
        if (commands.length === 0) continue;
        clockAt = start + dayIndex * DAY_MS + (19 * 60 + (dayIndex % 50)) * 60_000;
        const outcomes = await past.execute(tx, commands);
        outcomes.forEach((outcome, i) => {
          if (!outcome.ok) return void refused++;
          for (const [wallet, balance] of balances) balances.set(wallet, balance + walletNet(commands[i], wallet));
        });
      }
      // Only what the history added goes to the card: an older demo's balance stays.
      clockAt = end - 20 * 60_000;
      const sweeps: LedgerCommand[] = pending.flatMap((holder) => {
        const wallet = holder.walletAccountId;
        const addedFen = (balances.get(wallet) ?? 0n) - (opening.get(wallet) ?? 0n);
        if (addedFen <= 0n) return [];
        const reference = `${prefixOf(holder)}sweep`;
        return [
          {
            type: 'transfer' as const,
            reference,
            currency: 'CNY' as const,
            legs: [{ debitAccountId: wallet, creditAccountId: world, amountFen: addedFen }],
            metadata: { kind: 'withdraw', counterparty: '招商银行 **** 8888', ref: reference, note: '转出到银行卡' },
            limitExempt: true,
          },
        ];
      });
      if (sweeps.length > 0) for (const outcome of await past.execute(tx, sweeps)) if (!outcome.ok) refused++;
    });
  } finally {
    await past.close();
  }
  if (refused > 0) input.logger?.warn({ refused }, 'demo spending: some movements refused');
}
