import { Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { formatFen } from '../../../shared/money';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatBp, useDay, useLoan } from '../../credit-api';
import { formatDateTime } from '../../format';
import { ContractLink, Row, ScheduleList, StatusTag } from './components';
import './credit.css';

/**
 * One loan: what is left to pay, the next installment with a repay button, the rates (APR first),
 * the current schedule (recalculated after a part prepayment), the repayments and the contract.
 */
export default function LoanPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const day = useDay();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const loan = useLoan(id);
  const l = loan.data;
  if (loan.isPending) return <Loading />;
  if (!l) return <ProblemView error={loan.error} onRetry={() => void loan.refetch()} />;
  const closed = l.status === 'paid_off' || l.status === 'written_off';
  return (
    <div className="tb-page">
      <PageHeader title={t('credit.loanDetail')} back="/credit" />
      {search.get('signed') ? (
        <p className="tb-welcome tb-credit-welcome" role="status" data-testid="loan-signed">
          {t('credit.signedLoanHint', { amount: formatFen(l.amount) })}
        </p>
      ) : null}
      <section className="tb-credit-band tb-credit-band-compact" aria-labelledby="loan-outstanding-label">
        <div className="tb-credit-band-row">
          <span id="loan-outstanding-label" className="tb-credit-band-label">
            {t('credit.outstanding')}
          </span>
          <StatusTag
            status={l.status}
            label={t(`credit.loanStatus.${l.status}`, { defaultValue: l.status })}
            testId="loan-status"
          />
        </div>
        <div className="tb-credit-band-amount" data-testid="loan-outstanding">
          {formatFen(l.outstanding.total)}
        </div>
        <div className="tb-credit-band-grid">
          <div>
            <span>{t('credit.apr')}</span>
            <strong data-testid="loan-apr">{formatBp(l.aprBp)}</strong>
          </div>
          <div>
            <span>{t('credit.loanAmount')}</span>
            <strong>{formatFen(l.amount)}</strong>
          </div>
          <div>
            <span>{t('credit.outstandingPrincipal')}</span>
            <strong>{formatFen(l.outstanding.principal)}</strong>
          </div>
        </div>
      </section>

      <div className="tb-page-body">
        {l.nextDue && !closed ? (
          <div className="tb-credit-next" data-testid="loan-next-due">
            <div>
              <div className="tb-muted">
                {t('credit.installment', { number: l.nextDue.number })} ·{' '}
                {t('credit.dueOn', { date: day(l.nextDue.dueDate) })}
              </div>
              <div className="tb-credit-next-amount">{formatFen(l.nextDue.amount)}</div>
            </div>
            <Button color="primary" onClick={() => navigate(`/credit/loans/${l.id}/repay`)} data-testid="loan-repay">
              {t('credit.repay')}
            </Button>
          </div>
        ) : null}
        {!l.nextDue && !closed ? (
          <Button
            block
            color="primary"
            fill="outline"
            onClick={() => navigate(`/credit/loans/${l.id}/repay`)}
            data-testid="loan-repay"
          >
            {t('credit.repay')}
          </Button>
        ) : null}

        <section className="tb-credit-card">
          <dl className="tb-credit-rows">
            <Row label={t('credit.apr')} value={formatBp(l.aprBp)} strong />
            <Row label={t('credit.contractRate')} value={formatBp(l.annualRateBp)} />
            <Row label={t('credit.penaltyRate')} value={formatBp(l.penaltyRateBp)} />
            <Row label={t('credit.term')} value={t('credit.termMonths', { count: l.termMonths })} />
            <Row label={t('credit.method')} value={t(`credit.methods.${l.method}`, { defaultValue: l.method })} />
            <Row label={t('credit.purpose')} value={t(`credit.purposes.${l.purpose}`, { defaultValue: l.purpose })} />
            <Row label={t('credit.disbursedAt')} value={formatDateTime(l.disbursedAt)} />
            <Row label={t('credit.outstandingInterest')} value={formatFen(l.outstanding.interest)} />
            {BigInt(l.outstanding.penalty) > 0n ? (
              <Row label={t('credit.outstandingPenalty')} value={formatFen(l.outstanding.penalty)} />
            ) : null}
            {!closed ? (
              <Row label={t('credit.payoffToday')} value={formatFen(l.payoffToday)} testId="loan-payoff" />
            ) : null}
          </dl>
          <ContractLink contract={l.contract} label={t('credit.viewContract')} />
        </section>

        <section className="tb-credit-card" aria-labelledby="loan-schedule">
          <h2 id="loan-schedule" className="tb-credit-card-title">
            {t('credit.schedule')}
          </h2>
          <ScheduleList schedule={l.schedule} showStatus />
        </section>

        <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="loan-repayments">
          <h2 id="loan-repayments" className="tb-credit-card-title">
            {t('credit.repayments')}
          </h2>
          {!l.repayments.length ? <p className="tb-muted tb-credit-empty">{t('credit.noRepayments')}</p> : null}
          <List>
            {l.repayments.map((r) => (
              <List.Item
                key={r.id}
                description={`${formatDateTime(r.completedAt ?? r.createdAt)} · ${t(
                  `credit.repaymentSource.${r.source}`,
                  { defaultValue: r.source },
                )}`}
                extra={<strong>{formatFen(r.amount)}</strong>}
                data-testid="loan-repayment"
              >
                {t(`credit.repaymentMode.${r.mode}`, { defaultValue: r.mode })}
              </List.Item>
            ))}
          </List>
        </section>
      </div>
    </div>
  );
}
