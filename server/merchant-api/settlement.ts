import { shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';
import type { MerchantApiDeps } from './deps.js';
import * as mandateStore from './store-mandates.js';
import type { SettlementSource } from './settlement-types.js';
import type { ApiCaller } from './types.js';

/**
 * The daily settlement file (对账单): a merchant's payments and refunds of one Beijing-time day as
 * CSV, one line each (amount, fee, net), then a total line. Live: what the payments domain recorded,
 * which is what moved on the merchant's settlement account in the ledger (a payment credits it, a
 * refund debits it), so the totals equal those movements. Test mode: the test orders paid, their
 * refunds and test mandate charges, none of which moved money. Tongbao charges merchants no fee
 * today: the fee column is there, and zero.
 */

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** A settlement file lists at most this many lines (a day of a very busy shop is cut here, and says so). */
export const SETTLEMENT_MAX_LINES = 50_000;

interface Line {
  type: 'payment' | 'refund';
  id: string;
  paymentId: string;
  at: Date;
  source: string;
  reference: string;
  amount: bigint;
  fee: bigint;
}

export interface Settlement {
  day: string;
  payments: number;
  refunds: number;
  grossFen: bigint;
  refundedFen: bigint;
  feesFen: bigint;
  netFen: bigint;
  truncated: boolean;
  csv: string;
}

const yuan = (fen: bigint) => {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};
// Spreadsheet formula injection and separators: quote, and defuse a leading = + - @.
const cell = (value: string) =>
  /[",\n\r]/.test(value) || /^[=+\-@]/.test(value)
    ? `"${(/^[=+\-@]/.test(value) ? `'${value}` : value).replaceAll('"', '""')}"`
    : value;

export const DAY_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';

export function createSettlements(deps: MerchantApiDeps & { settlement: SettlementSource }) {
  const { db, clock, settlement } = deps;

  async function liveLines(merchantId: string, from: Date, to: Date): Promise<{ lines: Line[]; truncated: boolean }> {
    const lines: Line[] = [];
    let since = { at: new Date(from.getTime() - 1), id: '\uffff' };
    for (;;) {
      const rows = await settlement.completedSince(merchantId, since);
      const inDay = rows.filter((row) => (row.completed_at as Date) < to);
      for (const row of inDay)
        lines.push({
          type: 'payment',
          id: row.id,
          paymentId: row.id,
          at: row.completed_at as Date,
          source: row.source,
          reference: row.order_reference ?? '',
          amount: row.amount,
          fee: 0n,
        });
      if (rows.length === 0 || inDay.length < rows.length || lines.length > SETTLEMENT_MAX_LINES) break;
      since = { at: rows[rows.length - 1].completed_at as Date, id: rows[rows.length - 1].id };
    }
    since = { at: new Date(from.getTime() - 1), id: '\uffff' };
    for (;;) {
      const rows = await settlement.refundsSince(merchantId, since);
      const inDay = rows.filter((row) => row.created_at < to);
      for (const row of inDay)
        lines.push({
          type: 'refund',
          id: row.id,
          paymentId: row.payment_id,
          at: row.created_at,
          source: '',
          reference: '',
          amount: -row.amount,
          fee: 0n,
        });
      if (rows.length === 0 || inDay.length < rows.length || lines.length > SETTLEMENT_MAX_LINES) break;
      since = { at: rows[rows.length - 1].created_at, id: rows[rows.length - 1].id };
    }
    return { lines, truncated: lines.length > SETTLEMENT_MAX_LINES };
  }

  return {
    /** The settlement of `day` (YYYY-MM-DD, Beijing time, today or earlier) for the caller's merchant and mode. */
    async forDay(
      caller: ApiCaller,
      day: string,
    ): Promise<Result<Settlement, { code: 'MERCHANT_API_SETTLEMENT_DAY_INVALID' }>> {
      const from = new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
      if (Number.isNaN(from.getTime()) || shanghaiDay(from) !== day || day > shanghaiDay(clock.now()))
        return err({ code: 'MERCHANT_API_SETTLEMENT_DAY_INVALID' });
      const to = new Date(from.getTime() + DAY_MS);
      let lines: Line[];
      let truncated = false;
      if (caller.mode === 'live') ({ lines, truncated } = await liveLines(caller.merchantId, from, to));
      else
        lines = (await mandateStore.testMovements(db, caller.merchantId, from, to)).map((row) => ({
          type: row.kind,
          id: row.id,
          paymentId: row.paymentId,
          at: row.at,
          source: row.source,
          reference: row.reference,
          amount: row.kind === 'refund' ? -row.amount : row.amount,
          fee: 0n,
        }));
      lines = lines
        .slice(0, SETTLEMENT_MAX_LINES)
        .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : 1));
      const out = ['type,id,payment_id,time,source,reference,amount_yuan,fee_yuan,net_yuan'];
      let gross = 0n;
      let refunded = 0n;
      let fees = 0n;
      for (const line of lines) {
        if (line.type === 'payment') gross += line.amount;
        else refunded -= line.amount;
        fees += line.fee;
        out.push(
          [
            line.type,
            line.id,
            line.paymentId,
            line.at.toISOString(),
            line.source,
            cell(line.reference),
            yuan(line.amount),
            yuan(line.fee),
            yuan(line.amount - line.fee),
          ].join(','),
        );
      }
      const net = gross - refunded - fees;
      out.push(
        ['total', truncated ? 'truncated' : '', '', day, '', '', yuan(gross - refunded), yuan(fees), yuan(net)].join(
          ',',
        ),
      );
      const payments = lines.filter((line) => line.type === 'payment').length;
      return ok({
        day,
        payments,
        refunds: lines.length - payments,
        grossFen: gross,
        refundedFen: refunded,
        feesFen: fees,
        netFen: net,
        truncated,
        csv: `${out.join('\r\n')}\r\n`,
      });
    },
  };
}

export type Settlements = ReturnType<typeof createSettlements>;
