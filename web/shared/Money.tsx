import { type FenLike, formatFen, toFen } from './money';

/**
 * The one place that decides how an amount looks. Money in is shown in the Chinese convention,
 * orange-red with a plus (green reads as a loss to a Chinese reader); money out in the text colour
 * with a minus. #c2410c is 5.2:1 on white and 4.8:1 on the page grey (WCAG AA).
 */
export const MONEY_IN_COLOR = '#c2410c';

export function Money({
  fen,
  sign = true,
  className,
  testId,
}: {
  fen: FenLike;
  /** Show + for money in (default); false for balances and totals. */
  sign?: boolean;
  className?: string;
  testId?: string;
}) {
  const value = toFen(fen);
  const incoming = sign && value > 0n;
  return (
    <span
      className={`${incoming ? 'tb-money-in' : 'tb-money'}${className ? ` ${className}` : ''}`}
      style={incoming ? { color: MONEY_IN_COLOR } : undefined}
      data-testid={testId}
    >
      {formatFen(value, { sign })}
    </span>
  );
}
