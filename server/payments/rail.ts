import { type Result, err, ok } from '../platform/result.js';

/**
 * Where merchant payouts leave the bank: the card network / interbank transfer rail. An adapter
 * behind this interface; `send` must be idempotent by `payoutId`, since a job re-sends payouts
 * left pending by a crash.
 */
export interface PayoutRail {
  send(payout: {
    payoutId: string;
    merchantId: string;
    amountFen: bigint;
    bankName: string;
    accountNumber: string;
  }): Promise<Result<{ railReference: string }, { code: 'DECLINED' | 'UNAVAILABLE'; message: string }>>;
}

/**
 * The sandbox rail: answers after a realistic latency and accepts every payout, except the
 * documented magic account numbers: one ending `0000` is declined (account closed), one ending
 * `9999` is unavailable (try again later). The same payout id always gets the same answer.
 */
export function createSandboxPayoutRail(options: { latencyMs?: number } = {}): PayoutRail {
  const latencyMs = options.latencyMs ?? 80;
  return {
    async send(payout) {
      await new Promise((done) => setTimeout(done, latencyMs * (0.5 + Math.random())));
      if (payout.accountNumber.endsWith('0000'))
        return err({ code: 'DECLINED', message: 'sandbox: the receiving account is closed' });
      if (payout.accountNumber.endsWith('9999'))
        return err({ code: 'UNAVAILABLE', message: 'sandbox: the rail is unavailable' });
      return ok({ railReference: `sbx_${payout.payoutId}` });
    },
  };
}
