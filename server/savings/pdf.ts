import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';

/**
 * The savings documents as PDF: a deposit certificate (存单) per term deposit and the product
 * manual (产品说明书) of each catalogue product. A4, the bank's header, every label in Chinese
 * and English, in Source Han Sans SC embedded from assets/fonts (the statement's font, never a
 * system one). The data comes from the savings service; this file only lays it out.
 */

const FONT_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../assets/fonts/SourceHanSansSC-Regular-subset.otf',
);
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const BRAND = '#b0120a';
const PAST_ZH = '过往业绩不代表未来表现。';
const PAST_EN = 'Past performance does not guarantee future results.';

export interface CertificateDocument {
  certificateNo: string;
  holderName: string;
  /** The holder's ID number, masked ("110***********1234"). */
  maskedIdNumber: string;
  productNameZh: string;
  productNameEn: string;
  /** Term in months (3, 6, 12, 36). */
  termMonths: number;
  principalFen: bigint;
  /** Annual rate as a percentage string ("1.75"). */
  annualRatePercent: string;
  /** Demand rate paid on early withdrawal, percentage string ("0.15"). */
  demandRatePercent: string | null;
  /** Asia/Shanghai days, YYYY-MM-DD. */
  valueDay: string;
  maturityDay: string;
  /** What happens at maturity, as the holder chose at opening. */
  atMaturity: 'rollover' | 'to_wallet' | string;
  /** principal × rate × days / 360, rounded half up to the fen. */
  interestAtMaturityFen: bigint;
  status: string;
  openedAt: Date;
  generatedAt: Date;
}

export interface ManualDocument {
  productId: string;
  nameZh: string;
  nameEn: string;
  kind: string;
  /** R1..R5 */
  riskLevel: string;
  minimumFen: bigint;
  /** "7-day annualised yield 1.850%" or the rates by term, each line already written. */
  rateLinesZh: string[];
  rateLinesEn: string[];
  feesZh: string;
  feesEn: string;
  manualZh: string;
  manualEn: string;
  riskWarningZh: string;
  riskWarningEn: string;
  version: string | null;
  effectiveFrom: Date | null;
  generatedAt: Date;
}

let fontCache: Buffer | null = null;
function cjkFont(): Buffer {
  if (!fontCache) {
    if (!existsSync(FONT_FILE)) throw new Error(`savings document font missing: ${FONT_FILE}`);
    fontCache = readFileSync(FONT_FILE);
  }
  return fontCache;
}

/** Yuan with thousands separators and two decimals: 1234567 → "12,345.67". */
export function yuanText(amountFen: bigint): string {
  const negative = amountFen < 0n;
  const abs = negative ? -amountFen : amountFen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
}

const localTime = (at: Date) =>
  new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

const RISK_NAMES: Record<string, [string, string]> = {
  R1: ['R1 低风险', 'R1 Low'],
  R2: ['R2 中低风险', 'R2 Medium-low'],
  R3: ['R3 中风险', 'R3 Medium'],
  R4: ['R4 中高风险', 'R4 Medium-high'],
  R5: ['R5 高风险', 'R5 High'],
};
export const riskName = (level: string) => RISK_NAMES[level] ?? [level, level];

function termName(months: number): [string, string] {
  if (months % 12 === 0) {
    const years = months / 12;
    return [`${years}年`, `${years} year${years > 1 ? 's' : ''}`];
  }
  return [`${months}个月`, `${months} months`];
}

function atMaturityName(choice: string): [string, string] {
  if (choice === 'rollover') return ['本息自动转存', 'Roll over principal and interest'];
  if (choice === 'to_wallet') return ['本息转入钱包', 'Principal and interest to the wallet'];
  return [choice, choice];
}

function newDocument(title: string) {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: title, Author: '通宝 Tongbao' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont());
  doc.font('cjk');
  return { doc, finished };
}

function header(doc: PDFKit.PDFDocument, zh: string, en: string) {
  const left = 50;
  doc.fontSize(20).fillColor(BRAND).text(`通宝银行 · ${zh}`, left, 48);
  doc.fontSize(10).fillColor('#555555').text(`Tongbao Bank · ${en}`, left, 76);
  doc
    .moveTo(left, 94)
    .lineTo(doc.page.width - 50, 94)
    .strokeColor(BRAND)
    .lineWidth(1.2)
    .stroke();
}

/** Label/value rows; returns the y below the last row. */
function facts(doc: PDFKit.PDFDocument, rows: [string, string][], y: number, labelWidth = 150): number {
  const left = 50;
  const width = doc.page.width - 100 - labelWidth;
  doc.fontSize(10.5);
  for (const [label, value] of rows) {
    doc.fillColor('#555555').text(label, left, y, { width: labelWidth });
    doc.fillColor('#000000').text(value, left + labelWidth, y, { width });
    y = Math.max(doc.y, y + 16) + 6;
  }
  return y;
}

function paragraph(doc: PDFKit.PDFDocument, title: string, body: string, y: number, color = '#000000'): number {
  const left = 50;
  const width = doc.page.width - 100;
  if (y > doc.page.height - 120) {
    doc.addPage();
    y = 50;
  }
  doc.fontSize(12).fillColor(BRAND).text(title, left, y, { width });
  doc
    .fontSize(10)
    .fillColor(color)
    .text(body, left, doc.y + 4, { width, lineGap: 3 });
  return doc.y + 14;
}

/** Blocks of the manual's markdown: `#`/`##` headings, paragraphs and `- ` lists; nothing else. */
export function markdownBlocks(text: string): { kind: 'h1' | 'h2' | 'p' | 'li'; text: string }[] {
  const blocks: { kind: 'h1' | 'h2' | 'p' | 'li'; text: string }[] = [];
  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) blocks.push({ kind: heading[1].length === 1 ? 'h1' : 'h2', text: heading[2] });
    else if (/^[-*]\s+/.test(line)) blocks.push({ kind: 'li', text: line.replace(/^[-*]\s+/, '') });
    else blocks.push({ kind: 'p', text: line.replace(/\*\*(.+?)\*\*/g, '$1') });
  }
  return blocks;
}

function markdown(doc: PDFKit.PDFDocument, text: string, y: number): number {
  const left = 50;
  const width = doc.page.width - 100;
  for (const block of markdownBlocks(text)) {
    if (y > doc.page.height - 90) {
      doc.addPage();
      y = 50;
    }
    if (block.kind === 'h1' || block.kind === 'h2') {
      doc
        .fontSize(block.kind === 'h1' ? 13 : 11.5)
        .fillColor(BRAND)
        .text(block.text, left, y + 4, { width });
    } else if (block.kind === 'li') {
      doc
        .fontSize(10)
        .fillColor('#000000')
        .text(`•  ${block.text}`, left + 8, y, { width: width - 8, lineGap: 3 });
    } else {
      doc.fontSize(10).fillColor('#000000').text(block.text, left, y, { width, lineGap: 3 });
    }
    y = doc.y + 6;
  }
  return y + 6;
}

function footer(doc: PDFKit.PDFDocument, text: string, y: number) {
  const bottom = doc.page.height - 60;
  doc
    .fontSize(8)
    .fillColor('#777777')
    .text(text, 50, Math.min(Math.max(y + 10, bottom - 20), bottom), { width: doc.page.width - 100 });
}

/** The deposit certificate (定期存单): who, how much, the rate, the term and what happens at maturity. */
export async function certificatePdf(c: CertificateDocument): Promise<Buffer> {
  const { doc, finished } = newDocument(`通宝银行定期存单 ${c.certificateNo}`);
  header(doc, '定期存款存单', 'Term deposit certificate');
  const [termZh, termEn] = termName(c.termMonths);
  const [maturityZh, maturityEn] = atMaturityName(c.atMaturity);
  let y = facts(
    doc,
    [
      ['存单编号 Certificate No.', c.certificateNo],
      ['户名 Holder', c.holderName],
      ['证件号码 ID number', c.maskedIdNumber],
      ['产品 Product', `${c.productNameZh} ${c.productNameEn}`],
      ['存期 Term', `${termZh} ${termEn}`],
      ['本金 Principal', `人民币 CNY ${yuanText(c.principalFen)}`],
      ['年利率 Annual rate', `${c.annualRatePercent}%（按日计息，日利率 = 年利率 / 360）`],
      ['起息日 Value date', c.valueDay],
      ['到期日 Maturity date', c.maturityDay],
      ['到期利息 Interest at maturity', `人民币 CNY ${yuanText(c.interestAtMaturityFen)}`],
      ['到期本息 Total at maturity', `人民币 CNY ${yuanText(c.principalFen + c.interestAtMaturityFen)}`],
      ['到期处理 At maturity', `${maturityZh} ${maturityEn}`],
      ['状态 Status', statusName(c.status)],
      ['开立时间 Opened', `${localTime(c.openedAt)}（北京时间 Asia/Shanghai）`],
    ],
    112,
    170,
  );
  y += 8;
  const demand = c.demandRatePercent ? `${c.demandRatePercent}%` : '活期利率';
  y = paragraph(
    doc,
    '提前支取 Early withdrawal',
    `到期前支取，按支取日挂牌活期利率（${demand}）计付实际存期利息，原定期利率不再适用。\n` +
      `Withdrawn before maturity, the deposit earns the demand rate (${c.demandRatePercent ?? 'demand'}%) ` +
      'for the days held instead of the term rate.',
    y,
  );
  y = paragraph(
    doc,
    '说明 Notes',
    '利息 = 本金 × 年利率 × 实际天数 / 360，按四舍五入计至分，于到期日支付。本存单为电子存单，' +
      '由系统生成，无需盖章；以通宝银行系统记录为准。\n' +
      'Interest = principal × annual rate × days / 360, rounded half up to the fen, paid at maturity. ' +
      'This is an electronic certificate generated by the system, valid without a seal; ' +
      "the bank's records prevail.",
    y,
    '#333333',
  );
  footer(doc, `生成时间 Generated ${localTime(c.generatedAt)}（北京时间）`, y);
  doc.end();
  return finished;
}

function statusName(status: string): string {
  const names: Record<string, string> = {
    open: '存续中 Open',
    matured: '已到期 Matured',
    rolled_over: '已转存 Rolled over',
    withdrawn_early: '已提前支取 Withdrawn early',
  };
  return names[status] ?? status;
}

/** The product manual (产品说明书): the facts of the catalogue entry, the manual text and the risk warning. */
export async function manualPdf(m: ManualDocument): Promise<Buffer> {
  const { doc, finished } = newDocument(`${m.nameZh} 产品说明书`);
  header(doc, '产品说明书', 'Product manual');
  const [riskZh, riskEn] = riskName(m.riskLevel);
  doc.fontSize(16).fillColor('#000000').text(m.nameZh, 50, 110);
  doc
    .fontSize(11)
    .fillColor('#555555')
    .text(m.nameEn, 50, doc.y + 2);
  let y = facts(
    doc,
    [
      ['产品代码 Product code', m.productId],
      ['风险等级 Risk level', `${riskZh}（${riskEn}）`],
      ['起购金额 Minimum', `人民币 CNY ${yuanText(m.minimumFen)}`],
      ['收益 / 利率 Yield / rates', [...m.rateLinesZh, ...m.rateLinesEn].join('\n')],
      ['费用 Fees', `${m.feesZh}\n${m.feesEn}`],
      ...(m.version ? ([['版本 Version', m.version]] as [string, string][]) : []),
      ...(m.effectiveFrom
        ? ([['生效时间 Effective', `${localTime(m.effectiveFrom)}（北京时间）`]] as [string, string][])
        : []),
    ],
    doc.y + 16,
    170,
  );
  y += 6;
  y = markdown(doc, m.manualZh, y);
  y = markdown(doc, m.manualEn, y + 6);
  // The risk warning in a framed box, as the rules ask that it be shown plainly.
  // The rules ask for the "past performance" sentence on every product: added when the warning lacks it.
  const zhWarning = m.riskWarningZh.includes('过往业绩') ? m.riskWarningZh : `${m.riskWarningZh}\n${PAST_ZH}`;
  const enWarning = /past performance/i.test(m.riskWarningEn) ? m.riskWarningEn : `${m.riskWarningEn}\n${PAST_EN}`;
  const warning = `${zhWarning}\n\n${enWarning}`;
  if (y > doc.page.height - 200) {
    doc.addPage();
    y = 50;
  }
  const width = doc.page.width - 100;
  doc.fontSize(10);
  const height = doc.heightOfString(warning, { width: width - 24, lineGap: 3 }) + 40;
  doc.rect(50, y, width, height).fillAndStroke('#fff4f2', BRAND);
  doc
    .fillColor(BRAND)
    .fontSize(12)
    .text('风险提示 Risk warning', 62, y + 10, { width: width - 24 });
  doc
    .fillColor('#333333')
    .fontSize(10)
    .text(warning, 62, doc.y + 4, { width: width - 24, lineGap: 3 });
  y += height + 10;
  footer(doc, `生成时间 Generated ${localTime(m.generatedAt)}（北京时间）· 本说明书由系统生成。`, y);
  doc.end();
  return finished;
}
