import { useQuery } from '@tanstack/react-query';
import { Button, List, Result, Toast } from 'antd-mobile';
import { FileOutline, QuestionCircleOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import { localBankText } from '../../shared/banks';
import { Money } from '../../shared/Money';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTimeSeconds } from '../format';
import { ExplanationCard } from '../components/support/ExplanationCard';
import { recordOf, useExplanation } from '../support-api';
import type { HistoryDetail, PaymentMethod } from '../wallet-api';
import { RecordCategory } from './insights/RecordCategory';

const SETTLED = ['succeeded', 'processing', 'pending'];

export function useMethodLabel(): (method: PaymentMethod) => string {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (method) =>
    method.kind === 'balance'
      ? t('receipt.balance')
      : t('receipt.card', {
          bank: english ? method.bankNameEn : method.bankName,
          type: t(method.cardType === 'credit' ? 'receipt.credit' : 'receipt.debit'),
          last4: method.last4,
        });
}

/** 28 digits in groups of four, so a person can read it out; copying takes the plain digits. */
const grouped = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/** One movement as a receipt: amount, counterparty, method, time, status, memo, its number and 电子回单. */
export default function RecordDetailPage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const { id = '' } = useParams();
  const detail = useQuery({
    queryKey: ['history', 'detail', id],
    queryFn: () => api.get<HistoryDetail>(`/api/v1/wallet/history/${encodeURIComponent(id)}`),
  });
  const item = detail.data;
  const navigate = useNavigate();
  const methodLabel = useMethodLabel();
  // A record that did not go through explains itself: the cause from the server's data and the next step.
  const record = item ? recordOf(item) : null;
  const failed = Boolean(item && !SETTLED.includes(item.status));
  const explanation = useExplanation(record?.kind ?? null, record?.id ?? null, failed);
  const disputable = item?.type === 'merchant_payment' && item.direction === 'out' && item.status === 'succeeded';
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      Toast.show({ icon: 'success', content: t('receipt.copied') });
    } catch {
      Toast.show({ content: text });
    }
  };
  return (
    <div className="tb-page">
      <PageHeader title={t('records.detail')} back="/records" />
      {detail.error ? <ProblemView error={detail.error} /> : null}
      {item ? (
        <div className="tb-page-body tb-flush">
          <Result
            status={item.status === 'succeeded' ? 'success' : item.status === 'failed' ? 'error' : 'waiting'}
            title={<Money fen={item.amount} className="tb-amount-big" testId="detail-amount" />}
            description={
              <>
                {t(`records.types.${item.type}`, { defaultValue: item.type })}
                {' · '}
                {t(`records.status.${item.status}`, { defaultValue: item.status })}
              </>
            }
          />
          <List className="tb-receipt">
            {item.counterparty ? (
              <List.Item extra={localBankText(item.counterparty, english)}>
                {t(item.direction === 'in' ? 'receipt.from' : 'receipt.to')}
              </List.Item>
            ) : null}
            <List.Item extra={<span data-testid="detail-method">{methodLabel(item.method)}</span>}>
              {t(item.direction === 'in' ? 'receipt.paidInto' : 'receipt.paidWith')}
            </List.Item>
            <List.Item extra={formatDateTimeSeconds(item.time)}>{t('records.time')}</List.Item>
            <List.Item extra={t(`records.status.${item.status}`, { defaultValue: item.status })}>
              {t('records.statusLabel')}
            </List.Item>
            {item.note && !item.order?.failureReason ? (
              <List.Item extra={item.note}>{t('receipt.memo')}</List.Item>
            ) : null}
            {item.entryId ? <RecordCategory entryId={item.entryId} /> : null}
            {item.order?.failureReason ? (
              <List.Item
                extra={t(`bankReasons.${item.order.failureReason}`, { defaultValue: item.order.failureReason })}
              >
                {t('records.failureReason')}
              </List.Item>
            ) : null}
            <List.Item
              description={
                <span className="tb-txn-no" data-testid="transaction-no">
                  {grouped(item.transactionNo)}
                </span>
              }
              extra={
                <Button size="mini" fill="outline" onClick={() => void copy(item.transactionNo)} data-testid="copy-no">
                  {t('receipt.copy')}
                </Button>
              }
            >
              {t('receipt.transactionNo')}
            </List.Item>
          </List>
          {explanation.data ? <ExplanationCard explanation={explanation.data} /> : null}
          <List className="tb-space-top">
            <List.Item
              prefix={<FileOutline aria-hidden />}
              description={t('receipt.pdfHint')}
              arrowIcon
              onClick={() => window.location.assign(`/api/v1/wallet/history/${encodeURIComponent(item.id)}/receipt`)}
              data-testid="receipt-pdf"
            >
              {t('receipt.pdf')}
            </List.Item>
            <List.Item
              prefix={<QuestionCircleOutline aria-hidden />}
              arrowIcon
              onClick={() =>
                navigate(
                  `/support/tickets/new?category=${failed ? 'payment_failed' : 'other'}` +
                    `&kind=movement&id=${encodeURIComponent(item.id)}`,
                )
              }
              data-testid="record-ticket"
            >
              {t('receipt.question')}
            </List.Item>
          </List>
          {disputable && record ? (
            <div className="tb-padded">
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
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
