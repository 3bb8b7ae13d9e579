/** Masking for display; the server masks too, these cover what the client itself shows. */

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').replace(/^(86|0086)(?=1\d{10}$)/, '');
  if (digits.length !== 11) return phone.includes('*') ? phone : `${digits.slice(0, 2)}****`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** `张三` → `*三`; Latin names keep the last word's initial. */
export function maskName(name: string): string {
  const trimmed = name.trim();
  const chars = [...trimmed];
  if (chars.length === 0) return '';
  if (trimmed.includes('*')) return trimmed;
  if (/^[\p{Script=Han}·]+$/u.test(trimmed)) return `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
  const words = trimmed.split(/\s+/);
  return words
    .map((word, i) => (i === words.length - 1 ? `${word[0]}${'*'.repeat(word.length - 1)}` : '*'.repeat(word.length)))
    .join(' ');
}

export function maskCard(card: string): string {
  const digits = card.replace(/\D/g, '');
  return `**** ${digits.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  if (id.includes('*') || id.length <= 8) return id;
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** Groups a payment code for reading aloud: `1234 5678 9012 3456 78`. */
export function groupDigits(code: string, size = 4): string {
  return code.replace(/\D/g, '').replace(new RegExp(`(\\d{${size}})(?=\\d)`, 'g'), '$1 ');
}
