/**
 * A small Code 128 encoder for the payment code's barcode (instead of a 900 KB barcode library):
 * code set C for an even number of digits (the 18-digit payment code), code set B for other
 * printable ASCII. The output is the bar and space widths in modules and an SVG of them; tests
 * check it against bwip-js's encodings (code128.test.ts).
 */

/** The widths of each symbol value, bar first; 103–105 are Start A/B/C, 106 is Stop (7 elements). */
const PATTERNS = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];
const START_B = 104;
const START_C = 105;
const STOP = 106;

/** The symbol values, start to check character (without Stop), or null for text Code 128 B cannot hold. */
export function code128Values(text: string): number[] | null {
  if (text.length === 0) return null;
  if (/^(\d\d)+$/.test(text)) {
    const values = [START_C];
    for (let i = 0; i < text.length; i += 2) values.push(Number(text.slice(i, i + 2)));
    return withCheck(values);
  }
  if (!/^[\x20-\x7e]+$/.test(text)) return null;
  return withCheck([START_B, ...[...text].map((char) => char.charCodeAt(0) - 32)]);
}

function withCheck(values: number[]): number[] {
  const sum = values.reduce((total, value, index) => total + value * Math.max(index, 1), 0);
  return [...values, sum % 103];
}

/** Bar and space widths in modules, bar first, Stop included (no quiet zones). */
export function code128Widths(text: string): number[] | null {
  const values = code128Values(text);
  if (!values) return null;
  return [...values, STOP].flatMap((value) => [...PATTERNS[value]].map(Number));
}

/** An SVG (quiet zones of 10 modules on each side) drawing the barcode, `height` modules tall. */
export function code128Svg(text: string, options: { height?: number; module?: number } = {}): string | null {
  const widths = code128Widths(text);
  if (!widths) return null;
  const unit = options.module ?? 2;
  const height = (options.height ?? 50) * unit;
  let x = 10;
  const bars: string[] = [];
  widths.forEach((width, index) => {
    if (index % 2 === 0) bars.push(`M${x * unit} 0h${width * unit}v${height}h-${width * unit}z`);
    x += width;
  });
  const total = (x + 10) * unit;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${height}" width="${total}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${bars.join('')}"/></svg>`
  );
}
