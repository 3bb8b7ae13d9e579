import '../bills.css';
import { Tag } from 'antd-mobile';
import { ExclamationTriangleOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../shared/money';
import { type Bill, type Biller, daysBetween, shanghaiToday } from '../bills-api';

/** Small pieces the bills pages share: the type icons, the due badge, the bill card and the overdue notice. */

const PATHS: Record<string, ReactNode> = {
  // A drop of water.
  water: <path d="M12 3c3.5 4.6 6 8 6 11a6 6 0 0 1-12 0c0-3 2.5-6.4 6-11z" />,
  // A lightning bolt.
  electricity: <path d="M13.5 2 5 13.5h6L9.5 22 19 9.8h-6.2L13.5 2z" />,
  // A flame.
  gas: (
    <path
      d={
        'M12 2.5c.6 3.2 4.8 5.4 4.8 10.2A4.8 4.8 0 0 1 12 21.5a4.8 4.8 0 0 1-4.8-4.8' +
        'c0-2.3 1.2-3.6 2.2-4.6.2 1.6 1 2.6 2 2.9-.8-3.4.5-6.2.6-12.5z'
      }
    />
  ),
  // A handset.
  telecom: (
    <path
      d={
        'M7.2 3.5 9.6 3l1.6 4.1-1.9 1.4a11 11 0 0 0 6.2 6.2l1.4-1.9 4.1 1.6-.5 2.4' +
        'c-.2 1.1-1.2 1.9-2.4 1.8C10.3 18.1 5.9 13.7 5.4 5.9c-.1-1.2.7-2.2 1.8-2.4z'
      }
    />
  ),
  // A house.
  property: <path d="M12 3 3 10.5V21h6.5v-6h5v6H21V10.5L12 3z" />,
};

export function BillTypeIcon(props: { type: string; size?: number }) {
  const size = props.size ?? 24;
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="currentColor" aria-hidden focusable="false">
      {PATHS[props.type] ?? PATHS.property}
    </svg>
  );
}

export function billerName(biller: { name: string; nameEn: string }, english: boolean): string {
  return english ? biller.nameEn : biller.name;
}

export function cityName(biller: Pick<Biller, 'cityName' | 'cityNameEn'>, english: boolean): string {
  return english ? biller.cityNameEn : biller.cityName;
}

/** "¥128.50 due · due 12/20", "Overdue", "Nothing due": what a saved account owes, as a tag. */
export function DueBadge(props: {
  due: { total: number; earliestDueDate: string | null; overdue: boolean } | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { due } = props;
  if (!due || due.total <= 0)
    return (
      <span className="tb-bill-due tb-bill-due-none" data-testid={props.testId}>
        {t('bills.nothingDue')}
      </span>
    );
  const today = shanghaiToday();
  const when = due.overdue
    ? t('bills.overdue')
    : due.earliestDueDate === today
      ? t('bills.dueToday')
      : due.earliestDueDate
        ? t('bills.dueOn', { date: due.earliestDueDate.slice(5).replace('-', '/') })
        : '';
  return (
    <span className="tb-bill-due" data-testid={props.testId}>
      <strong>{t('bills.due', { amount: formatFen(due.total) })}</strong>
      {when ? (
        <Tag color={due.overdue ? 'danger' : due.earliestDueDate === today ? 'warning' : 'default'} fill="outline">
          {when}
        </Tag>
      ) : null}
    </span>
  );
}

/** One outstanding bill: period, amount, late fee, due date and what paying costs now. */
export function BillCard(props: { bill: Bill; children?: ReactNode }) {
  const { t } = useTranslation();
  const { bill } = props;
  return (
    <section className={`tb-bill-card${bill.overdue ? ' tb-bill-overdue' : ''}`} data-testid="bill-card">
      <div className="tb-bill-card-head">
        <span>
          {t('bills.period')} {bill.period}
        </span>
        {bill.overdue ? (
          <Tag color="danger" fill="solid">
            {t('bills.overdueDays', { days: Math.max(1, daysBetween(bill.dueDate, shanghaiToday())) })}
          </Tag>
        ) : null}
      </div>
      <div className="tb-bill-total" data-testid="bill-total">
        {formatFen(bill.total)}
      </div>
      <dl className="tb-bill-facts">
        <div>
          <dt>{t('bills.amount')}</dt>
          <dd>{formatFen(bill.amount)}</dd>
        </div>
        <div>
          <dt>{t('bills.lateFee')}</dt>
          <dd className={bill.lateFee > 0 ? 'tb-error-text' : undefined}>{formatFen(bill.lateFee)}</dd>
        </div>
        <div>
          <dt>{t('bills.dueDate')}</dt>
          <dd>{bill.dueDate}</dd>
        </div>
      </dl>
      {props.children}
    </section>
  );
}

/**
 * The overdue notice: how late, the late fee so far, that overdue utility bills can be reported to
 * credit bureaus and hurt the credit record (the seed's own warning), and how to pay now.
 */
export function OverdueNotice(props: { bill: Bill }) {
  const { t } = useTranslation();
  const days = Math.max(1, daysBetween(props.bill.dueDate, shanghaiToday()));
  return (
    <section className="tb-overdue" role="alert" data-testid="overdue-notice">
      <h2>
        <ExclamationTriangleOutline aria-hidden /> {t('bills.overdueNotice.title')}
      </h2>
      <p>{t('bills.overdueNotice.body', { days, fee: formatFen(props.bill.lateFee) })}</p>
      <p>{t('bills.overdueNotice.howToPay')}</p>
      <p className="tb-fineprint">{t('bills.overdueNotice.tongbaoFee')}</p>
    </section>
  );
}

/** The format an account number must have, in words: "10 位数字，最后一位是校验位". */
export function useFormatRule() {
  const { t } = useTranslation();
  return (format: Biller['accountFormat']) =>
    `${t('bills.formatDigits', { length: format.length })}${format.checkDigit ? t('bills.formatCheck') : ''}`;
}
