import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, query } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { type BillPayment, maskAccount } from '../../bills-api';
import { BillTypeIcon, billerName } from '../../components/Bills';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatDateTime } from '../../format';

export const STATUS_COLOR: Record<string, 'success' | 'warning' | 'danger' | 'default'> = {
  succeeded: 'success',
  processing: 'warning',
  awaiting_confirmation: 'default',
  failed: 'danger',
  expired: 'default',
};

/** Every bill payment, newest first; each opens its receipt. */
export default function BillHistoryPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const english = i18n.language === 'en';
  const list = useInfiniteQuery({
    queryKey: ['bills', 'payments'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<{ items: BillPayment[]; nextBefore: string | null }>(
        `/api/v1/bills/payments${query({ before: pageParam, limit: 20 })}`,
      ),
    getNextPageParam: (page) => page.nextBefore,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="tb-page">
      <PageHeader title={t('bills.history')} back="/bills" />
      <div className="tb-page-body tb-flush">
        {list.isPending ? <Loading /> : null}
        {list.error ? <ProblemView error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && items.length === 0 ? (
          <p className="tb-bills-empty tb-padded">{t('bills.historyEmpty')}</p>
        ) : null}
        {items.length ? (
          <List className="tb-records" data-testid="bill-payments">
            {items.map((payment) => (
              <List.Item
                key={payment.id}
                prefix={
                  <span className={`tb-bill-icon tb-bill-icon-${payment.billerType}`}>
                    <BillTypeIcon type={payment.billerType} />
                  </span>
                }
                onClick={() => navigate(`/bills/payments/${encodeURIComponent(payment.id)}`)}
                description={
                  <>
                    {formatDateTime(payment.completedAt ?? payment.createdAt)}
                    {payment.period ? ` · ${payment.period}` : ''}
                    {payment.source === 'autopay' ? ` · ${t('bills.autopayOn')}` : ''}
                  </>
                }
                extra={
                  <div className="tb-bill-history-extra">
                    <span>{formatFen(-payment.amount)}</span>
                    <Tag color={STATUS_COLOR[payment.status] ?? 'default'} fill="outline">
                      {t(`bills.status.${payment.status}`, { defaultValue: payment.status })}
                    </Tag>
                  </div>
                }
                data-testid="bill-payment"
              >
                {payment.label ? `${payment.label} · ` : ''}
                {billerName({ name: payment.billerName, nameEn: payment.billerNameEn }, english)}
                <span className="tb-record-sub"> {maskAccount(payment.accountNumber)}</span>
              </List.Item>
            ))}
          </List>
        ) : null}
        {list.hasNextPage ? (
          <Button block fill="none" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t('common.next')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
