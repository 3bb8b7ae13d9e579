import { useQueryClient } from '@tanstack/react-query';
import { Popup, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { PinSheet } from '../../components/PinSheet';
import {
  type Contract,
  type Installment,
  type Repayment,
  type Schedule,
  creditPath,
  formatBp,
  useDay,
  useText,
} from '../../credit-api';
import { confirmWithPasskey } from '../../passkey';
import { confirmWithPin } from '../../wallet-api';

const STATUS_COLOR: Record<string, string> = {
  upcoming: 'default',
  due: 'warning',
  paid: 'success',
  late_in_grace: 'warning',
  overdue: 'danger',
  active: 'primary',
  paid_off: 'success',
  written_off: 'default',
  approved: 'success',
  awaiting_signature: 'warning',
  signed: 'success',
  declined: 'danger',
  referred: 'warning',
  expired: 'default',
  open: 'warning',
  minimum_paid: 'primary',
};

export function StatusTag(props: { status: string; label: string; testId?: string }) {
  return (
    <Tag
      color={STATUS_COLOR[props.status] ?? 'default'}
      fill="outline"
      className="tb-credit-tag"
      data-testid={props.testId}
      data-status={props.status}
    >
      {props.label}
    </Tag>
  );
}

/**
 * The annualised rate (年化利率, IRR-based) as the page's biggest price figure: the rule says no
 * other price may be shown more prominently.
 */
export function AprFigure(props: { aprBp: number; label?: string; inverse?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className={props.inverse ? 'tb-apr tb-apr-inverse' : 'tb-apr'}>
      <span className="tb-apr-value" data-testid={props.testId ?? 'apr'}>
        {formatBp(props.aprBp)}
      </span>
      <span className="tb-apr-label">{props.label ?? t('credit.apr')}</span>
    </div>
  );
}

/** The three figures under the APR: each installment (or the first), total interest, total repayment. */
export function ScheduleSummary(props: { schedule: Schedule }) {
  const { t } = useTranslation();
  const s = props.schedule;
  const first = s.installments[0];
  const equal = s.method === 'equal_installment';
  return (
    <div className="tb-credit-figures">
      <div>
        <span>{equal ? t('credit.monthly') : t('credit.firstInstallment')}</span>
        <strong data-testid="first-installment">{first ? formatFen(first.total) : '—'}</strong>
      </div>
      <div>
        <span>{t('credit.totalInterest')}</span>
        <strong data-testid="total-interest">{formatFen(s.totalInterest)}</strong>
      </div>
      <div>
        <span>{t('credit.totalRepayment')}</span>
        <strong>{formatFen(s.totalRepayment)}</strong>
      </div>
    </div>
  );
}

function InstallmentRow(props: { item: Installment; showStatus: boolean }) {
  const { t } = useTranslation();
  const day = useDay();
  const i = props.item;
  const paid = BigInt(i.paid) > 0n && i.status !== 'paid';
  return (
    <li className={`tb-inst tb-inst-${i.status}`} data-testid="installment" data-status={i.status}>
      <div className="tb-inst-num" aria-hidden>
        {i.number}
      </div>
      <div className="tb-inst-main">
        <div className="tb-inst-line">
          <span>
            {t('credit.installment', { number: i.number })} · {day(i.dueDate)}
          </span>
          <strong>{formatFen(i.total)}</strong>
        </div>
        <div className="tb-inst-parts">
          {t('credit.principal')} {formatFen(i.principal)} · {t('credit.interest')} {formatFen(i.interest)}
          {BigInt(i.penalty) > 0n ? ` · ${t('credit.penalty')} ${formatFen(i.penalty)}` : ''}
          {paid ? ` · ${t('credit.paid')} ${formatFen(i.paid)}` : ''}
        </div>
        {i.movedFrom ? <div className="tb-inst-moved">{t('credit.movedFrom', { date: day(i.movedFrom) })}</div> : null}
      </div>
      {props.showStatus ? (
        <StatusTag status={i.status} label={t(`credit.installmentStatus.${i.status}`, { defaultValue: i.status })} />
      ) : null}
    </li>
  );
}

/** Every installment: number, due date, amount and its principal and interest parts (and status once signed). */
export function ScheduleList(props: { schedule: Schedule; showStatus?: boolean; collapsedCount?: number }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const items = props.schedule.installments;
  const limit = props.collapsedCount ?? items.length;
  const shown = all ? items : items.slice(0, limit);
  return (
    <div className="tb-schedule" data-testid="schedule">
      <ol className="tb-inst-list">
        {shown.map((item) => (
          <InstallmentRow key={item.number} item={item} showStatus={Boolean(props.showStatus)} />
        ))}
      </ol>
      {items.length > limit ? (
        <button type="button" className="tb-credit-more" onClick={() => setAll(!all)} data-testid="schedule-toggle">
          {all ? t('credit.showLess') : t('credit.showAll', { count: items.length })}
        </button>
      ) : null}
    </div>
  );
}

/** The contract's title as a link opening its full text in a sheet. */
export function ContractLink(props: { contract: Contract; label?: string }) {
  const { t } = useTranslation();
  const text = useText();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="tb-contract-link" onClick={() => setOpen(true)} data-testid="contract-open">
        {props.label ?? `《${text(props.contract.title)}》`}
      </button>
      <Popup
        visible={open}
        onMaskClick={() => setOpen(false)}
        onClose={() => setOpen(false)}
        bodyClassName="tb-sheet tb-contract-sheet"
        destroyOnClose
      >
        <div className="tb-sheet-body" role="dialog" aria-labelledby="contract-title">
          <h2 id="contract-title">{text(props.contract.title)}</h2>
          <p className="tb-muted tb-center tb-contract-version">
            {t('credit.contractVersion', { version: props.contract.version })}
          </p>
          <div className="tb-contract-text" data-testid="contract-text">
            {text(props.contract.text)}
          </div>
          <button type="button" className="tb-credit-close" onClick={() => setOpen(false)} data-testid="contract-close">
            {t('common.close')}
          </button>
        </div>
      </Popup>
    </>
  );
}

/**
 * The PIN pad for a prepared repayment: approves its confirmation (PIN or passkey), then completes
 * it. The completion's Idempotency-Key is tied to the repayment, so a retry cannot pay twice.
 */
export function RepaymentPinSheet(props: {
  repayment: Repayment | null;
  payee: string;
  onClose: () => void;
  onDone: (repayment: Repayment) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const complete = async () => {
    const r = props.repayment;
    if (!r?.confirmation) return;
    const done = await api.post<Repayment>(
      creditPath('repayments', r.id, 'complete'),
      { confirmationId: r.confirmation.id },
      { idempotencyKey: `credit-repay-complete-${r.id}` },
    );
    await client.invalidateQueries({ queryKey: ['credit'] });
    await client.invalidateQueries({ queryKey: ['balance'] });
    props.onDone(done);
  };
  return (
    <PinSheet
      visible={Boolean(props.repayment?.confirmation)}
      title={t('credit.repayTitle')}
      amount={props.repayment?.amount}
      payee={props.payee}
      onClose={props.onClose}
      onPasskey={async () => {
        if (!props.repayment?.confirmation) return;
        await confirmWithPasskey(props.repayment.confirmation.id);
        await complete();
      }}
      onSubmit={async (pin) => {
        if (!props.repayment?.confirmation) return;
        await confirmWithPin(props.repayment.confirmation.id, pin);
        await complete();
      }}
    />
  );
}

/** A money row of a summary list: label left, amount right. */
export function Row(props: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <div className="tb-credit-row">
      <dt>{props.label}</dt>
      <dd className={props.strong ? 'tb-credit-strong' : undefined} data-testid={props.testId}>
        {props.value}
      </dd>
    </div>
  );
}
