import { describe, expect, it } from 'vitest';
import { BIN_TABLE, luhnValid, lookupCard, sandboxCardNumber } from './bin-table.js';
import { signCallback, verifyCallbackSignature } from './card-network.js';
import { sandboxPlan } from './card-network-sandbox.js';
import { addDays, parseDay, shanghaiDayBounds } from './days.js';
import { decodeCursor, encodeCursor, itemFromEntry } from './history.js';
import { statementCsv, statementPeriod, yuan } from './statements.js';

describe('card numbers', () => {
  it('every sandbox BIN makes valid numbers of its length that find their bank', () => {
    for (const entry of BIN_TABLE) {
      const number = sandboxCardNumber(entry.bin, '0002', 7);
      expect(luhnValid(number)).toBe(true);
      expect(number).toHaveLength(entry.lengths[0]);
      const found = lookupCard(number);
      expect(found.ok && found.bank.code).toBe(entry.bankCode);
    }
    expect(lookupCard('622202123456789012').ok).toBe(false);
  });
});

describe('callback signatures', () => {
  it('match the Stripe scheme (domain-rules.md §5 example) and refuse stale or forged ones', () => {
    const body = '{"id":"evt_001","type":"transfer.posted","amount":8850,"currency":"CNY"}';
    const header = signCallback('whsec_test_secret', body, new Date(1_700_000_000_000));
    expect(header).toBe('t=1700000000,v1=a6bcfa84849bd9909a21fe4d933342952c44e84b369030acb9e1f9f140871403');
    expect(verifyCallbackSignature('whsec_test_secret', body, header, new Date(1_700_000_100_000))).toBe(true);
    expect(verifyCallbackSignature('whsec_test_secret', body, header, new Date(1_700_000_400_000))).toBe(false);
    expect(verifyCallbackSignature('other', body, header, new Date(1_700_000_100_000))).toBe(false);
    expect(verifyCallbackSignature('whsec_test_secret', `${body} `, header, new Date(1_700_000_100_000))).toBe(false);
    expect(verifyCallbackSignature('whsec_test_secret', body, undefined, new Date())).toBe(false);
  });
});

describe('sandbox plans', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  it('choose behaviour by card suffix and the fen of the amount', () => {
    expect(sandboxPlan('charge', '1234', 10_000n, 'realtime', now)).toMatchObject({
      sync: 'succeeded',
      callbacksAfterMs: [5_000],
    });
    expect(sandboxPlan('charge', '0004', 10_000n, 'realtime', now)).toMatchObject({
      sync: 'failed',
      reason: 'BANK_INSUFFICIENT_FUNDS',
    });
    expect(sandboxPlan('payout', '0004', 10_000n, 'realtime', now).sync).toBe('succeeded');
    expect(sandboxPlan('payout', '1234', 10_051n, 'realtime', now)).toMatchObject({
      sync: 'failed',
      reason: 'CARD_BLOCKED',
    });
    expect(sandboxPlan('charge', '1234', 10_061n, 'realtime', now)).toMatchObject({
      sync: 'timeout',
      final: 'succeeded',
    });
    expect(sandboxPlan('charge', '1234', 10_068n, 'realtime', now)).toMatchObject({ sync: 'timeout', visible: false });
    expect(sandboxPlan('payout', '1234', 10_000n, 'within_2h', now)).toMatchObject({
      sync: 'processing',
      completesAfterMs: 7_200_000,
    });
    // Next day: 09:00 Asia/Shanghai on the 24th is 01:00 UTC.
    expect(sandboxPlan('payout', '1234', 10_000n, 'next_day', now).completesAfterMs).toBe(
      Date.parse('2026-11-24T01:00:00Z') - now.getTime(),
    );
  });
});

describe('days, periods, cursors, CSV', () => {
  it('use Asia/Shanghai days', () => {
    expect(shanghaiDayBounds(new Date('2026-11-23T16:30:00Z')).start.toISOString()).toBe('2026-11-23T16:00:00.000Z');
    expect(parseDay('2026-02-29')).toBeNull();
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    const february = statementPeriod({ month: '2028-02' }, '2028-03-10');
    expect(february.ok && [february.value.fromDay, february.value.toDay]).toEqual(['2028-02-01', '2028-02-29']);
    const december = statementPeriod({ month: '2026-12' }, '2027-01-05');
    expect(december.ok && december.value.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('round-trips cursors and refuses tampered ones', () => {
    const cursor = { seq: '42', ledgerDone: false, orderAt: '2026-11-23T02:00:00.000Z', orderId: 'top_x' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(
      decodeCursor(
        Buffer.from('{"seq":"1; DROP","ledgerDone":false,"orderAt":null,"orderId":null}').toString('base64url'),
      ),
    ).toBeNull();
    expect(decodeCursor('%%%')).toBeNull();
  });

  it('writes amounts in yuan and defuses spreadsheet formulas', () => {
    expect([yuan(8850n), yuan(-5n), yuan(0n)]).toEqual(['88.50', '-0.05', '0.00']);
    const csv = statementCsv({
      holderName: '张三',
      accountId: 'acc_1',
      currency: 'CNY',
      fromDay: '2026-11-01',
      toDay: '2026-11-30',
      openingFen: 0n,
      closingFen: 100n,
      totalInFen: 100n,
      totalOutFen: 0n,
      generatedAt: new Date(),
      lines: [
        {
          id: 'ent_1',
          type: 'p2p',
          direction: 'in',
          amountFen: 100n,
          currency: 'CNY',
          counterparty: '=HYPERLINK("x")',
          status: 'succeeded',
          time: new Date('2026-11-02T00:00:00Z'),
          reference: 'r,1',
          transactionNo: '2026110110000000000000000001',
          note: null,
          balanceAfterFen: 100n,
        },
      ],
    });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('"r,1"');
    expect(csv).toContain('2026-11-02 08:00:00');
  });
});

describe('history items', () => {
  it('show each wallet the other side of a shared entry', () => {
    const entry = {
      id: 'ent_1',
      seq: 1n,
      reference: 'p2p:1',
      kind: 'transfer' as const,
      currency: 'CNY' as const,
      holdId: null,
      reversesEntryId: null,
      createdAt: new Date(),
      prevHash: '',
      hash: '',
      postings: [
        { accountId: 'acc_payer', amountFen: -500n },
        { accountId: 'acc_payee', amountFen: 500n },
      ],
      metadata: {
        kind: 'p2p',
        ref: 'trf_1',
        counterparty: '*三 → *四',
        counterpartyOut: '*四 138****0002',
        counterpartyIn: '*三 137****0001',
      },
    };
    expect(itemFromEntry(entry, 'acc_payer')).toMatchObject({
      amountFen: -500n,
      direction: 'out',
      counterparty: '*四 138****0002',
      reference: 'trf_1',
      type: 'p2p',
    });
    expect(itemFromEntry(entry, 'acc_payee')).toMatchObject({
      amountFen: 500n,
      direction: 'in',
      counterparty: '*三 137****0001',
    });
    expect(itemFromEntry(entry, 'acc_other')).toBeNull();
    expect(itemFromEntry({ ...entry, metadata: { counterparty: 'x' } }, 'acc_payer')).toMatchObject({
      counterparty: 'x',
      type: 'other',
      reference: 'p2p:1',
    });
  });
});
