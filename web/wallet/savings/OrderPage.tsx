import { useQuery } from '@tanstack/react-query';
import { Button, List, Result, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { messageForCode } from '../../shared/problems';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { OPEN_ORDER_STATUSES, type SavingsOrder, useLocalized, useOrders } from './api';
import './savings.css';

const RESULT: Record<string, 'success' | 'error' | 'waiting' | 'warning'> = {
  completed: 'success',
  rejected: 'error',
  failed: 'error',
  expired: 'warning',
};

/**
 * One savings order, live: an application under staff review (or an ordinary redemption on its
 * way) is read again every 2.5 s until it settles, so the holder sees the decision as it happens.
 */
export default function OrderPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const loc = useLocalized();
  const order = useQuery({
    queryKey: ['savings', 'order', id],
    queryFn: () => api.get<SavingsOrder>(`/api/v1/savings/orders/${encodeURIComponent(id ?? '')}`),
    refetchInterval: (q) => (OPEN_ORDER_STATUSES.includes(q.state.data?.status ?? '') ? 2500 : false),
  });
  const o = order.data;
  if (order.isPending) return <Loading />;
  if (!o) return <ProblemView error={order.error} onRetry={() => void order.refetch()} />;
  const hint =
    o.status === 'pending_review'
      ? t('savings.orderHints.pending_review')
      : o.status === 'processing' && o.arrivesOn
        ? t('savings.orderHints.processing', { day: o.arrivesOn })
        : o.status === 'rejected'
          ? t('savings.orderHints.rejected')
          : o.status === 'completed' && o.type === 'subscribe' && o.earnsFrom
            ? t('savings.orderHints.completed_subscribe', { day: o.earnsFrom })
            : o.status === 'completed' && o.type === 'deposit_open'
              ? t('savings.orderHints.completed_deposit')
              : null;
  return (
    <div className="tb-page">
      <PageHeader title={t(`savings.orderTypes.${o.type}`, { defaultValue: o.type })} back="/savings" />
      <Result
        status={RESULT[o.status] ?? 'waiting'}
        title={
          <span data-testid="savings-order-status" data-status={o.status}>
            {t(`savings.orderStatus.${o.status}`, { defaultValue: o.status })}
          </span>
        }
        description={
          <div className="tb-order-desc">
            <div className="tb-amount-big">{formatFen(o.amount)}</div>
            <div>{loc(o.productName)}</div>
            {o.interest !== null ? (
              <div className="tb-in">{t('savings.interestEarned', { amount: formatFen(o.interest) })}</div>
            ) : null}
            {hint ? (
              <p className="tb-muted" role="status">
                {hint}
              </p>
            ) : null}
            {o.reviewNote ? <p className="tb-muted">{t('savings.reviewNote', { note: o.reviewNote })}</p> : null}
            {o.failureCode ? <p className="tb-error-text">{messageForCode(o.failureCode)}</p> : null}
            {o.riskAcknowledged ? <Tag color="warning">{t('savings.ackTitle')} ✓</Tag> : null}
            <p className="tb-muted tb-small">{formatDateTime(o.createdAt)}</p>
            {o.depositId && o.type === 'deposit_open' && o.status === 'completed' ? (
              <Button color="primary" fill="outline" onClick={() => navigate(`/savings/deposits/${o.depositId}`)}>
                {t('savings.viewDeposit')}
              </Button>
            ) : null}
            <Button
              color="primary"
              className="tb-result-button"
              onClick={() => navigate('/savings')}
              data-testid="savings-order-done"
            >
              {t('savings.viewHoldings')}
            </Button>
          </div>
        }
      />
    </div>
  );
}

/** Every savings order of mine, newest first. */
export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const loc = useLocalized();
  const orders = useOrders();
  return (
    <div className="tb-page">
      <PageHeader title={t('savings.allOrders')} back="/savings" />
      <div className="tb-page-body tb-flush">
        {orders.isPending ? <Loading /> : null}
        {orders.error ? <ProblemView error={orders.error} onRetry={() => void orders.refetch()} /> : null}
        {orders.data && !orders.data.items.length ? (
          <p className="tb-muted tb-center tb-padded">{t('savings.noOrders')}</p>
        ) : null}
        <List>
          {orders.data?.items.map((o) => (
            <List.Item
              key={o.id}
              onClick={() => navigate(`/savings/orders/${o.id}`)}
              description={`${loc(o.productName)} · ${formatDateTime(o.createdAt)}`}
              extra={
                <span className="tb-savings-order-extra">
                  <strong className={o.type.startsWith('redeem') || o.type.includes('withdrawal') ? 'tb-in' : 'tb-out'}>
                    {formatFen(o.amount)}
                  </strong>
                  <span className="tb-small">{t(`savings.orderStatus.${o.status}`, { defaultValue: o.status })}</span>
                </span>
              }
            >
              {t(`savings.orderTypes.${o.type}`, { defaultValue: o.type })}
            </List.Item>
          ))}
        </List>
      </div>
    </div>
  );
}
