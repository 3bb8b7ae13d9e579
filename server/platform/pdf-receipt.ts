// What every Tongbao receipt PDF shares (bills' payment certificate, the wallet's 电子回单): the
// amount as people read it and the wallet's seal.

/** The seal's red. */
export const RECEIPT_RED = '#b0120a';

/** ¥1,234.50 from fen (a receipt is for people, so thousands separators). */
export function receiptYuan(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${whole}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The wallet's seal at the right of the page below `y`, as paper receipts carry a stamp. */
export function drawSeal(doc: PDFKit.PDFDocument, right: number, y: number, caption: string): void {
  const x = right - 48;
  const centre = y + 52;
  doc.circle(x, centre, 38).lineWidth(2).strokeColor(RECEIPT_RED).stroke();
  doc.circle(x, centre, 33).lineWidth(0.6).strokeColor(RECEIPT_RED).stroke();
  doc
    .fillColor(RECEIPT_RED)
    .fontSize(10)
    .text('通宝钱包', x - 30, centre - 16, { width: 60, align: 'center' });
  doc.fontSize(8).text(caption, x - 30, centre + 2, { width: 60, align: 'center' });
}
