import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, idempotencyKey } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorCode, errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { MaintenanceView, ProblemView, maintenanceOf } from '../components/ProblemView';
import { QrImage } from '../components/QrImage';
import { formatDateTime } from '../format';
import { confirmWithPasskey } from '../passkey';
import { useMe } from '../session';
import { confirmWithPin } from '../wallet-api';
import type { Payment } from './Scan';

interface CheckoutOrder {
  id: string;
  mode: 'live' | 'test';
  merchantName: string;
  merchantNumber: string;
  amount: number;
  currency: string;
  description: string;
  shopOrderNumber: string;
  status: 'open' | 'paid' | 'closed' | 'expired';
  payload: string | null;
  returnUrl: string | null;
  expiresAt: string;
}

/** A desktop (a fine pointer and a wide window) shows the code to scan; a phone pays right here. */
const onDesktop = () =>
  typeof window.matchMedia === 'function' && window.matchMedia('(pointer: fine) and (min-width: 768px)').matches;

/**
 * The hosted pay page of online checkout (`/pay/{order}`): the shop's verified name and the amount;
 * on a desktop a QR code the wallet scans, on a phone the approval with the PIN or a passkey through
 * the ordinary payment path; then back to the shop's return URL.
 */
export default function CheckoutPage() {
  const { t } = useTranslation();
  const { order: orderId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const [desktop] = useState(onDesktop);
  const [prepared, setPrepared] = useState<{ payment: Payment; confirmation: { id: string } } | null>(null);
  const [paid, setPaid] = useState<Payment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ create: idempotencyKey(), complete: idempotencyKey() }));
  const order = useQuery({
    queryKey: ['checkout', orderId],
    queryFn: () => api.get<CheckoutOrder>(`/api/v1/checkout/orders/${encodeURIComponent(orderId)}`),
    // A desktop waits for the phone to pay: the page learns it by asking again.
    refetchInterval: (query) => (query.state.data?.status === 'open' && desktop ? 3000 : false),
  });
  const signedIn = Boolean(me.data) && !(me.error instanceof ApiError && me.error.status === 401);

  const pay = async (view: CheckoutOrder) => {
    if (!view.payload) return;
    setBusy(true);
    setError(null);
    try {
      setPrepared(await api.post('/api/v1/payments', { payload: view.payload }, { idempotencyKey: keys.create }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const complete = async (paymentId: string, confirmationId: string) => {
    try {
      setPaid(
        await api.post<Payment>(
          `/api/v1/payments/${paymentId}/complete`,
          { confirmationId },
          { idempotencyKey: `${keys.complete}-${paymentId}` },
        ),
      );
      await client.invalidateQueries({ queryKey: ['checkout', orderId] });
    } catch (failure) {
      if (errorCode(failure) !== 'RISK_CONFIRMATION_REQUIRED') throw failure;
      navigate('/held/latest', { state: { payment: { id: paymentId, confirmationId } } });
    }
  };

  if (order.isPending) return <Loading />;
  if (order.error)
    return (
      <div className="tb-page">
        <PageHeader title={t('checkout.title')} />
        <ProblemView error={order.error} onRetry={() => void order.refetch()} />
      </div>
    );
  const view = order.data;
  const back = view.returnUrl ? (
    <Button
      block
      color="primary"
      size="large"
      className="tb-space-top"
      onClick={() => window.location.assign(view.returnUrl as string)}
      data-testid="checkout-return"
    >
      {t('checkout.backToShop')}
    </Button>
  ) : null;
  const maintenance = maintenanceOf(error);
  const summary = (
    <>
      <div className="tb-merchant" data-testid="checkout-merchant">
        <div className="tb-avatar tb-avatar-small" aria-hidden>
          {view.merchantName.slice(0, 1)}
        </div>
        <div>
          <div className="tb-payee-name">{view.merchantName}</div>
          <div className="tb-muted">
            {t('checkout.verified')} · {view.merchantNumber}
          </div>
        </div>
      </div>
      <div className="tb-amount-big" data-testid="checkout-amount">
        {formatFen(view.amount)}
      </div>
      <List className="tb-receipt">
        <List.Item extra={view.description}>{t('checkout.description')}</List.Item>
        <List.Item extra={view.shopOrderNumber}>{t('checkout.orderNumber')}</List.Item>
      </List>
    </>
  );

  let body;
  if (maintenance) body = <MaintenanceView announcement={maintenance} />;
  else if (paid || view.status === 'paid')
    body = (
      <Result
        status="success"
        title={<span data-testid="checkout-status">{paid ? t('checkout.paid') : t('checkout.paidAlready')}</span>}
        description={
          <>
            <div className="tb-amount-big">{formatFen(view.amount)}</div>
            <p className="tb-muted">{view.merchantName}</p>
            {paid?.completedAt ? <p className="tb-muted">{formatDateTime(paid.completedAt)}</p> : null}
            {back}
          </>
        }
      />
    );
  else if (view.status !== 'open')
    body = (
      <Result
        status="warning"
        title={<span data-testid="checkout-status">{t(`checkout.${view.status}`)}</span>}
        description={back}
      />
    );
  else
    body = (
      <div className="tb-page-body">
        {summary}
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {view.mode === 'test' ? <p className="tb-muted">{t('checkout.testMode')}</p> : null}
        {view.payload && desktop ? (
          <div className="tb-center tb-space-top" data-testid="checkout-qr">
            <QrImage text={view.payload} label={t('checkout.scanHint')} size={220} />
            <p className="tb-muted">{t('checkout.scanHint')}</p>
          </div>
        ) : null}
        {view.payload && signedIn ? (
          <Button
            block
            color="primary"
            size="large"
            fill={desktop ? 'outline' : 'solid'}
            loading={busy}
            onClick={() => void pay(view)}
            data-testid="checkout-pay"
          >
            {t('checkout.payHere')}
          </Button>
        ) : null}
        {view.payload && !signedIn ? (
          <Button
            block
            color="primary"
            size="large"
            fill={desktop ? 'outline' : 'solid'}
            onClick={() => navigate(`/login?next=${encodeURIComponent(`/pay/${view.id}`)}`)}
            data-testid="checkout-sign-in"
          >
            {t('checkout.signInToPay')}
          </Button>
        ) : null}
        <p className="tb-center tb-muted">{t('checkout.expires', { time: formatDateTime(view.expiresAt) })}</p>
      </div>
    );

  return (
    <div className="tb-page">
      <PageHeader title={t('checkout.title')} />
      {body}
      <PinSheet
        visible={Boolean(prepared) && !paid}
        amount={prepared?.payment.amount}
        payee={view.merchantName}
        onClose={() => setPrepared(null)}
        onPasskey={async () => {
          if (!prepared) return;
          await confirmWithPasskey(prepared.confirmation.id);
          await complete(prepared.payment.id, prepared.confirmation.id);
          await client.invalidateQueries({ queryKey: ['balance'] });
        }}
        onSubmit={async (pin) => {
          if (!prepared) return;
          await confirmWithPin(prepared.confirmation.id, pin);
          await complete(prepared.payment.id, prepared.confirmation.id);
          await client.invalidateQueries({ queryKey: ['balance'] });
        }}
      />
    </div>
  );
}
