import { useQueryClient } from '@tanstack/react-query';
import { Button, List, Popup, Switch, TextArea, Toast } from 'antd-mobile';
import { ExclamationCircleOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import {
  type Autopay,
  type BureauReport,
  type Health,
  creditPath,
  useAutopay,
  useDay,
  useHealth,
  useText,
} from '../../credit-api';
import { formatDateTime } from '../../format';
import { StatusTag } from './components';
import './credit.css';

/**
 * 信用健康: what is due (and, before anything is reported, the date it would be and how to avoid
 * it), the notices, the sandbox bureau's report of me (score, accounts month by month, negative
 * records), my disputes and how to raise one, and automatic repayment.
 */
export default function HealthPage() {
  const { t } = useTranslation();
  const health = useHealth();
  const h = health.data;
  return (
    <div className="tb-page">
      <PageHeader title={t('credit.healthTitle')} back="/credit" />
      {health.isPending ? <Loading /> : null}
      {health.error ? <ProblemView error={health.error} onRetry={() => void health.refetch()} /> : null}
      {h ? (
        <div className="tb-page-body">
          <DueList health={h} />
          <AutopayCard />
          <Notices health={h} />
          <Report report={h.report} health={h} />
        </div>
      ) : null}
    </div>
  );
}

function DueList(props: { health: Health }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const day = useDay();
  const due = props.health.due;
  return (
    <section className="tb-credit-card" aria-labelledby="health-due" data-testid="health-due">
      <h2 id="health-due" className="tb-credit-card-title">
        {t('credit.healthPage.due')}
      </h2>
      {!due.length ? <p className="tb-credit-ok">{t('credit.healthPage.nothingDue')}</p> : null}
      <ul className="tb-due-list">
        {due.map((item) => (
          <li
            key={`${item.target}-${item.id}-${item.dueDate}`}
            className={`tb-due tb-due-${item.state}`}
            data-testid="health-due-item"
          >
            <button
              type="button"
              onClick={() => navigate(item.target === 'loan' ? `/credit/loans/${item.id}` : '/credit/card')}
            >
              <div className="tb-due-line">
                <span>
                  {item.target === 'loan' ? t('credit.healthPage.loan') : t('credit.healthPage.card')} ·{' '}
                  {t('credit.dueOn', { date: day(item.dueDate) })}
                </span>
                <strong>{formatFen(item.amount)}</strong>
              </div>
              <StatusTag
                status={item.state}
                label={t(`credit.healthPage.state.${item.state}`, { defaultValue: item.state })}
              />
              {item.graceEndsOn && item.state !== 'upcoming' ? (
                <p className="tb-due-note">{t('credit.healthPage.graceEnds', { date: day(item.graceEndsOn) })}</p>
              ) : null}
              {item.reportOn ? (
                <p className="tb-due-warn" role="alert">
                  <ExclamationCircleOutline aria-hidden />{' '}
                  {t('credit.healthPage.reportOn', { date: day(item.reportOn) })}
                </p>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      <p className="tb-fineprint">{t('credit.healthPage.ourFault')}</p>
    </section>
  );
}

function AutopayCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const autopay = useAutopay();
  const [busy, setBusy] = useState(false);
  const a = autopay.data;
  const toggle = async (cardFallback: boolean) => {
    setBusy(true);
    try {
      const next = await api.put<Autopay>(creditPath('autopay'), { cardFallback });
      client.setQueryData(['credit', 'autopay'], next);
    } catch (failure) {
      Toast.show({ content: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="health-autopay">
      <h2 id="health-autopay" className="tb-credit-card-title">
        {t('credit.autopay')}
      </h2>
      <p className="tb-muted tb-credit-pad">{t('credit.autopayHint')}</p>
      <List>
        <List.Item
          extra={
            <Switch
              checked={a?.cardFallback ?? false}
              loading={busy || autopay.isPending}
              onChange={(value) => void toggle(value)}
              aria-label={t('credit.autopayCard')}
              data-testid="autopay-card"
            />
          }
        >
          {a?.cardLabel ? t('credit.autopayCardWith', { card: a.cardLabel }) : t('credit.autopayCard')}
        </List.Item>
      </List>
    </section>
  );
}

function Notices(props: { health: Health }) {
  const { t } = useTranslation();
  const text = useText();
  if (!props.health.notices.length) return null;
  return (
    <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="health-notices">
      <h2 id="health-notices" className="tb-credit-card-title">
        {t('credit.healthPage.notices')}
      </h2>
      <List>
        {props.health.notices.map((n) => (
          <List.Item
            key={n.id}
            description={formatDateTime(n.createdAt)}
            data-testid="health-notice"
            data-kind={n.kind}
          >
            <span className={n.kind === 'pre_report' || n.kind === 'reported' ? 'tb-error-text' : undefined}>
              {text(n.text)}
            </span>
          </List.Item>
        ))}
      </List>
    </section>
  );
}

function Report(props: { report: BureauReport; health: Health }) {
  const { t } = useTranslation();
  const day = useDay();
  const text = useText();
  const r = props.report;
  const [disputing, setDisputing] = useState<string | null>(null);
  const open = new Set(props.health.disputes.filter((d) => d.status === 'open').map((d) => d.recordId));
  return (
    <>
      <section className="tb-credit-card" aria-labelledby="health-report" data-testid="health-report">
        <div className="tb-cc-statement-head">
          <h2 id="health-report" className="tb-credit-card-title">
            {t('credit.healthPage.report')}
          </h2>
          <span className="tb-muted tb-small">
            {t('credit.healthPage.reportAsOf', { date: day(r.asOf.slice(0, 10)) })}
          </span>
        </div>
        <div className="tb-score">
          {r.score === null ? (
            <span className="tb-muted">{t('credit.healthPage.thinFile')}</span>
          ) : (
            <>
              <strong data-testid="bureau-score">{r.score}</strong>
              <span>{t('credit.healthPage.score')}</span>
            </>
          )}
        </div>

        <h3 className="tb-credit-sub">{t('credit.healthPage.accounts')}</h3>
        {!r.accounts.length ? <p className="tb-muted">{t('credit.healthPage.noAccounts')}</p> : null}
        {r.accounts.map((account) => (
          <div key={account.id} className="tb-bureau-account" data-testid="bureau-account">
            <div className="tb-due-line">
              <span>
                {account.lender} · {account.kind === 'card' ? t('credit.healthPage.card') : t('credit.healthPage.loan')}
              </span>
              <StatusTag
                status={account.status === 'current' ? 'paid' : account.status}
                label={t(`credit.healthPage.accountStatus.${account.status}`, { defaultValue: account.status })}
              />
            </div>
            <div className="tb-muted tb-small">
              {day(account.openedOn)} · {formatFen(account.balance)}
            </div>
            <ol className="tb-months" aria-label={t('credit.healthPage.monthsLegend')}>
              {account.months.slice(-24).map((m) => (
                <li key={m.month} className={`tb-month tb-month-${m.status}`} title={`${m.month}: ${m.status}`}>
                  {m.status}
                </li>
              ))}
            </ol>
          </div>
        ))}
        {r.accounts.length ? <p className="tb-fineprint">{t('credit.healthPage.monthsLegend')}</p> : null}

        <h3 className="tb-credit-sub">{t('credit.healthPage.records')}</h3>
        {!r.records.length ? <p className="tb-credit-ok">{t('credit.healthPage.noRecords')}</p> : null}
        <ul className="tb-due-list">
          {r.records.map((record) => (
            <li key={record.id} className="tb-record" data-testid="bureau-record">
              <div className="tb-due-line">
                <span className={record.removed ? 'tb-struck' : undefined}>
                  {record.month} · {t(`credit.healthPage.recordKind.${record.kind}`, { defaultValue: record.kind })}
                </span>
                <strong>{formatFen(record.amount)}</strong>
              </div>
              {record.removed ? (
                <span className="tb-muted tb-small">{t('credit.healthPage.removed')}</span>
              ) : record.disputed || open.has(record.id) ? (
                <span className="tb-muted tb-small">{t('credit.healthPage.disputed')}</span>
              ) : (
                <Button
                  size="mini"
                  color="primary"
                  fill="outline"
                  onClick={() => setDisputing(record.id)}
                  data-testid="dispute-open"
                >
                  {t('credit.healthPage.dispute')}
                </Button>
              )}
            </li>
          ))}
        </ul>

        <h3 className="tb-credit-sub">{t('credit.healthPage.inquiries')}</h3>
        {!r.inquiries.length ? <p className="tb-muted">{t('credit.healthPage.noInquiries')}</p> : null}
        <ul className="tb-inquiries">
          {r.inquiries.map((q) => (
            <li key={`${q.on}-${q.by}-${q.reason}`}>
              <span>{day(q.on)}</span>
              <span>{q.by}</span>
              <span className="tb-muted">
                {t(`credit.healthPage.inquiryReasons.${q.reason}`, { defaultValue: q.reason })}
              </span>
            </li>
          ))}
        </ul>
      </section>

      {props.health.disputes.length ? (
        <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="health-disputes">
          <h2 id="health-disputes" className="tb-credit-card-title">
            {t('credit.healthPage.disputes')}
          </h2>
          <List>
            {props.health.disputes.map((d) => (
              <List.Item
                key={d.id}
                description={d.resolution ?? formatDateTime(d.createdAt)}
                extra={
                  <StatusTag
                    status={d.status === 'upheld' ? 'paid' : d.status === 'rejected' ? 'expired' : 'open'}
                    label={t(`credit.healthPage.disputeStatus.${d.status}`, { defaultValue: d.status })}
                  />
                }
                data-testid="dispute"
              >
                {d.reason}
              </List.Item>
            ))}
          </List>
        </section>
      ) : null}

      <section className="tb-credit-card" aria-labelledby="health-how">
        <h2 id="health-how" className="tb-credit-card-title">
          {t('credit.healthPage.howToDispute')}
        </h2>
        <p className="tb-credit-howto" data-testid="how-to-dispute">
          {text(props.health.howToDispute)}
        </p>
      </section>
      <DisputeSheet recordId={disputing} onClose={() => setDisputing(null)} />
    </>
  );
}

function DisputeSheet(props: { recordId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    if (!props.recordId) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(creditPath('disputes'), { recordId: props.recordId, reason: reason.trim() });
      Toast.show({ content: t('credit.healthPage.disputeSent') });
      setReason('');
      props.onClose();
      await client.invalidateQueries({ queryKey: ['credit', 'health'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popup
      visible={props.recordId !== null}
      onMaskClick={props.onClose}
      onClose={props.onClose}
      bodyClassName="tb-sheet"
    >
      <div className="tb-sheet-body" role="dialog" aria-labelledby="dispute-title">
        <h2 id="dispute-title">{t('credit.healthPage.disputeTitle')}</h2>
        <label className="tb-sheet-label" htmlFor="dispute-reason">
          {t('credit.healthPage.disputeReason')}
        </label>
        <TextArea
          id="dispute-reason"
          value={reason}
          onChange={setReason}
          rows={4}
          maxLength={500}
          showCount
          placeholder={t('credit.healthPage.disputePlaceholder')}
          data-testid="dispute-reason"
        />
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <Button
          block
          color="primary"
          className="tb-space-top"
          disabled={reason.trim().length < 5}
          loading={busy}
          onClick={() => void submit()}
          data-testid="dispute-submit"
        >
          {t('credit.healthPage.disputeSubmit')}
        </Button>
      </div>
    </Popup>
  );
}
