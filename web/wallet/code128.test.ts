import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { code128Svg, code128Values, code128Widths } from './code128';

/** bwip-js (the library this replaces in the browser) as the reference encoder. */
const reference = (text: string) => (bwipjs.raw('code128', text, {})[0] as { sbs: number[] }).sbs;

describe('Code 128', () => {
  it('encodes the worked example 123456 in code set C', () => {
    // Start C (105), 12, 34, 56, check (105 + 12 + 2·34 + 3·56) mod 103 = 44.
    expect(code128Values('123456')).toEqual([105, 12, 34, 56, 44]);
    expect(code128Widths('123456')?.slice(0, 6).join('')).toBe('211232');
    expect(code128Widths('123456')?.slice(-7).join('')).toBe('2331112');
  });

  it('matches the reference for payment codes and every digit pair and check value', () => {
    const codes = ['283412345678901234', '250000000000000000', '289999999999999999', '00', '99'];
    for (let a = 0; a < 100; a++) codes.push(`${String(a).padStart(2, '0')}${String((a * 37) % 100).padStart(2, '0')}`);
    for (const code of codes) expect(code128Widths(code), code).toEqual(reference(code));
  });

  it('matches the reference in code set B for other text', () => {
    for (const text of ['Ab1', 'TONGBAO-1', 'hello world', '~!@#'])
      expect(code128Widths(text), text).toEqual(reference(text));
  });

  it('an odd number of digits goes in code set B (longer than the reference mixes C and B, but valid)', () => {
    expect(code128Values('12345')?.slice(0, 6)).toEqual([104, 17, 18, 19, 20, 21]);
  });

  it('refuses what it cannot encode, and draws an SVG', () => {
    expect(code128Values('')).toBeNull();
    expect(code128Values('通宝')).toBeNull();
    const svg = code128Svg('283412345678901234') ?? '';
    expect(svg).toMatch(/^<svg /);
    // 18 digits: start, 9 pairs, check (11 symbols × 11 modules) + stop (13) + quiet zones (20) = 154 modules.
    expect(svg).toContain('viewBox="0 0 308 100"');
  });
});
