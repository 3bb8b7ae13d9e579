import { inflateSync } from 'node:zlib';

/**
 * The text a PDF shows, read back for tests: enough of a reader for the PDFs pdfkit writes (Flate
 * streams, one embedded font whose ToUnicode map turns the 2-byte glyph codes of `Tj`/`TJ` back
 * into characters). One line of output per text-showing operator. Not a general PDF parser.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  const pattern = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (let match = pattern.exec(raw); match; match = pattern.exec(raw)) {
    const lengthMatch = /\/Length (\d+)/.exec(match[1]);
    if (!lengthMatch) continue;
    const start = match.index + match[0].length;
    const bytes = pdf.subarray(start, start + Number(lengthMatch[1]));
    const inflated = match[1].includes('/FlateDecode') ? inflateSync(bytes) : bytes;
    streams.push(inflated.toString('latin1'));
  }

  const map = new Map<number, string>();
  const hexText = (hex: string) => {
    let text = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
    return text;
  };
  for (const cmap of streams.filter((s) => s.includes('begincmap'))) {
    for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const line of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const from = Number.parseInt(line[1], 16);
        const to = Number.parseInt(line[2], 16);
        if (line[3].startsWith('[')) {
          const targets = [...line[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((m) => hexText(m[1]));
          targets.forEach((target, i) => map.set(from + i, target));
        } else {
          const base = Number.parseInt(line[3].slice(1, -1), 16);
          for (let code = from; code <= to; code++) map.set(code, String.fromCodePoint(base + code - from));
        }
      }
    }
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const line of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
        map.set(Number.parseInt(line[1], 16), hexText(line[2]));
  }

  const decode = (hex: string) => {
    let text = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) text += map.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '';
    return text;
  };
  const lines: string[] = [];
  for (const content of streams.filter((s) => /\bBT\b/.test(s))) {
    for (const op of content.matchAll(/\[((?:[^\]]|\n)*?)\]\s*TJ|<([0-9a-fA-F]+)>\s*Tj/g)) {
      const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]) : [op[2]];
      lines.push(parts.map(decode).join(''));
    }
  }
  return lines.join('\n');
}
