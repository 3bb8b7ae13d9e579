import { formatFen } from '../shared/money';

/** Display helpers: amounts from integer fen, times in Asia/Shanghai. */

export const money = (fen: number | string | null | undefined) =>
  fen === null || fen === undefined ? '—' : formatFen(fen);

export function when(iso: string | null | undefined, english: boolean): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(english ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
