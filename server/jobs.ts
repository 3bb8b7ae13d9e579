import type { Services } from './app.js';
import { type Clock, shanghaiDay } from './platform/clock.js';
import type { Db } from './platform/db/types.js';
import { pruneIdempotencyKeys } from './platform/http/idempotency.js';
import type { JobDefinition } from './platform/jobs.js';

/** Every background job of every domain, in one list the worker runs. */
export function jobDefinitions(deps: { db: Db; clock: Clock; services: Services }): JobDefinition[] {
  return [
    {
      // Counts what the ledger posted into the insights rollups and raises budget alerts; every insights
      // read catches up too, so this only matters when nobody is looking.
      name: 'insights-catch-up',
      cron: '* * * * *',
      handler: async () => {
        await deps.services.insights.catchUp(100_000);
      },
    },
    {
      name: 'ledger-expire-holds',
      cron: '* * * * *',
      handler: async () => {
        // Bounded batches until nothing is left, so a backlog drains within one run.
        for (let round = 0; round < 50; round++) {
          if ((await deps.services.ledger.expireHolds(200)) === 0) break;
        }
      },
    },
    {
      name: 'transfers-expire',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 50; round++) {
          const ended =
            (await deps.services.transfers.expire(200)) + (await deps.services.transferRequests.expire(200));
          if (ended === 0) break;
        }
      },
    },
    {
      // Held payments nobody confirmed in time are voided; channels not yet told of a resolution are told again.
      name: 'risk-expire-holds',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 50; round++) {
          if ((await deps.services.risk.expireDue(100)) === 0) break;
        }
        await deps.services.risk.deliverPending(100);
      },
    },
    {
      // Real-name checks left in 'checking' (a crash, or no answer from the document check) run again.
      name: 'kyc-recheck-stuck',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 10; round++) {
          if ((await deps.services.kyc.recheckStuck(20)) === 0) break;
        }
      },
    },
    {
      name: 'payments-expire-unconfirmed',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if ((await deps.services.payments.payments.expire(500)) === 0) break;
        }
      },
    },
    {
      // Merchant staff names written before names were sealed at rest (migration 015) are sealed;
      // once none are left each run is one empty query.
      name: 'payments-seal-staff-names',
      cron: '*/10 * * * *',
      handler: async () => {
        for (let round = 0; round < 50; round++) {
          if ((await deps.services.payments.merchants.sealPlainStaffNames(200)) === 0) break;
        }
      },
    },
    {
      // 01:00 Asia/Shanghai: pay each merchant's settlement balance out to its bank account.
      name: 'payments-merchant-payouts',
      cron: '0 17 * * *',
      handler: async () => {
        await deps.services.payments.payouts.run();
      },
    },
    {
      // Card orders whose network answer never came are settled from the status query; unconfirmed withdrawals expire.
      name: 'wallet-check-card-orders',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if ((await deps.services.wallet.orders.checkPending(100)) === 0) break;
        }
      },
    },
    {
      // The card network sandbox delivers its due callbacks (a real network calls the HTTP route itself).
      name: 'wallet-sandbox-network-callbacks',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if (((await deps.services.wallet.sandbox?.deliverDueCallbacks(100)) ?? 0) === 0) break;
        }
      },
    },
    {
      // 02:30 Asia/Shanghai: reconcile yesterday's settlement file with the clearing account.
      name: 'wallet-reconcile-card-network',
      cron: '30 18 * * *',
      handler: async () => {
        const yesterday = shanghaiDay(new Date(deps.clock.now().getTime() - 24 * 3600_000));
        await deps.services.wallet.reconciliation.run(yesterday);
      },
    },
    {
      // 10:00 Asia/Shanghai: remind holders whose password is older than the configured period (never forced).
      name: 'identity-password-reminders',
      cron: '0 2 * * *',
      handler: async () => {
        for (let round = 0; round < 100; round++) {
          if ((await deps.services.identity.remindOldPasswords()) === 0) break;
        }
      },
    },
    {
      // Spent and expired WebAuthn challenges are kept an hour, then deleted.
      name: 'identity-prune-webauthn-challenges',
      cron: '41 * * * *',
      handler: async () => {
        for (let round = 0; round < 100; round++) {
          if ((await deps.services.identity.passkeys.pruneChallenges()) === 0) break;
        }
      },
    },
    {
      // Holders whose documents were approved and who have since linked a same-name card become verified.
      name: 'kyc-complete-card-verification',
      cron: '*/5 * * * *',
      handler: async () => {
        await deps.services.kyc.completeCardVerifications(200);
      },
    },
    {
      // Bill payments whose biller answer never came are settled from the status query; unconfirmed ones expire.
      name: 'bills-check-payments',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if ((await deps.services.bills.paying.checkPending(100)) === 0) break;
        }
      },
    },
    {
      // The bill network sandbox delivers its billers' due confirmations (a real network pushes them itself).
      name: 'bills-sandbox-confirmations',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if (((await deps.services.bills.sandbox?.deliverDueConfirmations(100)) ?? 0) === 0) break;
        }
      },
    },
    {
      // 00:05 Asia/Shanghai: the sandbox's billers issue last month's bill to every account that has none yet
      // (only the first run of a month finds any).
      name: 'bills-sandbox-issue-monthly',
      cron: '5 16 * * *',
      handler: async () => {
        await deps.services.bills.sandbox?.issueMonthlyBills();
      },
    },
    {
      // Savings: the fund company's figures, each day's income in order, ordinary redemptions arriving,
      // deposits maturing. Every step pays once however often it runs, so it runs often.
      name: 'savings-daily',
      cron: '*/10 * * * *',
      handler: async () => {
        await deps.services.savings.runDaily();
      },
    },
    {
      // Credit: accrual, our-own-fault due-date moves, auto-repay, reminders (not 22:00-08:00), notices
      // before reporting, reports, card statements and interest. Each step happens once a day however often
      // it runs (unique references and notices), so it runs hourly.
      name: 'credit-daily',
      cron: '7 * * * *',
      handler: async () => {
        await deps.services.credit.runDaily();
      },
    },
    {
      // Credit: bureau corrections the bureau did not take, tried again when due (backoff, bureau-retries.ts).
      name: 'credit-bureau-retries',
      cron: '*/5 * * * *',
      handler: async () => {
        await deps.services.credit.retries.run();
      },
    },
    {
      // Savings orders nobody confirmed, and reviews staff left undecided past their window.
      name: 'savings-expire-orders',
      cron: '* * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if ((await deps.services.savings.orders.expire(200)) === 0) break;
        }
      },
    },
    {
      // 06:00 Asia/Shanghai: ask the billers about every saved account (new bills), then plan their reminders.
      name: 'bills-refresh-and-plan',
      cron: '0 22 * * *',
      handler: async () => {
        await deps.services.bills.reminders.refreshSaved();
        await deps.services.bills.reminders.plan();
      },
    },
    {
      // Reminders that are due go out, except between 22:00 and 08:00 Asia/Shanghai (they wait until 08:00).
      name: 'bills-send-reminders',
      cron: '*/5 * * * *',
      handler: async () => {
        for (let round = 0; round < 20; round++) {
          if ((await deps.services.bills.reminders.send(200)) === 0) break;
        }
      },
    },
    {
      // Autopay, 08:00-22:00 Asia/Shanghai: pays what mandates cover, retries what failed through Tongbao's fault.
      name: 'bills-autopay',
      cron: '*/10 0-13 * * *',
      handler: async () => {
        await deps.services.bills.autopay.run();
      },
    },
    {
      // 03:00 Asia/Shanghai: reconcile yesterday's bill payments with each biller's settlement file.
      name: 'bills-reconcile',
      cron: '0 19 * * *',
      handler: async () => {
        const yesterday = shanghaiDay(new Date(deps.clock.now().getTime() - 24 * 3600_000));
        await deps.services.bills.reconciliation.run(yesterday);
      },
    },
    {
      // Merchant API webhooks: new events fanned out to their endpoints, due deliveries sent (retries on a
      // backoff of about three days). Woken at once after a commit that recorded events; every minute besides.
      name: 'merchant-api-webhooks',
      cron: '* * * * *',
      retryLimit: 0,
      handler: async () => {
        await deps.services.merchantApi.webhooks.runDue();
      },
    },
    {
      name: 'platform-prune-idempotency-keys',
      cron: '17 * * * *',
      handler: async () => {
        for (let round = 0; round < 100; round++) {
          if ((await pruneIdempotencyKeys(deps.db, deps.clock.now())) === 0) break;
        }
      },
    },
    {
      // Throttle counters of windows that have ended count nothing any more.
      name: 'platform-prune-throttle-counters',
      cron: '23 * * * *',
      handler: async () => {
        for (let round = 0; round < 100; round++) {
          if ((await deps.services.identity.throttle.prune()) === 0) break;
        }
      },
    },
  ];
}
