import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, NoticeBar, Result } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { formatFen, parseYuan, fenToJson } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { type MerchantMe, type Payment, type Qr, merchantApi } from '../api';
import { useMerchantT } from '../i18n';
import { QrImage } from '../QrImage';
import { shopName } from '../shop-name';

interface Today {
  day: string;
  payments: number;
  gross: number;
  refunds: number;
  refunded: number;
  net: number;
}

/** Calls `onPayment` for each payment completed from now on: server-sent events, with polling as a fallback. */
function usePaymentStream(onPayment: (payment: Payment) => void) {
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/merchant/payments/stream');
    const listener = (event: MessageEvent) => {
      try {
        onPayment(JSON.parse(event.data) as Payment);
      } catch {
        // A malformed event is skipped; the next poll catches up.
      }
    };
    source.addEventListener('payment', listener as EventListener);
    return () => source.close();
  }, [onPayment]);
}

export function CounterPage(props: { me: MerchantMe }) {
  const { t, english } = useMerchantT();
  const queryClient = useQueryClient();
  const today = useQuery({
    queryKey: ['merchant', 'today'],
    queryFn: () => merchantApi.get<Today>('/api/v1/merchant/reports/today'),
    refetchInterval: 15_000,
  });
  const [lastPayment, setLastPayment] = useState<Payment | null>(null);
  usePaymentStream(
    // Stable across renders: the stream reconnects only on mount.
    useState(() => (payment: Payment) => {
      setLastPayment(payment);
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'today'] });
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'payments'] });
    })[0],
  );
  return (
    <>
      <section className="mc-hero" aria-label={t('today')}>
        <h2>
          {shopName(props.me.merchant, english)} · {t('today')}
        </h2>
        <div className="mc-big" data-testid="today-gross">
          {today.data ? formatFen(today.data.gross) : '—'}
        </div>
        <div className="mc-row">
          <span>
            {t('todayCount')} {today.data?.payments ?? '—'}
          </span>
          <span>
            {t('todayRefunded')} {today.data ? formatFen(today.data.refunded) : '—'}
          </span>
          <span>
            {t('todayNet')} {today.data ? formatFen(today.data.net) : '—'}
          </span>
        </div>
      </section>
      <DynamicQr lastPayment={lastPayment} />
      <StaticQr me={props.me} />
    </>
  );
}

function StaticQr(props: { me: MerchantMe }) {
  const { t, english } = useMerchantT();
  const qr = useQuery({
    queryKey: ['merchant', 'static-qr'],
    queryFn: async () => {
      const list = await merchantApi.get<{ items: Qr[] }>('/api/v1/merchant/qr-codes?limit=100');
      const found = list.items.find((q) => q.kind === 'static' && q.status === 'active');
      return found ?? (await merchantApi.post<Qr>('/api/v1/merchant/qr-codes', { kind: 'static' }));
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <section className="mc-card mc-printable" aria-labelledby="static-qr-title">
      <h3 id="static-qr-title">{t('staticQr')}</h3>
      <p className="mc-print-only" style={{ fontSize: 22, fontWeight: 700 }}>
        {props.me.merchant.name}
      </p>
      <p className="mc-muted">{t('staticQrHint')}</p>
      {qr.error && <NoticeBar color="error" content={errorMessage(qr.error)} wrap />}
      {qr.data && (
        <QrImage
          text={qr.data.payload}
          label={`${t('staticQr')} ${shopName(props.me.merchant, english)}`}
          testId="static-qr"
        />
      )}
      <p className="mc-center mc-muted">
        {t('merchantNumber')} {props.me.merchant.merchantNumber}
      </p>
      <Button block onClick={() => window.print()}>
        {t('print')}
      </Button>
    </section>
  );
}

function DynamicQr(props: { lastPayment: Payment | null }) {
  const { t, english } = useMerchantT();
  const [amountText, setAmountText] = useState('');
  const [qr, setQr] = useState<Qr | null>(null);
  const [paid, setPaid] = useState<Payment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const amountFen = parseYuan(amountText);
  // The live event carries no payer: the payment's own record names them (masked).
  const paidPayer =
    useQuery({
      queryKey: ['merchant', 'payment', paid?.id],
      enabled: paid !== null && !paid.payerName,
      queryFn: () => merchantApi.get<Payment>(`/api/v1/merchant/payments/${paid?.id}`),
    }).data?.payerName ?? paid?.payerName;

  useEffect(() => {
    if (qr && props.lastPayment && props.lastPayment.orderReference === qr.orderReference) setPaid(props.lastPayment);
  }, [qr, props.lastPayment]);

  // Polling fallback: a proxy that buffers the event stream must not leave the cashier waiting.
  useEffect(() => {
    if (!qr || paid) return;
    const timer = setInterval(async () => {
      const page = await merchantApi
        .get<{ items: Payment[] }>('/api/v1/merchant/payments?status=completed&source=dynamic_qr&limit=10')
        .catch(() => null);
      const match = page?.items.find((p) => p.orderReference === qr.orderReference);
      if (match) setPaid(match);
    }, 3_000);
    return () => clearInterval(timer);
  }, [qr, paid]);

  const create = async () => {
    if (amountFen === null) return;
    setBusy(true);
    setError(null);
    try {
      const orderReference = `C${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1296)
        .toString(36)
        .toUpperCase()}`;
      setQr(
        await merchantApi.post<Qr>('/api/v1/merchant/qr-codes', {
          kind: 'dynamic',
          amount: fenToJson(amountFen),
          orderReference,
          expiresInSeconds: 600,
        }),
      );
      setPaid(null);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setQr(null);
    setPaid(null);
    setAmountText('');
  };

  return (
    <section className="mc-card" aria-labelledby="dynamic-qr-title" aria-live="polite">
      <h3 id="dynamic-qr-title">{t('dynamicQr')}</h3>
      {paid ? (
        <Result
          status="success"
          title={<span style={{ fontSize: 22 }}>{t('paid')}</span>}
          description={
            <>
              <span className="mc-amount" data-testid="dynamic-paid" style={{ display: 'block', fontSize: 40 }}>
                {formatFen(paid.amount)}
              </span>
              {paidPayer && (
                <span className="mc-muted" data-testid="dynamic-payer" style={{ fontSize: 16 }}>
                  {t('payer')}
                  {english ? ': ' : '：'}
                  {paidPayer}
                </span>
              )}
            </>
          }
        />
      ) : qr ? (
        <>
          <p className="mc-center mc-amount" style={{ fontSize: 28, margin: 0 }}>
            {formatFen(qr.amount ?? 0)}
          </p>
          <QrImage text={qr.payload} label={`${t('dynamicQr')} ${formatFen(qr.amount ?? 0)}`} testId="dynamic-qr" />
          <p className="mc-center mc-muted" role="status">
            {t('waitingPayment')}
          </p>
        </>
      ) : (
        <>
          <label className="mc-muted" htmlFor="dynamic-amount">
            {t('amount')}
          </label>
          <Input
            id="dynamic-amount"
            inputMode="decimal"
            value={amountText}
            onChange={setAmountText}
            placeholder="0.00"
            style={{ fontSize: 24, margin: '6px 0 10px', '--font-size': '24px' } as React.CSSProperties}
          />
          {amountText !== '' && amountFen === null && (
            <p className="mc-muted" style={{ color: '#c8102e' }}>
              {t('amountInvalid')}
            </p>
          )}
          <Button block color="danger" disabled={amountFen === null} loading={busy} onClick={create}>
            {t('createQr')}
          </Button>
        </>
      )}
      {(qr || paid) && (
        <Button block style={{ marginTop: 8 }} onClick={reset}>
          {paid ? t('newCharge') : t('cancel')}
        </Button>
      )}
      {error && <NoticeBar color="error" content={error} wrap />}
    </section>
  );
}
