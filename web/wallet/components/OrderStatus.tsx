import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Result } from 'antd-mobile';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { localBankText } from '../../shared/banks';
import { formatFen } from '../../shared/money';
import type { Order } from '../wallet-api';

const FINAL = ['succeeded', 'failed', 'expired'];

/**
 * A card order's clear status: processing (polled every 2 s until the bank answers), succeeded,
 * or failed with the bank's reason in words.
 */
export function OrderStatus(props: { order: Order; kind: 'topups' | 'withdrawals' }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const live = useQuery({
    queryKey: ['order', props.order.id],
    queryFn: () => api.get<Order>(`/api/v1/wallet/${props.kind}/${props.order.id}`),
    initialData: props.order,
    refetchInterval: (query) => (FINAL.includes(query.state.data?.status ?? '') ? false : 2000),
  });
  const order = live.data ?? props.order;
  const final = FINAL.includes(order.status);
  useEffect(() => {
    if (final) void client.invalidateQueries({ queryKey: ['balance'] });
  }, [final, client]);
  const title = t(`orders.${props.kind}.${order.status}`, { defaultValue: order.status });
  return (
    <Result
      status={order.status === 'succeeded' ? 'success' : final ? 'error' : 'waiting'}
      title={
        <span data-testid="order-status" data-status={order.status}>
          {title}
        </span>
      }
      description={
        <div className="tb-order-desc">
          <div className="tb-amount-big">{formatFen(order.amount)}</div>
          <div>
            {t(props.kind === 'topups' ? 'receipt.from' : 'receipt.to')}{' '}
            {localBankText(order.counterparty, i18n.language === 'en')}
          </div>
          {order.failureReason ? (
            <p className="tb-error-text">
              {t(`bankReasons.${order.failureReason}`, { defaultValue: t('bankReasons.other') })}
            </p>
          ) : null}
          {!final ? <p className="tb-muted">{t('orders.processingHint')}</p> : null}
          {order.arrival && order.arrival !== 'realtime' && !final ? (
            <p className="tb-muted">{t(`orders.arrival.${order.arrival}`, { defaultValue: '' })}</p>
          ) : null}
          <Button
            block
            size="large"
            color="primary"
            className="tb-done-button"
            onClick={() => navigate('/')}
            data-testid="done"
          >
            {t('receipt.done')}
          </Button>
        </div>
      }
    />
  );
}
