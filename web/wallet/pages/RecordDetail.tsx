import { useQuery } from '@tanstack/react-query';
import { List, Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import type { HistoryDetail } from '../wallet-api';
import { RecordCategory } from './insights/RecordCategory';

/** One movement in detail: what, with whom, when, its status and reference. */
export default function RecordDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const detail = useQuery({
    queryKey: ['history', 'detail', id],
    queryFn: () => api.get<HistoryDetail>(`/api/v1/wallet/history/${encodeURIComponent(id)}`),
  });
  const item = detail.data;
  return (
    <div className="tb-page">
      <PageHeader title={t('records.detail')} back="/records" />
      {detail.error ? <ProblemView error={detail.error} /> : null}
      {item ? (
        <div className="tb-page-body tb-flush">
          <Result
            status={item.status === 'succeeded' ? 'success' : item.status === 'failed' ? 'error' : 'waiting'}
            title={
              <span className="tb-amount-big" data-testid="detail-amount">
                {formatFen(item.amount, { sign: true })}
              </span>
            }
            description={t(`records.types.${item.type}`, { defaultValue: item.type })}
          />
          <List>
            <List.Item extra={t(`records.status.${item.status}`, { defaultValue: item.status })}>
              {t('records.statusLabel')}
            </List.Item>
            {item.counterparty ? <List.Item extra={item.counterparty}>{t('records.counterparty')}</List.Item> : null}
            {item.note ? <List.Item extra={item.note}>{t('records.note')}</List.Item> : null}
            <List.Item extra={formatDateTime(item.time)}>{t('records.time')}</List.Item>
            {item.entryId ? <RecordCategory entryId={item.entryId} /> : null}
            <List.Item extra={<span className="tb-mono">{item.reference}</span>}>{t('records.reference')}</List.Item>
            {item.order?.failureReason ? (
              <List.Item
                extra={t(`bankReasons.${item.order.failureReason}`, { defaultValue: item.order.failureReason })}
              >
                {t('records.failureReason')}
              </List.Item>
            ) : null}
          </List>
        </div>
      ) : null}
    </div>
  );
}
