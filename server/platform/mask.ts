/** Masking for display: personal data is never shown in full. */

export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** `张三` → `*三`, `欧阳娜娜` → `***娜`, `Zhang San` → `***** S**`. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (/^[\p{Script=Han}·]+$/u.test(name.trim())) return `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
  const words = name.trim().split(/\s+/);
  return words
    .map((word, i) =>
      i === words.length - 1 ? `${word[0]}${'*'.repeat(Math.max(0, word.length - 1))}` : '*'.repeat(word.length),
    )
    .join(' ');
}

export function maskPhone(phone: string): string {
  if (phone.length !== 11) return `${phone.slice(0, 2)}****`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

export function maskCardNumber(card: string): string {
  return `**** ${card.slice(-4)}`;
}

/** `ab***@example.com`: enough for the holder to recognise it, not enough to read it off a screen. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  return `${local.slice(0, Math.min(2, Math.max(1, local.length - 1)))}***${email.slice(at)}`;
}
