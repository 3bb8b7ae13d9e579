import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/types.js';
import { fenToJson } from '../platform/money.js';
import {
  type CreditTransferNotice,
  type InterbankNetwork,
  InterbankUnavailable,
  ONLINE_BANKS,
  type OnlineBankingNotice,
  type PaymentStatus,
  signNotification,
} from './network.js';
import * as store from './store-sandbox.js';

/**
 * The interbank network sandbox (development and tests; never in production): its state is in the
 * database, its bank pages are served by this server at /sandbox/interbank/pay/<ref>, and it signs
 * its notifications with the shared secret and hands them to the same handler the HTTP route uses.
 * Misbehaviour on request: transfers delivered twice or late, payments notified twice or never
 * (only the status query finds them), and the whole network down.
 */

export type TransferBehaviour = 'normal' | 'duplicate' | 'late';
/** How long a 'late' transfer takes to arrive. */
export const LATE_DELIVERY_MS = 10 * 60_000;

export interface SendTransferInput {
  accountNumber: string;
  payerName: string;
  payerBank: string;
  payerAccount: string;
  amountFen: bigint;
  behaviour: TransferBehaviour;
}

type Receiver = (rawBody: string, signature: string) => Promise<unknown>;

export function createInterbankSandbox(deps: { db: Db; clock: Clock; secret: string }) {
  let receiver: Receiver | null = null;
  let down = false;
  const ref = (prefix: string) => `${prefix}${deps.clock.now().getTime()}${randomBytes(5).toString('hex')}`;

  async function deliver(notice: CreditTransferNotice | OnlineBankingNotice): Promise<unknown> {
    if (!receiver) throw new Error('interbank sandbox: no receiver');
    const body = JSON.stringify(notice);
    return receiver(body, signNotification(deps.secret, body, deps.clock.now()));
  }

  function bankNameOf(code: string): string {
    return ONLINE_BANKS.find((bank) => bank.code === code)?.nameZh ?? code;
  }

  /** Delivers due transfers; duplicates are delivered at the same time, racing each other. */
  async function deliverDue(limit: number, networkRef?: string): Promise<unknown[]> {
    if (down) return [];
    const due = await store.takeDueDeliveries(deps.db, deps.clock.now(), limit, networkRef);
    const answers: unknown[] = [];
    for (const row of due) {
      const notice = (): CreditTransferNotice => ({
        kind: 'credit_transfer',
        notificationId: ref('ntf'),
        networkRef: row.network_ref,
        accountNumber: row.account_number,
        payerName: row.payer_name,
        payerBank: row.payer_bank,
        payerBankName: bankNameOf(row.payer_bank),
        payerAccount: row.payer_account,
        amountFen: fenToJson(BigInt(row.amount)),
        currency: row.currency,
      });
      answers.push(...(await Promise.all(Array.from({ length: row.copies }, () => deliver(notice())))));
    }
    return answers;
  }

  const network: InterbankNetwork = {
    async startPayment(request) {
      if (down) throw new InterbankUnavailable('sandbox: the network is down');
      const row = await store.insertPayment(deps.db, {
        network_ref: ref('ibp'),
        request_id: request.requestId,
        bank_code: request.bankCode,
        amount: String(request.amountFen),
        currency: request.currency,
        return_url: request.returnUrl,
        status: 'created',
        created_at: deps.clock.now(),
      });
      return { networkRef: row.network_ref, redirectUrl: `/sandbox/interbank/pay/${row.network_ref}` };
    },
    async queryPayment(requestId): Promise<PaymentStatus> {
      if (down) throw new InterbankUnavailable('sandbox: the network is down');
      const row = await store.paymentByRequest(deps.db, requestId);
      if (!row) return { status: 'not_found' };
      if (row.status === 'paid') return { status: 'paid', networkRef: row.network_ref, amountFen: BigInt(row.amount) };
      return { status: row.status };
    },
    async returnTransfer(request) {
      if (down) throw new InterbankUnavailable('sandbox: the network is down');
      if (!(await store.markReturned(deps.db, request.networkRef, request.reason)))
        throw new Error(`sandbox: no transfer ${request.networkRef} to return`);
    },
  };

  return {
    network,
    setReceiver(next: Receiver) {
      receiver = next;
    },
    /** Network down: nothing is started, queried, returned or delivered until it is back. */
    setDown(value: boolean) {
      down = value;
    },
    isDown: () => down,

    /** Another bank sends a transfer to a receiving account number; 'normal' and 'duplicate' arrive at once. */
    async sendTransfer(input: SendTransferInput): Promise<{ networkRef: string; answers: unknown[] }> {
      if (down) throw new InterbankUnavailable('sandbox: the network is down');
      const now = deps.clock.now();
      const networkRef = ref('ibt');
      await store.insertTransfer(deps.db, {
        network_ref: networkRef,
        account_number: input.accountNumber,
        payer_name: input.payerName,
        payer_bank: input.payerBank,
        payer_account: input.payerAccount,
        amount: String(input.amountFen),
        currency: 'CNY',
        status: 'sent',
        return_reason: null,
        created_at: now,
        deliver_at: input.behaviour === 'late' ? new Date(now.getTime() + LATE_DELIVERY_MS) : now,
        deliveries_left: input.behaviour === 'duplicate' ? 2 : 1,
      });
      const answers = input.behaviour === 'late' ? [] : await deliverDue(1, networkRef);
      return { networkRef, answers };
    },
    deliverDue,
    /** The transfers other banks sent, newest first (the dev page shows which were returned). */
    transfers: (limit = 20) => store.transfersTo(deps.db, limit),
    payment: (networkRef: string) => store.paymentByRef(deps.db, networkRef),

    /** The holder pays (or cancels) at the sandbox bank's page; answers where to send them back. */
    async decide(
      networkRef: string,
      action: 'pay' | 'cancel',
      notify: 'once' | 'twice' | 'never',
    ): Promise<{ returnTo: string } | null> {
      const decided = await store.decidePayment(
        deps.db,
        networkRef,
        action === 'pay' ? 'paid' : 'cancelled',
        notify,
        deps.clock.now(),
      );
      const row = decided ?? (await store.paymentByRef(deps.db, networkRef));
      if (!row) return null;
      if (decided && !down && notify !== 'never') {
        const notice = (): OnlineBankingNotice => ({
          kind: 'online_banking_payment',
          notificationId: ref('ntf'),
          requestId: row.request_id,
          networkRef: row.network_ref,
          status: row.status === 'paid' ? 'paid' : 'cancelled',
          amountFen: fenToJson(BigInt(row.amount)),
          currency: row.currency,
        });
        await Promise.all(Array.from({ length: notify === 'twice' ? 2 : 1 }, () => deliver(notice())));
      }
      // The bank sends the holder back to the wallet on this same server: the path is enough.
      const back = new URL(row.return_url, 'http://sandbox.invalid');
      return { returnTo: `${back.pathname}${back.search}` };
    },
  };
}

export type InterbankSandbox = ReturnType<typeof createInterbankSandbox>;
