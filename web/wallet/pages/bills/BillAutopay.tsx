import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, List, Result, Selector, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { type Mandate, type MandateRun, useMandates, useSavedAccounts } from '../../bills-api';
import { AmountField } from '../../components/AmountField';
import { billerName } from '../../components/Bills';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PinSheet } from '../../components/PinSheet';
import { ProblemView } from '../../components/ProblemView';
import { formatDateTime } from '../../format';

type Timing = 'on_arrival' | 'before_due';
const DAYS = [1, 3, 5, 7];

/** Autopay (代扣) for one saved account: sign a mandate with the PIN (caps, timing), then pause, resume or cancel it. */
export default function BillAutopayPage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const client = useQueryClient();
  const { id } = useParams();
  const accounts = useSavedAccounts();
  const mandates = useMandates();
  const account = accounts.data?.items.find((item) => item.id === id);
  const mandate = mandates.data?.items.find((m) => m.savedAccountId === id && m.status !== 'cancelled');
  const [capPerBill, setCapPerBill] = useState('300');
  const [capPerMonth, setCapPerMonth] = useState('500');
  const [timing, setTiming] = useState<Timing>('on_arrival');
  const [days, setDays] = useState(3);
  const [signing, setSigning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const perBill = parseYuan(capPerBill);
  const perMonth = parseYuan(capPerMonth);
  const capsWrong = perBill !== null && perMonth !== null && perBill > perMonth;

  const refresh = () => client.invalidateQueries({ queryKey: ['bills'] });
  const act = async (mandateId: string, action: 'pause' | 'resume' | 'cancel') => {
    if (action === 'cancel') {
      const yes = await Dialog.confirm({
        content: t('bills.autopay.confirmCancel'),
        confirmText: t('bills.autopay.cancel'),
        cancelText: t('common.cancel'),
      });
      if (!yes) return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post<Mandate>(`/api/v1/bills/autopay/${encodeURIComponent(mandateId)}/${action}`);
      await refresh();
      Toast.show({ icon: 'success', content: t('common.done') });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  if (accounts.isPending || mandates.isPending) return <Loading />;
  const loadError = accounts.error ?? mandates.error;
  if (loadError) return <ProblemView error={loadError} />;

  return (
    <div className="tb-page">
      <PageHeader title={t('bills.autopay.title')} back={id ? `/bills/accounts/${encodeURIComponent(id)}` : '/bills'} />
      <div className="tb-page-body">
        {account ? (
          <p className="tb-muted" data-testid="autopay-account">
            {account.label} · {billerName(account.biller, english)} · {account.accountNumber}
          </p>
        ) : null}
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {mandate ? (
          <>
            <Result
              status={mandate.status === 'active' ? 'success' : 'waiting'}
              title={
                <span data-testid="mandate-status" data-status={mandate.status}>
                  {mandate.status === 'active'
                    ? t('bills.autopay.signed')
                    : t(`bills.autopay.status.${mandate.status}`, { defaultValue: mandate.status })}
                </span>
              }
              description={t('bills.autopay.usedThisMonth', { amount: formatFen(mandate.usedThisMonth) })}
            />
            <List className="tb-receipt" data-testid="mandate">
              <List.Item extra={formatFen(mandate.capPerBill)}>{t('bills.autopay.capPerBill')}</List.Item>
              <List.Item extra={formatFen(mandate.capPerMonth)}>{t('bills.autopay.capPerMonth')}</List.Item>
              <List.Item
                extra={
                  mandate.timing === 'before_due'
                    ? t('bills.autopay.daysBefore', { days: mandate.daysBeforeDue ?? 0 })
                    : t('bills.autopay.timings.on_arrival')
                }
              >
                {t('bills.autopay.timing')}
              </List.Item>
              <List.Item extra={t('bills.autopay.sourceWallet')}>{t('bills.autopay.source')}</List.Item>
              <List.Item extra={formatDateTime(mandate.createdAt)}>{t('bills.autopay.signedAt')}</List.Item>
            </List>
            <div className="tb-sheet-buttons">
              {mandate.status === 'active' ? (
                <Button loading={busy} onClick={() => void act(mandate.id, 'pause')} data-testid="mandate-pause">
                  {t('bills.autopay.pause')}
                </Button>
              ) : (
                <Button
                  color="primary"
                  loading={busy}
                  onClick={() => void act(mandate.id, 'resume')}
                  data-testid="mandate-resume"
                >
                  {t('bills.autopay.resume')}
                </Button>
              )}
              <Button color="danger" fill="outline" onClick={() => void act(mandate.id, 'cancel')}>
                {t('bills.autopay.cancel')}
              </Button>
            </div>
            <Runs mandateId={mandate.id} />
          </>
        ) : (
          <>
            <p className="tb-lead">{t('bills.autopay.intro')}</p>
            <AmountField
              value={capPerBill}
              onChange={setCapPerBill}
              label={t('bills.autopay.capPerBill')}
              testId="cap-per-bill"
            />
            <AmountField
              value={capPerMonth}
              onChange={setCapPerMonth}
              label={t('bills.autopay.capPerMonth')}
              testId="cap-per-month"
            />
            <p className={capsWrong ? 'tb-fineprint tb-error-text' : 'tb-fineprint'}>{t('bills.autopay.capHint')}</p>
            <p className="tb-sheet-label">{t('bills.autopay.timing')}</p>
            <Selector
              columns={2}
              value={[timing]}
              onChange={(value) => value[0] && setTiming(value[0] as Timing)}
              options={(['on_arrival', 'before_due'] as const).map((value) => ({
                value,
                label: t(`bills.autopay.timings.${value}`),
              }))}
            />
            {timing === 'before_due' ? (
              <>
                <p className="tb-sheet-label">{t('bills.autopay.daysBeforeLabel')}</p>
                <Selector
                  columns={4}
                  value={[days]}
                  onChange={(value) => value[0] && setDays(value[0])}
                  options={DAYS.map((value) => ({ value, label: t('bills.account.remindDays', { days: value }) }))}
                />
              </>
            ) : null}
            <List className="tb-receipt">
              <List.Item extra={t('bills.autopay.sourceWallet')}>{t('bills.autopay.source')}</List.Item>
            </List>
            <Button
              block
              color="primary"
              size="large"
              className="tb-space-top"
              disabled={!account || perBill === null || perMonth === null || capsWrong}
              onClick={() => setSigning(true)}
              data-testid="autopay-sign"
            >
              {t('bills.autopay.sign')}
            </Button>
          </>
        )}
        <PinSheet
          visible={signing}
          title={t('bills.autopay.signTitle')}
          payee={
            account
              ? `${account.label} · ${billerName(account.biller, english)} · ${t('bills.autopay.capPerBill')} ${
                  perBill === null ? '' : formatFen(perBill)
                }`
              : undefined
          }
          onClose={() => setSigning(false)}
          onSubmit={async (pin) => {
            if (!account || perBill === null || perMonth === null) return;
            await api.post<Mandate>('/api/v1/bills/autopay', {
              savedAccountId: account.id,
              capPerBill: fenToJson(perBill),
              capPerMonth: fenToJson(perMonth),
              timing,
              daysBeforeDue: timing === 'before_due' ? days : undefined,
              pin,
            });
            setSigning(false);
            await refresh();
          }}
        />
      </div>
    </div>
  );
}

function Runs(props: { mandateId: string }) {
  const { t } = useTranslation();
  const runs = useQuery({
    queryKey: ['bills', 'autopay', props.mandateId, 'runs'],
    queryFn: () =>
      api.get<{ items: MandateRun[] }>(`/api/v1/bills/autopay/${encodeURIComponent(props.mandateId)}/runs`),
  });
  return (
    <>
      <h2 className="tb-section-title tb-bills-heading">{t('bills.autopay.runs')}</h2>
      {runs.data && runs.data.items.length === 0 ? <p className="tb-muted">{t('bills.autopay.noRuns')}</p> : null}
      {runs.data?.items.length ? (
        <List data-testid="autopay-runs">
          {runs.data.items.map((run) => (
            <List.Item
              key={run.id}
              description={`${formatDateTime(run.at)}${run.period ? ` · ${t('bills.period')} ${run.period}` : ''}`}
              extra={formatFen(run.amount)}
            >
              <Tag color={run.outcome === 'paid' ? 'success' : run.outcome === 'failed' ? 'danger' : 'warning'}>
                {t(`bills.autopay.outcomes.${run.outcome}`, { defaultValue: run.outcome })}
              </Tag>
            </List.Item>
          ))}
        </List>
      ) : null}
    </>
  );
}
