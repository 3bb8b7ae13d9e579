import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { type Result, err, ok } from '../platform/result.js';
import type { WalletContext } from './deps.js';
import { parseDay } from './days.js';
import { type HistoryItem, itemFromEntry } from './history.js';

/**
 * Statements for a month or a range of Asia/Shanghai days, as CSV or PDF. The opening balance is
 * the current balance minus everything posted since the period began, read under a check that
 * the account did not change meanwhile, so opening + movements = closing, to the fen.
 */

export const MAX_STATEMENT_DAYS = 366;
export const MAX_STATEMENT_ENTRIES = 50_000;
const FONT_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../assets/fonts/SourceHanSansSC-Regular-subset.otf',
);
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export interface StatementLine extends HistoryItem {
  balanceAfterFen: bigint;
}

export interface Statement {
  holderName: string;
  accountId: string;
  currency: string;
  fromDay: string;
  toDay: string;
  openingFen: bigint;
  closingFen: bigint;
  totalInFen: bigint;
  totalOutFen: bigint;
  lines: StatementLine[];
  generatedAt: Date;
}

export type StatementError =
  | { code: 'INVALID_DATE_RANGE'; reason: string }
  | { code: 'STATEMENT_TOO_LARGE'; limit: number }
  | { code: 'UNAUTHENTICATED' };

/** `month` (YYYY-MM) or `from`..`to` (YYYY-MM-DD, both included) → the period's days. */
export function statementPeriod(
  input: { month?: string; from?: string; to?: string },
  today: string,
): Result<{ fromDay: string; toDay: string; start: Date; end: Date }, StatementError> {
  let fromDay: string;
  let toDay: string;
  if (input.month !== undefined) {
    if (input.from !== undefined || input.to !== undefined)
      return err({ code: 'INVALID_DATE_RANGE', reason: 'give a month or a from/to range, not both' });
    const match = /^(\d{4})-(\d{2})$/.exec(input.month);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12)
      return err({ code: 'INVALID_DATE_RANGE', reason: 'month must be YYYY-MM' });
    fromDay = `${input.month}-01`;
    const next =
      Number(match[2]) === 12
        ? `${Number(match[1]) + 1}-01-01`
        : `${match[1]}-${String(Number(match[2]) + 1).padStart(2, '0')}-01`;
    toDay = new Date(new Date(`${next}T00:00:00+08:00`).getTime() - 1 + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  } else {
    if (input.from === undefined || input.to === undefined)
      return err({ code: 'INVALID_DATE_RANGE', reason: 'give a month or both from and to' });
    fromDay = input.from;
    toDay = input.to;
  }
  const start = parseDay(fromDay);
  const last = parseDay(toDay);
  if (!start || !last) return err({ code: 'INVALID_DATE_RANGE', reason: 'days must be real dates written YYYY-MM-DD' });
  if (last < start) return err({ code: 'INVALID_DATE_RANGE', reason: 'to is before from' });
  if (fromDay > today) return err({ code: 'INVALID_DATE_RANGE', reason: 'the period starts in the future' });
  const end = new Date(last.getTime() + 24 * 3600_000);
  if ((end.getTime() - start.getTime()) / (24 * 3600_000) > MAX_STATEMENT_DAYS)
    return err({ code: 'INVALID_DATE_RANGE', reason: `at most ${MAX_STATEMENT_DAYS} days` });
  return ok({ fromDay, toDay, start, end });
}

export function createStatements(ctx: WalletContext) {
  const { ledger } = ctx;

  return {
    async build(
      userId: string,
      input: { month?: string; from?: string; to?: string },
    ): Promise<Result<Statement, StatementError>> {
      const holder = await ctx.identity.verifiedIdentity(userId);
      if (!holder) return err({ code: 'UNAUTHENTICATED' });
      const now = ctx.clock.now();
      const period = statementPeriod(input, new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10));
      if (!period.ok) return period;
      const { start, end } = period.value;
      for (let attempt = 0; attempt < 5; attempt++) {
        const before = await ledger.getAccount(holder.walletAccountId);
        if (!before) return err({ code: 'UNAUTHENTICATED' });
        let afterPeriodFen = 0n;
        const items: HistoryItem[] = [];
        let seq: bigint | undefined;
        let scanned = 0;
        let done = false;
        while (!done) {
          if (scanned >= MAX_STATEMENT_ENTRIES)
            return err({ code: 'STATEMENT_TOO_LARGE', limit: MAX_STATEMENT_ENTRIES });
          const page = await ledger.listEntries(holder.walletAccountId, { beforeSeq: seq, limit: 100 });
          scanned += page.length;
          if (page.length < 100) done = true;
          for (const entry of page) {
            if (entry.createdAt < start) {
              done = true;
              break;
            }
            const item = itemFromEntry(entry, holder.walletAccountId);
            if (!item) continue;
            if (entry.createdAt >= end) afterPeriodFen += item.amountFen;
            else items.push(item);
          }
          if (page.length > 0) seq = page[page.length - 1].seq;
        }
        const after = await ledger.getAccount(holder.walletAccountId);
        // Something posted while we read: read again, so the balances match the lines exactly.
        if (!after || after.version !== before.version) continue;
        const closingFen = before.balanceFen - afterPeriodFen;
        items.reverse();
        const movedFen = items.reduce((sum, item) => sum + item.amountFen, 0n);
        let running = closingFen - movedFen;
        const lines = items.map((item) => {
          running += item.amountFen;
          return { ...item, balanceAfterFen: running };
        });
        return ok({
          holderName: holder.name,
          accountId: holder.walletAccountId,
          currency: before.currency,
          fromDay: period.value.fromDay,
          toDay: period.value.toDay,
          openingFen: closingFen - movedFen,
          closingFen,
          totalInFen: items.filter((item) => item.amountFen > 0n).reduce((sum, item) => sum + item.amountFen, 0n),
          totalOutFen: items.filter((item) => item.amountFen < 0n).reduce((sum, item) => sum - item.amountFen, 0n),
          lines,
          generatedAt: now,
        });
      }
      throw new Error('the wallet kept changing while its statement was read');
    },
  };
}

export type Statements = ReturnType<typeof createStatements>;

const TYPE_LABELS: Record<string, [string, string]> = {
  topup: ['充值', 'Top-up'],
  withdraw: ['提现', 'Withdrawal'],
  p2p: ['转账', 'Transfer'],
  merchant_payment: ['消费', 'Payment'],
  refund: ['退款', 'Refund'],
  reversal: ['冲正', 'Reversal'],
  other: ['其他', 'Other'],
};
export const typeLabel = (type: string) => TYPE_LABELS[type] ?? [type, type];

/** Yuan with two decimals and a sign, e.g. -88.50; no thousands separators (spreadsheets read it). */
export function yuan(amountFen: bigint): string {
  const negative = amountFen < 0n;
  const abs = negative ? -amountFen : amountFen;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const localTime = (at: Date) =>
  new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

function csvField(value: string): string {
  // Quote everything that could break a row, and defuse formulas spreadsheets would run.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function statementCsv(statement: Statement): string {
  const rows: string[][] = [
    ['通宝钱包对账单 Tongbao wallet statement', ''],
    ['期间 Period', `${statement.fromDay} ~ ${statement.toDay} (Asia/Shanghai)`],
    ['期初余额 Opening balance', yuan(statement.openingFen)],
    ['收入合计 Total in', yuan(statement.totalInFen)],
    ['支出合计 Total out', yuan(-statement.totalOutFen)],
    ['期末余额 Closing balance', yuan(statement.closingFen)],
    [],
    [
      '时间 Time',
      '类型 Type',
      '对方 Counterparty',
      '金额 Amount',
      '余额 Balance',
      '状态 Status',
      '参考号 Reference',
      '备注 Note',
    ],
    ...statement.lines.map((line) => [
      localTime(line.time),
      typeLabel(line.type)[0],
      line.counterparty ?? '',
      yuan(line.amountFen),
      yuan(line.balanceAfterFen),
      line.status,
      line.reference,
      line.note ?? '',
    ]),
  ];
  // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

let fontCache: Buffer | null = null;
/** The embedded CJK font, read once (also used by the electronic receipt). */
export function statementFont(): Buffer {
  if (!fontCache) {
    if (!existsSync(FONT_FILE)) throw new Error(`statement font missing: ${FONT_FILE}`);
    fontCache = readFileSync(FONT_FILE);
  }
  return fontCache;
}

const COLUMNS = [
  { title: '时间 Time', width: 98 },
  { title: '类型 Type', width: 52 },
  { title: '对方 Counterparty', width: 130 },
  { title: '金额 Amount', width: 70, right: true },
  { title: '余额 Balance', width: 70, right: true },
  { title: '参考号 Reference', width: 95 },
];

export async function statementPdf(statement: Statement, maskedAccount: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: { Title: `通宝钱包对账单 ${statement.fromDay} ~ ${statement.toDay}`, Author: '通宝 Tongbao' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('cjk', statementFont());
  doc.font('cjk');
  const left = 40;
  const bottom = doc.page.height - 50;

  doc.fontSize(18).fillColor('#b0120a').text('通宝银行 · 钱包交易明细', left, 40);
  doc.fontSize(10).fillColor('#555555').text('Tongbao Bank · Wallet statement', left, 64);
  doc
    .moveTo(left, 82)
    .lineTo(doc.page.width - 40, 82)
    .strokeColor('#b0120a')
    .stroke();
  doc.fillColor('#000000').fontSize(10);
  const facts: [string, string][] = [
    ['户名 Holder', statement.holderName],
    ['钱包账户 Wallet', maskedAccount],
    ['期间 Period', `${statement.fromDay} 至 ${statement.toDay}（北京时间 Asia/Shanghai）`],
    ['币种 Currency', statement.currency === 'CNY' ? '人民币 CNY' : statement.currency],
    ['期初余额 Opening', yuan(statement.openingFen)],
    ['收入合计 In', yuan(statement.totalInFen)],
    ['支出合计 Out', yuan(-statement.totalOutFen)],
    ['期末余额 Closing', yuan(statement.closingFen)],
  ];
  let y = 92;
  for (const [label, value] of facts) {
    doc.fillColor('#555555').text(label, left, y, { width: 120 });
    doc.fillColor('#000000').text(value, left + 120, y, { width: 380 });
    y += 16;
  }
  y += 8;

  const header = () => {
    let x = left;
    doc.rect(left, y - 2, doc.page.width - 80, 16).fill('#f2f2f2');
    doc.fillColor('#000000').fontSize(8.5);
    for (const column of COLUMNS) {
      doc.text(column.title, x + 2, y, { width: column.width - 4, align: column.right ? 'right' : 'left' });
      x += column.width;
    }
    y += 18;
  };
  header();
  doc.fontSize(8.5);
  if (statement.lines.length === 0) doc.text('本期无交易 No movements in this period', left, y);
  for (const line of statement.lines) {
    if (y > bottom) {
      doc.addPage();
      y = 40;
      header();
    }
    const cells = [
      localTime(line.time),
      typeLabel(line.type)[0],
      line.counterparty ?? '',
      yuan(line.amountFen),
      yuan(line.balanceAfterFen),
      line.reference,
    ];
    let x = left;
    cells.forEach((cell, i) => {
      doc.fillColor(i === 3 ? (line.amountFen < 0n ? '#1a7f37' : '#b0120a') : '#000000');
      doc.text(cell, x + 2, y, {
        width: COLUMNS[i].width - 4,
        align: COLUMNS[i].right ? 'right' : 'left',
        lineBreak: false,
        ellipsis: true,
        height: 12,
      });
      x += COLUMNS[i].width;
    });
    y += 15;
  }
  doc
    .fillColor('#777777')
    .fontSize(8)
    .text(
      `生成时间 Generated ${localTime(statement.generatedAt)}（北京时间）· 本对账单由系统生成，无需盖章。`,
      left,
      Math.max(y + 10, bottom - 10) > bottom + 20 ? bottom : y + 10,
    );
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
