import PDFDocument from 'pdfkit';
import { shanghaiTime } from '../platform/clock.js';
import { RECEIPT_RED, drawSeal, receiptYuan } from '../platform/pdf-receipt.js';
import type { MovementDetail, PaymentMethod } from './history.js';
import { statementFont, typeLabel } from './statements.js';

/**
 * The electronic receipt (电子回单) of one movement as a one-page A5 PDF in both languages, in the
 * statements' embedded Source Han Sans SC subset. It prints the movement as the app shows it
 * (history.ts) and nothing else: no lookup, no rule.
 */

const STATUS_LABELS: Record<string, string> = {
  succeeded: '交易成功 Succeeded',
  processing: '处理中 In progress',
  pending: '处理中 In progress',
  failed: '未成功 Failed',
  cancelled: '已撤销 Cancelled',
};

/** 王小明 → *小明: a receipt can be forwarded, so the holder's name is masked as the app masks it. */
export function maskHolderName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `*${chars.slice(1).join('')}`;
}

export function methodLabel(method: PaymentMethod): string {
  if (method.kind === 'balance') return '账户余额 Balance';
  const typeZh = method.cardType === 'credit' ? '信用卡' : '储蓄卡';
  const typeEn = method.cardType === 'credit' ? 'credit' : 'debit';
  return `${method.bankName}${typeZh} (${method.last4}) · ${method.bankNameEn} ${typeEn} card ending ${method.last4}`;
}

export async function movementReceiptPdf(movement: MovementDetail, holderName: string, issuedAt: Date) {
  const [typeZh, typeEn] = typeLabel(movement.type);
  const doc = new PDFDocument({
    size: 'A5',
    margin: 36,
    info: { Title: `电子回单 ${movement.transactionNo}`, Author: '通宝钱包 Tongbao Wallet', Subject: 'Receipt' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('cjk', statementFont());
  doc.font('cjk');
  const left = 36;
  const width = doc.page.width - 72;

  doc.rect(0, 0, doc.page.width, 74).fill(RECEIPT_RED);
  doc.fillColor('#ffffff').fontSize(18).text('电子回单', left, 22, { width, align: 'center' });
  doc.fontSize(9).text('Tongbao Wallet · Electronic receipt', left, 48, { width, align: 'center' });

  doc.fillColor('#555555').fontSize(9).text(`${typeZh} ${typeEn}`, left, 92, { width, align: 'center' });
  doc
    .fillColor('#000000')
    .fontSize(26)
    .text(`${movement.amountFen > 0n ? '+' : ''}${receiptYuan(movement.amountFen)}`, left, 106, {
      width,
      align: 'center',
    });
  doc
    .fillColor(movement.status === 'succeeded' ? '#1a7f37' : '#8a5a00')
    .fontSize(10)
    .text(STATUS_LABELS[movement.status] ?? movement.status, left, 142, { width, align: 'center' });

  const incoming = movement.amountFen > 0n;
  const rows: [string, string][] = [
    ['交易号 Transaction no.', movement.transactionNo],
    ['交易类型 Type', `${typeZh} ${typeEn}`],
    [incoming ? '收款人 Payee' : '付款人 Payer', maskHolderName(holderName)],
    ...(movement.counterparty
      ? [[incoming ? '付款方 From' : '收款方 To', movement.counterparty] as [string, string]]
      : []),
    [incoming ? '入账方式 Paid into' : '付款方式 Paid with', methodLabel(movement.method)],
    ['交易时间 Time', `${shanghaiTime(movement.time)}（北京时间 Beijing time）`],
    ...(movement.note ? [['备注 Memo', movement.note] as [string, string]] : []),
  ];
  let y = 170;
  const rule = () =>
    doc
      .moveTo(left, y)
      .lineTo(left + width, y)
      .dash(3, { space: 3 })
      .strokeColor('#bbbbbb')
      .stroke()
      .undash();
  rule();
  y += 10;
  doc.fontSize(9.5);
  for (const [label, value] of rows) {
    doc.fillColor('#666666').text(label, left, y, { width: 120 });
    const height = doc.heightOfString(value, { width: width - 120 });
    doc.fillColor('#000000').text(value, left + 120, y, { width: width - 120, align: 'right' });
    y += Math.max(16, height + 4);
  }
  rule();

  drawSeal(doc, left + width, y, '电子回单专用');
  doc
    .fillColor('#777777')
    .fontSize(8)
    .text(
      '本回单由通宝钱包根据账务记录生成，可作为交易证明。' +
        'Issued by Tongbao Wallet from its ledger; it is proof of the transaction.',
      left,
      y + 12,
      { width: width - 100 },
    );
  doc.text(`生成时间 Issued ${shanghaiTime(issuedAt)}（北京时间）`, left, y + 64, { width: width - 100 });
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
