import { Button, Dialog, List, Tag } from 'antd-mobile';
import { FileOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { type SavingsOrder, formatPct, useDeposit, useLocalized } from './api';
import { OrderPinSheet } from './components';
import './savings.css';

/** One term deposit: its terms, the certificate (PDF), and early withdrawal at the demand rate. */
export default function DepositPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const loc = useLocalized();
  const deposit = useDeposit(id);
  const [prepared, setPrepared] = useState<SavingsOrder | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(idempotencyKey);
  const d = deposit.data;
  if (deposit.isPending) return <Loading />;
  if (!d) return <ProblemView error={deposit.error} onRetry={() => void deposit.refetch()} />;
  const open = d.status === 'open';

  const withdrawEarly = async () => {
    const sure = await Dialog.confirm({
      title: t('savings.deposit.earlyTitle'),
      content: t('savings.deposit.earlyText', { rate: formatPct(d.demandRatePct) }),
      confirmText: t('savings.deposit.withdrawEarly'),
      cancelText: t('common.cancel'),
    });
    if (!sure) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api.post<SavingsOrder>(
        `/api/v1/savings/deposits/${encodeURIComponent(d.id)}/early-withdrawal`,
        {},
        { idempotencyKey: `${key}-${d.id}` },
      );
      if (order.status === 'awaiting_confirmation' && order.confirmation) setPrepared(order);
      else navigate(`/savings/orders/${order.id}`, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('savings.deposit.title')} back="/savings" />
      <section className="tb-savings-band" aria-label={loc(d.productName)}>
        <div className="tb-savings-band-label">{loc(d.productName)}</div>
        <div className="tb-savings-total" data-testid="deposit-principal">
          {formatFen(d.principal)}
        </div>
        <div className="tb-savings-band-row">
          <div>
            <span className="tb-savings-band-label">{t('savings.annualRate')}</span>
            <strong>{formatPct(d.annualRatePct)}</strong>
          </div>
          <div>
            <span className="tb-savings-band-label">{t('savings.deposit.interest')}</span>
            <strong>{formatFen(d.expectedInterest)}</strong>
          </div>
        </div>
      </section>
      {error ? (
        <div className="tb-section-pad">
          <ErrorBanner message={errorMessage(error)} />
        </div>
      ) : null}
      <section className="tb-section">
        <List>
          <List.Item
            extra={
              <Tag color={open ? 'success' : 'default'} data-testid="deposit-status">
                {t(`savings.deposit.status.${d.status}`, { defaultValue: d.status })}
              </Tag>
            }
          >
            {t('savings.deposit.title')}
          </List.Item>
          <List.Item extra={d.openedOn}>{t('savings.deposit.openedOn')}</List.Item>
          <List.Item extra={d.maturesOn}>{t('savings.deposit.maturesOn')}</List.Item>
          <List.Item extra={t('savings.deposit.daysValue', { count: d.days })}>{t('savings.deposit.days')}</List.Item>
          <List.Item extra={t(`savings.maturity.${d.maturityChoice}`, { defaultValue: d.maturityChoice })}>
            {t('savings.maturityChoice')}
          </List.Item>
          <List.Item extra={formatPct(d.demandRatePct)}>{t('savings.demandRate')}</List.Item>
          {d.interestPaid !== null ? (
            <List.Item extra={<span className="tb-in">{formatFen(d.interestPaid)}</span>}>
              {t('savings.deposit.interestPaid')}
            </List.Item>
          ) : null}
          {d.closedOn ? <List.Item>{t('savings.deposit.closedOn', { day: d.closedOn })}</List.Item> : null}
          <List.Item
            prefix={<FileOutline aria-hidden />}
            onClick={() =>
              window.open(`/api/v1/savings/deposits/${encodeURIComponent(d.id)}/certificate.pdf`, '_blank')
            }
            data-testid="deposit-certificate"
          >
            {t('savings.deposit.certificate')}
          </List.Item>
        </List>
        <p className="tb-fineprint tb-padded-x">{t('savings.interestRule')}</p>
      </section>
      {open ? (
        <div className="tb-padded">
          <Button
            block
            color="danger"
            fill="outline"
            loading={busy}
            onClick={() => void withdrawEarly()}
            data-testid="deposit-withdraw-early"
          >
            {t('savings.deposit.withdrawEarly')}
          </Button>
        </div>
      ) : null}
      <OrderPinSheet
        order={prepared}
        title={t('savings.deposit.withdrawEarly')}
        onClose={() => setPrepared(null)}
        onDone={(order) => navigate(`/savings/orders/${order.id}`, { replace: true })}
      />
    </div>
  );
}
