import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { percentOfBp } from './contract.js';
import type { CardRow, CardTransactionRow, StatementRow } from './store-cards.js';

/**
 * A credit card statement (信用卡账单) as PDF: A4, the bank's header, labels in Chinese and English,
 * the font embedded from assets/fonts like every other document. Only layout here; the figures
 * come from the card service.
 */

const FONT_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../assets/fonts/SourceHanSansSC-Regular-subset.otf',
);
const BRAND = '#b0120a';
let fontCache: Buffer | null = null;

function font(): Buffer {
  if (!fontCache) {
    if (!existsSync(FONT_FILE)) throw new Error(`document font missing: ${FONT_FILE}`);
    fontCache = readFileSync(FONT_FILE);
  }
  return fontCache;
}

const yuan = (fen: bigint) => {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
};

const KINDS: Record<string, string> = {
  purchase: '消费 Purchase',
  repayment: '还款 Repayment',
  interest: '利息 Interest',
  penalty: '罚息 Penalty',
  refund: '退款 Refund',
  interest_reversal: '利息冲回 Interest reversed',
};

export async function statementPdf(input: {
  card: CardRow;
  maskedNumber: string;
  holderName: string;
  statement: StatementRow;
  transactions: readonly CardTransactionRow[];
}): Promise<Buffer> {
  const { statement, card } = input;
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: 'Tongbao credit card statement' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font());
  doc.font('cjk');
  doc.fontSize(20).fillColor(BRAND).text('通宝银行 · 信用卡账单', 50, 48);
  doc.fontSize(10).fillColor('#555555').text('Tongbao Bank · Credit card statement', 50, 76);
  doc
    .moveTo(50, 94)
    .lineTo(doc.page.width - 50, 94)
    .strokeColor(BRAND)
    .lineWidth(1.2)
    .stroke();
  const rows: [string, string][] = [
    ['持卡人 Cardholder', input.holderName],
    ['卡号 Card', input.maskedNumber],
    ['账单日 Statement date', statement.statement_day],
    ['账单周期 Period', `${statement.period_from} – ${statement.period_to}`],
    ['到期还款日 Due date', statement.due_day],
    ['本期应还 Statement balance', yuan(statement.balance)],
    ['最低还款 Minimum payment', yuan(statement.minimum_payment)],
    ['已还 Paid', yuan(statement.paid)],
    ['信用额度 Credit limit', yuan(card.credit_limit)],
    ['年化利率 Annual rate', `${percentOfBp(card.annual_rate_bp)} %`],
  ];
  let y = 110;
  doc.fontSize(10.5);
  for (const [label, value] of rows) {
    doc.fillColor('#555555').text(label, 50, y, { width: 190 });
    doc.fillColor('#000000').text(value, 240, y, { width: 300 });
    y += 20;
  }
  y += 10;
  doc.fontSize(12).fillColor(BRAND).text('交易明细 Transactions', 50, y);
  y += 22;
  doc.fontSize(9.5).fillColor('#000000');
  for (const row of input.transactions) {
    if (y > doc.page.height - 80) {
      doc.addPage();
      y = 50;
    }
    doc.text(row.day, 50, y, { width: 80 });
    doc.text(KINDS[row.kind] ?? row.kind, 130, y, { width: 110 });
    doc.text(row.merchant_name ?? '', 240, y, { width: 190 });
    const signed =
      row.kind === 'repayment' || row.kind === 'refund' || row.kind === 'interest_reversal' ? -row.amount : row.amount;
    doc.text(yuan(signed), 430, y, { width: 110, align: 'right' });
    y += 16;
  }
  y += 16;
  doc
    .fontSize(9)
    .fillColor('#555555')
    .text(
      '在到期还款日前全额还款可享免息期；否则本期每笔消费自记账日起按未还部分逐日计息（日利率 = 年化利率 / 360）。' +
        'Pay the statement in full by the due date and no interest is charged; otherwise each purchase on it bears ' +
        'interest on its unpaid part from its posting date (a day is the annual rate / 360).',
      50,
      y,
      { width: doc.page.width - 100 },
    );
  doc.end();
  return finished;
}
