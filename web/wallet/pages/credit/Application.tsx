import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PinSheet } from '../../components/PinSheet';
import { ProblemView } from '../../components/ProblemView';
import { type Application, creditPath, formatBp, useApplication, useApplications, useText } from '../../credit-api';
import { formatDateTime } from '../../format';
import { confirmWithPasskey } from '../../passkey';
import { confirmWithPin } from '../../wallet-api';
import { AprFigure, ContractLink, Row, ScheduleList, ScheduleSummary, StatusTag } from './components';
import './credit.css';

/**
 * One application and its decision: approved (the offer, APR, every installment, the contract,
 * then signing with the PIN pad), declined (the main reasons in words), referred (waiting for
 * staff; the page looks again by itself), signed (the money is in the wallet) or expired.
 */
export default function ApplicationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const application = useApplication(id);
  const a = application.data;
  const back = a?.product === 'card' ? '/credit/card' : '/credit';
  return (
    <div className="tb-page">
      <PageHeader title={a?.product === 'card' ? t('credit.cardTitle') : t('credit.loanTitle')} back={back} />
      <div className="tb-page-body">
        {application.isPending ? <Loading /> : null}
        {application.error ? (
          <ProblemView error={application.error} onRetry={() => void application.refetch()} />
        ) : null}
        {a ? <Decision application={a} /> : null}
      </div>
    </div>
  );
}

function Decision(props: { application: Application }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const text = useText();
  const a = props.application;
  const status = a.status;
  if (status === 'signed')
    return (
      <Result
        status="success"
        title={
          <span data-testid="application-status" data-status={status}>
            {a.product === 'card' ? t('credit.signedCard') : t('credit.signedLoan')}
          </span>
        }
        description={
          <>
            <p>
              {a.product === 'card'
                ? t('credit.signedCardHint')
                : t('credit.signedLoanHint', { amount: formatFen(a.offer?.limit ?? 0) })}
            </p>
            <Button
              block
              color="primary"
              className="tb-space-top"
              onClick={() => navigate(a.loanId ? `/credit/loans/${a.loanId}` : '/credit/card')}
              data-testid="application-next"
            >
              {a.product === 'card' ? t('credit.viewCard') : t('credit.viewLoan')}
            </Button>
          </>
        }
      />
    );
  if (status === 'declined')
    return (
      <>
        <Result
          status="error"
          title={
            <span data-testid="application-status" data-status={status}>
              {t('credit.decisionTitle.decline')}
            </span>
          }
          description={t('credit.declinedHint')}
        />
        <Reasons application={a} />
        <Button block color="primary" fill="outline" onClick={() => navigate('/credit/health')}>
          {t('credit.health')}
        </Button>
      </>
    );
  if (status === 'referred')
    return (
      <>
        <Result
          status="waiting"
          title={
            <span data-testid="application-status" data-status={status}>
              {t('credit.decisionTitle.refer')}
            </span>
          }
          description={t('credit.referredHint')}
        />
        <Reasons application={a} />
      </>
    );
  if (status === 'expired' || !a.offer)
    return (
      <Result
        status="info"
        title={
          <span data-testid="application-status" data-status={status}>
            {t(`credit.applicationStatus.${status}`, { defaultValue: status })}
          </span>
        }
        description={
          <>
            <p>{t('credit.offerExpired')}</p>
            <Button
              color="primary"
              onClick={() => navigate(a.product === 'card' ? '/credit/card' : '/credit/loans/apply')}
            >
              {t('credit.applyAgain')}
            </Button>
          </>
        }
      />
    );
  return <Offer application={a} contractTitle={text(a.offer.contract.title)} />;
}

function Reasons(props: { application: Application }) {
  const { t } = useTranslation();
  const text = useText();
  const reasons = props.application.decision.reasons;
  if (!reasons.length) return null;
  return (
    <section className="tb-credit-card" aria-labelledby="reasons-title" data-testid="decision-reasons">
      <h2 id="reasons-title" className="tb-credit-card-title">
        {t('credit.reasons')}
      </h2>
      <ol className="tb-credit-reasons">
        {reasons.map((reason) => (
          <li key={reason.code} data-code={reason.code}>
            {text(reason.text)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The approved offer: APR as the headline, the schedule, the contract, and signing with the PIN. */
function Offer(props: { application: Application; contractTitle: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const a = props.application;
  const offer = a.offer;
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [signing, setSigning] = useState<Application | null>(null);
  if (!offer) return null;
  const loan = a.product === 'loan';
  const schedule = offer.schedule;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<Application>(
        creditPath('applications', a.id, 'sign'),
        {},
        {
          idempotencyKey: `credit-sign-${a.id}`,
        },
      );
      if (answer.status === 'signed') await finish(answer);
      else setSigning(answer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const complete = async () => {
    if (!signing?.signing) return;
    const done = await api.post<Application>(
      creditPath('applications', a.id, 'complete'),
      { confirmationId: signing.signing.id },
      { idempotencyKey: `credit-sign-complete-${a.id}-${signing.signing.id}` },
    );
    await finish(done);
  };
  const finish = async (done: Application) => {
    setSigning(null);
    client.setQueryData(['credit', 'application', a.id], done);
    await client.invalidateQueries({ queryKey: ['credit'] });
    await client.invalidateQueries({ queryKey: ['balance'] });
    if (done.loanId) navigate(`/credit/loans/${done.loanId}?signed=1`, { replace: true });
  };

  return (
    <>
      <section className="tb-credit-offer" aria-labelledby="offer-title" data-testid="credit-offer">
        <div className="tb-credit-offer-head">
          <h2 id="offer-title" data-testid="application-status" data-status={a.status}>
            {t('credit.decisionTitle.approve')}
          </h2>
          <StatusTag
            status="approved"
            label={t(`credit.decidedBy.${a.decision.by}`, { defaultValue: a.decision.by })}
          />
        </div>
        <div className="tb-credit-offer-figures">
          <AprFigure aprBp={schedule?.aprBp ?? offer.annualRateBp} />
          <div className="tb-credit-offer-limit">
            <span>{loan ? t('credit.approvedAmount') : t('credit.approvedLimit')}</span>
            <strong data-testid="offer-limit">{formatFen(offer.limit)}</strong>
          </div>
        </div>
        <p className="tb-fineprint">{t('credit.aprNote')}</p>
        <p className="tb-muted tb-credit-hint">{t('credit.offerExpires', { time: formatDateTime(offer.expiresAt) })}</p>
      </section>

      {loan && schedule ? (
        <section className="tb-credit-card" aria-labelledby="offer-schedule">
          <h2 id="offer-schedule" className="tb-credit-card-title">
            {t('credit.schedule')} · {t('credit.termMonths', { count: schedule.termMonths })} ·{' '}
            {t(`credit.methods.${schedule.method}`, { defaultValue: schedule.method })}
          </h2>
          <ScheduleSummary schedule={schedule} />
          <dl className="tb-credit-rows">
            <Row label={t('credit.contractRate')} value={formatBp(schedule.annualRateBp)} />
          </dl>
          <ScheduleList schedule={schedule} />
        </section>
      ) : null}

      {offer.card ? (
        <section className="tb-credit-card">
          <List>
            <List.Item extra={formatBp(offer.annualRateBp)}>{t('credit.aprSimple')}</List.Item>
            <List.Item extra={t('credit.card.dayOfMonth', { day: offer.card.statementDay })}>
              {t('credit.card.statementDay')}
            </List.Item>
            <List.Item extra={t('credit.card.dayOfMonth', { day: offer.card.dueDay })}>
              {t('credit.card.dueDay')}
            </List.Item>
            <List.Item>{t('credit.card.interestFree', { days: offer.card.interestFreeDaysMax })}</List.Item>
          </List>
        </section>
      ) : null}

      <div className="tb-credit-agree">
        <Checkbox checked={agreed} onChange={setAgreed} data-testid="contract-agree">
          {t('credit.agree', { title: props.contractTitle })}
        </Checkbox>
        <ContractLink contract={offer.contract} label={t('credit.readContract')} />
      </div>
      <ErrorBanner message={error ? errorMessage(error) : null} />
      <Button
        block
        color="primary"
        size="large"
        disabled={!agreed}
        loading={busy}
        onClick={() => void start()}
        data-testid="contract-sign"
      >
        {loan ? t('credit.signLoan') : t('credit.signCard')}
      </Button>
      <PinSheet
        visible={Boolean(signing?.signing)}
        title={t('credit.signTitle')}
        amount={loan ? offer.limit : undefined}
        detail={t(loan ? 'credit.signDetail' : 'credit.signCardDetail', { title: props.contractTitle })}
        onClose={() => setSigning(null)}
        onPasskey={async () => {
          if (!signing?.signing) return;
          await confirmWithPasskey(signing.signing.id);
          await complete();
        }}
        onSubmit={async (pin) => {
          if (!signing?.signing) return;
          await confirmWithPin(signing.signing.id, pin);
          await complete();
        }}
      />
    </>
  );
}

/** Every application, newest first, each to its decision. */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = useApplications();
  return (
    <div className="tb-page">
      <PageHeader title={t('credit.applications')} back="/credit" />
      <div className="tb-page-body tb-flush">
        {list.error ? <ProblemView error={list.error} onRetry={() => void list.refetch()} /> : null}
        <List>
          {list.data?.items.map((a) => (
            <List.Item
              key={a.id}
              onClick={() => navigate(`/credit/applications/${a.id}`)}
              description={formatDateTime(a.createdAt)}
              extra={
                <StatusTag
                  status={a.status}
                  label={t(`credit.applicationStatus.${a.status}`, { defaultValue: a.status })}
                />
              }
            >
              {a.product === 'card'
                ? t('credit.cardTitle')
                : `${t('credit.loanTitle')} ${a.requested.amount !== null ? formatFen(a.requested.amount) : ''}`}
            </List.Item>
          ))}
        </List>
      </div>
    </div>
  );
}
