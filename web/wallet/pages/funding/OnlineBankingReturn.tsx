import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Result } from 'antd-mobile';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import type { OnlineBankingOrder } from '../../funding-api';

/** Where the bank sends the holder back: pending (polled every 2 s) until the bank's notification settles it. */
export default function OnlineBankingReturnPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const live = useQuery({
    queryKey: ['funding', 'online-order', id],
    queryFn: () => api.get<OnlineBankingOrder>(`/api/v1/funding/online-banking/orders/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'pending' ? false : 2000),
  });
  const order = live.data;
  const final = order !== undefined && order.status !== 'pending';
  useEffect(() => {
    if (final) void client.invalidateQueries({ queryKey: ['balance'] });
  }, [final, client]);
  return (
    <div className="tb-page">
      <PageHeader title={t('funding.online.title')} back="/" />
      <div className="tb-page-body">
        <ErrorBanner message={live.error ? errorMessage(live.error) : null} />
        {!order && live.isLoading ? <Loading /> : null}
        {order ? (
          <Result
            status={order.status === 'succeeded' ? 'success' : final ? 'error' : 'waiting'}
            title={
              <span data-testid="online-status" data-status={order.status}>
                {t(`funding.online.${order.status}`)}
              </span>
            }
            description={
              <div className="tb-order-desc">
                <div className="tb-amount-big">{formatFen(order.amount)}</div>
                {order.failureReason ? (
                  <p className="tb-error-text">
                    {t(`funding.online.reasons.${order.failureReason}`, { defaultValue: order.failureReason })}
                  </p>
                ) : null}
                {!final ? <p className="tb-muted">{t('funding.online.pendingHint')}</p> : null}
                <Button color="primary" className="tb-result-button" onClick={() => navigate('/')}>
                  {t('funding.online.backHome')}
                </Button>
              </div>
            }
          />
        ) : null}
      </div>
    </div>
  );
}
