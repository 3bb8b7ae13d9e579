import { pinyin } from 'pinyin-pro';
import { COMMON_CHARSET } from './emv/mpm.js';
import { charLength } from './emv/tlv.js';

/**
 * Merchant names and cities for tags 59 and 60, which EMVCo writes in its common character set
 * (printable ASCII): the merchant's registered English or pinyin name, else the pinyin of the
 * Chinese (`老街面馆` → `LAO JIE MIAN GUAN`, `上海` → `SHANGHAI`), upper case, cut at a word.
 */

export const LATIN_NAME_MAX = 25;
export const LATIN_CITY_MAX = 15;

/** Printable ASCII of 1 to `max` characters once trimmed and its spaces collapsed. */
export function cleanLatin(text: string, max: number): string | null {
  const cleaned = text.trim().replace(/\s+/g, ' ');
  return cleaned.length >= 1 && charLength(cleaned) <= max && COMMON_CHARSET.test(cleaned) ? cleaned : null;
}

function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1).lastIndexOf(' ');
  return (cut > 0 ? text.slice(0, cut) : text.slice(0, max)).trim();
}

/** The pinyin of a Chinese text, upper case, syllables apart (names) or together (cities); ASCII kept as it is. */
export function pinyinOf(text: string, max: number, joined = false): string {
  const syllables = pinyin(text.trim(), { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const ascii = syllables
    .join(joined ? '' : ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .toUpperCase();
  return cutAtWord(ascii.trim(), max) || 'MERCHANT';
}

export const latinNameFor = (row: { name: string; latin_name: string | null }): string =>
  row.latin_name ?? pinyinOf(row.name, LATIN_NAME_MAX);

export const latinCityFor = (row: { city: string; latin_city: string | null }): string =>
  row.latin_city ?? pinyinOf(row.city, LATIN_CITY_MAX, true);
