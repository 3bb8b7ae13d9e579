import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { shanghaiTime } from '../platform/clock.js';
import { RECEIPT_RED, drawSeal, receiptYuan } from '../platform/pdf-receipt.js';
import type { ReceiptView } from './receipts.js';

/**
 * The electronic bill-payment receipt (电子缴费凭证) as a one-page PDF, in both languages, in the
 * Source Han Sans SC subset the statements use (never a system font; see docs/wallet.md on the font).
 * It renders the receipt data (receipts.ts, the same the app shows) and nothing else: no lookup, no rule.
 */

const FONT_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../assets/fonts/SourceHanSansSC-Regular-subset.otf',
);

const TYPE_LABELS: Record<string, string> = {
  water: '水费 Water',
  electricity: '电费 Electricity',
  gas: '燃气费 Gas',
  telecom: '话费宽带 Phone & internet',
  broadband: '宽带 Broadband',
  property: '物业费 Property fee',
  heating: '供暖费 Heating',
};

const STATUS_LABELS: Record<string, string> = {
  succeeded: '缴费成功 Paid',
  processing: '处理中 In progress',
  failed: '未成功 Failed',
};

let fontCache: Buffer | null = null;
function cjkFont(): Buffer {
  if (!fontCache) {
    if (!existsSync(FONT_FILE)) throw new Error(`receipt font missing: ${FONT_FILE}`);
    fontCache = readFileSync(FONT_FILE);
  }
  return fontCache;
}

/** 13812345678 → 138****5678; anything else as it is. */
function maskPhone(value: string): string {
  return /^1\d{10}$/.test(value) ? `${value.slice(0, 3)}****${value.slice(-4)}` : value;
}

/** 王小明 → *小明: the receipt can be forwarded, so the holder's name is masked like the app masks it. */
function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? name : `*${chars.slice(1).join('')}`;
}

export async function receiptPdf(receipt: ReceiptView, issuedAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A5',
    margin: 36,
    info: { Title: `${receipt.titleZh} ${receipt.receiptNumber}`, Author: receipt.issuer, Subject: receipt.titleEn },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  const left = 36;
  const width = doc.page.width - 72;

  doc.rect(0, 0, doc.page.width, 74).fill(RECEIPT_RED);
  doc.fillColor('#ffffff').fontSize(18).text(receipt.titleZh, left, 22, { width, align: 'center' });
  doc.fontSize(9).text(`Tongbao Wallet · ${receipt.titleEn}`, left, 48, { width, align: 'center' });

  doc.fillColor('#555555').fontSize(9).text('实缴金额 Amount paid', left, 92, { width, align: 'center' });
  doc.fillColor('#000000').fontSize(26).text(receiptYuan(receipt.amountFen), left, 106, { width, align: 'center' });
  doc
    .fillColor(receipt.status === 'succeeded' ? '#1a7f37' : '#8a5a00')
    .fontSize(10)
    .text(STATUS_LABELS[receipt.status] ?? receipt.status, left, 142, { width, align: 'center' });

  const row = (label: string, value: string | null | undefined): [string, string][] => (value ? [[label, value]] : []);
  const rows: [string, string][] = [
    ['凭证编号 Receipt no.', receipt.receiptNumber],
    ['缴费单位 Biller', `${receipt.billerName}  ${receipt.billerNameEn}`],
    [
      '缴费类型 Type',
      `${TYPE_LABELS[receipt.billerType] ?? receipt.billerType} · ${receipt.cityName} ${receipt.cityNameEn}`,
    ],
    ['缴费户号 Account', receipt.accountNumber],
    ...row('户名 Name on bill', receipt.accountHolderName),
    ...row('账期 Period', receipt.period),
    ['账单金额 Bill amount', receiptYuan(receipt.billAmountFen)],
    ['滞纳金 Late fee', receiptYuan(receipt.lateFeeFen)],
    ...(receipt.lateFeeBorneFen > 0n
      ? row('通宝承担 Borne by Tongbao', `${receiptYuan(receipt.lateFeeBorneFen)}（已退回 refunded）`)
      : []),
    ['实缴金额 Total paid', receiptYuan(receipt.amountFen)],
    ['缴费时间 Paid at', `${shanghaiTime(receipt.paidAt)}（北京时间）`],
    ['付款人 Payer', `${maskName(receipt.payerName)} ${maskPhone(receipt.payerAccount)}`],
    ['缴费渠道 Channel', `${receipt.channel} ${receipt.channelEn}`],
    ['单位流水号 Biller ref.', receipt.networkRef ?? '—'],
    ['交易参考号 Reference', receipt.paymentId],
  ];
  let y = 170;
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .dash(3, { space: 3 })
    .strokeColor('#bbbbbb')
    .stroke()
    .undash();
  y += 10;
  doc.fontSize(9.5);
  for (const [label, value] of rows) {
    doc.fillColor('#666666').text(label, left, y, { width: 130 });
    const height = doc.heightOfString(value, { width: width - 130 });
    doc.fillColor('#000000').text(value, left + 130, y, { width: width - 130, align: 'right' });
    y += Math.max(16, height + 4);
  }
  doc
    .moveTo(left, y)
    .lineTo(left + width, y)
    .dash(3, { space: 3 })
    .strokeColor('#bbbbbb')
    .stroke()
    .undash();

  drawSeal(doc, left + width, y, '缴费专用');

  doc
    .fillColor('#777777')
    .fontSize(8)
    .text(
      '本凭证由通宝钱包根据缴费单位的确认生成，可作为缴费证明。' +
        "Issued by Tongbao Wallet from the biller's confirmation; it is proof of payment.",
      left,
      y + 12,
      { width: width - 100 },
    );
  doc.text(`生成时间 Issued ${shanghaiTime(issuedAt)}（北京时间）`, left, y + 64, { width: width - 100 });
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
