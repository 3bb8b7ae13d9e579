import { useQueryClient } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { formatDateTime } from '../format';
import { usePendingPayments } from '../pending';
import { confirmWithPin } from '../wallet-api';

/** A merchant charged my payment code above my password-free allowance: confirm with the PIN, or decline. */
export default function PendingPaymentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const pending = usePendingPayments();
  const payment = pending.data?.items.find((p) => p.id === id);
  const [pinOpen, setPinOpen] = useState(false);
  const [outcome, setOutcome] = useState<'paid' | 'declined' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(idempotencyKey);

  return (
    <div className="tb-page">
      <PageHeader title={t('pending.title')} />
      <div className="tb-page-body">
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {outcome ? (
          <Result
            status={outcome === 'paid' ? 'success' : 'info'}
            title={outcome === 'paid' ? t('scan.paid') : t('pending.declined')}
            description={<Button onClick={() => navigate('/')}>{t('orders.backHome')}</Button>}
          />
        ) : payment ? (
          <>
            <div className="tb-amount-big">{formatFen(payment.amount)}</div>
            <List>
              <List.Item extra={payment.merchantName}>{t('scan.merchant')}</List.Item>
              <List.Item extra={formatDateTime(payment.expiresAt)}>{t('confirm.expires')}</List.Item>
            </List>
            <Button block color="primary" size="large" className="tb-space-top" onClick={() => setPinOpen(true)}>
              {t('pending.pay')}
            </Button>
            <Button
              block
              fill="outline"
              size="large"
              className="tb-space-top"
              onClick={async () => {
                try {
                  await api.post(`/api/v1/payments/${id}/decline`);
                  setOutcome('declined');
                  await client.invalidateQueries({ queryKey: ['payments'] });
                } catch (failure) {
                  setError(failure);
                }
              }}
            >
              {t('pending.decline')}
            </Button>
          </>
        ) : pending.isSuccess ? (
          <Result
            status="info"
            title={t('held.gone')}
            description={<Button onClick={() => navigate('/')}>{t('orders.backHome')}</Button>}
          />
        ) : null}
        <PinSheet
          visible={pinOpen && !outcome}
          amount={payment?.amount}
          payee={payment?.merchantName ?? undefined}
          onClose={() => setPinOpen(false)}
          onSubmit={async (pin) => {
            if (!payment?.confirmationId) return;
            await confirmWithPin(payment.confirmationId, pin);
            await api.post(
              `/api/v1/payments/${id}/complete`,
              { confirmationId: payment.confirmationId },
              { idempotencyKey: key },
            );
            setPinOpen(false);
            setOutcome('paid');
            await client.invalidateQueries();
          }}
        />
      </div>
    </div>
  );
}
