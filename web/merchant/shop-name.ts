/**
 * The shop's name as a staff member reads it: in English, the registered English or pinyin name
 * (tag 59 of its QR codes), which is often all capitals ("OLD STREET NOODLES") and is then shown in
 * title case; in Chinese, or when there is none, the Chinese name.
 */
export function shopName(merchant: { name: string; latinName?: string }, english: boolean): string {
  const latin = merchant.latinName?.trim();
  if (!english || !latin) return merchant.name;
  if (latin !== latin.toUpperCase()) return latin;
  return latin
    .split(' ')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}
