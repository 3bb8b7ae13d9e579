import type { LedgerService } from '../server/ledger/service.js';
import type { AccountLimits } from '../server/ledger/types.js';

/** A bank clearing account and N funded customer wallets. */
export async function fundedWallets(ledger: LedgerService, count: number, eachFen: bigint, limits: AccountLimits = {}) {
  const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
  const wallets = [];
  for (let i = 0; i < count; i++) {
    const wallet = await ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY', limits });
    if (eachFen > 0n) {
      const funded = await ledger.transfer({
        reference: `fund:${wallet.id}`,
        currency: 'CNY',
        legs: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amountFen: eachFen }],
        limitExempt: true,
      });
      if (!funded.ok) throw new Error(`funding failed: ${funded.error.code}`);
    }
    wallets.push(wallet);
  }
  return { bank, wallets };
}

/** A small deterministic PRNG so failures can be replayed from their seed. */
export function prng(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}
