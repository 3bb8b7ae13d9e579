import { useQuery } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { DownlandOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { messageForCode } from '../../../shared/problems';
import type { BillPayment, Receipt } from '../../bills-api';
import { billerName } from '../../components/Bills';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatDateTime } from '../../format';

/**
 * One bill payment: while the biller has not answered it says so (and polls); once paid it shows
 * the electronic receipt (电子缴费凭证) with a PDF download; a failure says why and that nothing was taken.
 */
export default function BillPaymentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const payment = useQuery({
    queryKey: ['bills', 'payment', id],
    queryFn: () => api.get<BillPayment>(`/api/v1/bills/payments/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data?.status === 'processing' ? 2000 : false),
  });
  const succeeded = payment.data?.status === 'succeeded';
  const receipt = useQuery({
    queryKey: ['bills', 'receipt', id],
    queryFn: () => api.get<Receipt>(`/api/v1/bills/payments/${encodeURIComponent(id)}/receipt`),
    enabled: succeeded,
  });

  return (
    <div className="tb-page">
      <PageHeader title={succeeded ? t('bills.receipt.title') : t('bills.title')} back="/bills" />
      <div className="tb-page-body">
        {payment.isPending ? <Loading /> : null}
        {payment.error ? <ProblemView error={payment.error} onRetry={() => void payment.refetch()} /> : null}
        {payment.data && !succeeded ? <PaymentState payment={payment.data} /> : null}
        {succeeded && receipt.error ? (
          <ProblemView error={receipt.error} onRetry={() => void receipt.refetch()} />
        ) : null}
        {succeeded && receipt.data ? <ReceiptView receipt={receipt.data} /> : null}
        {succeeded && !receipt.data && !receipt.error ? <Loading /> : null}
        <Button block fill="none" color="primary" className="tb-space-top" onClick={() => navigate('/bills')}>
          {t('bills.backToBills')}
        </Button>
      </div>
    </div>
  );
}

function PaymentState(props: { payment: BillPayment }) {
  const { t, i18n } = useTranslation();
  const { payment } = props;
  const english = i18n.language === 'en';
  const failed = payment.status === 'failed' || payment.status === 'expired';
  const elsewhere = payment.failureReason === 'PAID_ELSEWHERE';
  return (
    <Result
      status={failed ? 'error' : 'waiting'}
      title={
        <span data-testid="bill-payment-status" data-status={payment.status}>
          {failed ? t('bills.failed') : t('bills.processing')}
        </span>
      }
      description={
        <>
          <div className="tb-amount-big">{formatFen(payment.amount)}</div>
          <p>
            {billerName({ name: payment.billerName, nameEn: payment.billerNameEn }, english)} · {payment.accountNumber}
          </p>
          <p className="tb-muted">
            {failed
              ? elsewhere
                ? t('bills.paidElsewhere')
                : (payment.failureReason ? `${messageForCode(payment.failureReason, payment.failureReason)} ` : '') +
                  t('bills.failedHint')
              : t('bills.processingHint')}
          </p>
        </>
      }
    />
  );
}

/** The receipt as a voucher: the amount, then every fact a 电子缴费凭证 carries, and the PDF. */
function ReceiptView(props: { receipt: Receipt }) {
  const { t, i18n } = useTranslation();
  const { receipt } = props;
  const english = i18n.language === 'en';
  const rows: [string, string][] = [
    [t('bills.receipt.number'), receipt.receiptNumber],
    [t('bills.receipt.biller'), english ? receipt.billerNameEn : receipt.billerName],
    [
      t('bills.receipt.type'),
      `${t(`bills.types.${receipt.billerType}`, { defaultValue: receipt.billerType })} · ` +
        `${english ? receipt.cityNameEn : receipt.cityName}`,
    ],
    [t('bills.receipt.account'), receipt.accountNumber],
    ...(receipt.accountHolderName ? [[t('bills.receipt.holder'), receipt.accountHolderName] as [string, string]] : []),
    ...(receipt.period ? [[t('bills.receipt.period'), receipt.period] as [string, string]] : []),
    [t('bills.receipt.amount'), formatFen(receipt.billAmount)],
    [t('bills.receipt.lateFee'), formatFen(receipt.lateFee)],
    ...(receipt.lateFeeBorneByTongbao > 0
      ? [[t('bills.receipt.lateFeeBorne'), formatFen(receipt.lateFeeBorneByTongbao)] as [string, string]]
      : []),
    [t('bills.receipt.paidAt'), receipt.paidAt ? formatDateTime(receipt.paidAt) : '—'],
    [t('bills.receipt.payer'), `${english ? receipt.channelEn : receipt.channel} ${receipt.payerAccount}`],
    [t('bills.receipt.billerRef'), receipt.networkRef ?? '—'],
    [t('bills.receipt.reference'), receipt.paymentId],
  ];
  return (
    <article className="tb-voucher" data-testid="bill-receipt" aria-labelledby="voucher-title">
      <header className="tb-voucher-head">
        <h2 id="voucher-title">{t('bills.receipt.title')}</h2>
        <div className="tb-voucher-amount" data-testid="receipt-amount">
          {formatFen(receipt.amount)}
        </div>
        <div className="tb-voucher-status" data-testid="bill-payment-status" data-status={receipt.status}>
          {t('bills.paid')}
        </div>
      </header>
      <dl className="tb-voucher-rows">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="tb-voucher-foot">
        <p className="tb-fineprint">{t('bills.receipt.note')}</p>
        <div className="tb-voucher-seal" aria-hidden>
          <span>通宝钱包</span>
          <small>缴费专用</small>
        </div>
      </div>
      <a
        className={[
          'adm-button adm-button-primary adm-button-fill-outline',
          'adm-button-block adm-button-large tb-link-button',
        ].join(' ')}
        href={`/api/v1/bills/payments/${encodeURIComponent(receipt.paymentId)}/receipt.pdf`}
        download={`tongbao-receipt-${receipt.receiptNumber}.pdf`}
        data-testid="receipt-pdf"
      >
        <DownlandOutline aria-hidden /> {t('bills.receipt.download')}
      </a>
    </article>
  );
}
