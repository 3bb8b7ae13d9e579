import { useQuery } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { ExplanationCard } from '../components/support/ExplanationCard';
import { recordOf, useExplanation } from '../support-api';
import type { HistoryDetail } from '../wallet-api';
import { RecordCategory } from './insights/RecordCategory';

const SETTLED = ['succeeded', 'processing', 'pending'];

/** One movement in detail: what, with whom, when, its status and reference. */
export default function RecordDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const detail = useQuery({
    queryKey: ['history', 'detail', id],
    queryFn: () => api.get<HistoryDetail>(`/api/v1/wallet/history/${encodeURIComponent(id)}`),
  });
  const item = detail.data;
  const navigate = useNavigate();
  // A record that did not go through explains itself: the cause from the server's data and the next step.
  const record = item ? recordOf(item) : null;
  const failed = Boolean(item && !SETTLED.includes(item.status));
  const explanation = useExplanation(record?.kind ?? null, record?.id ?? null, failed);
  const disputable = item?.type === 'merchant_payment' && item.direction === 'out' && item.status === 'succeeded';
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
          {explanation.data ? <ExplanationCard explanation={explanation.data} /> : null}
          <div className="tb-padded tb-record-help">
            {disputable && record ? (
              <Button
                block
                fill="outline"
                onClick={() =>
                  navigate(
                    `/support/disputes/new?paymentId=${encodeURIComponent(record.id)}` +
                      `&amount=${encodeURIComponent(String(item.amount).replace('-', ''))}`,
                  )
                }
                data-testid="open-dispute"
              >
                {t('support.disputes.open')}
              </Button>
            ) : null}
            {explanation.data?.cause ? null : (
              <Button
                block
                fill="none"
                color="primary"
                onClick={() =>
                  navigate(
                    `/support/tickets/new?category=${failed ? 'payment_failed' : 'other'}` +
                      `&kind=movement&id=${encodeURIComponent(item.id)}`,
                  )
                }
                data-testid="record-ticket"
              >
                {t('support.explain.contact')}
              </Button>
            )}
          </div>
        </div>
      ) : null}
    </div>
  );
}
