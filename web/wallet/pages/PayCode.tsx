import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { groupDigits } from '../../shared/mask';
import { formatFen } from '../../shared/money';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { QrImage } from '../components/QrImage';
import { errorMessage } from '../../shared/problems';
import { type PayCodeSeed, codeAt, forgetSeed, loadSeed, saveSeed, stepAt } from '../pay-code';
import { mintSeedWithPasskey, mintSeedWithPin, seedStillListed } from '../pay-code-devices';
import { useMe } from '../session';
import type { HistoryItem } from '../wallet-api';
import type { Payment } from './Scan';

/** Shows the 18-digit payment code with its QR and barcode; new every 60 s; works offline once loaded. */
export default function PayCodePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const userId = me.data?.id;
  const [seed, setSeed] = useState<PayCodeSeed | null>(null);
  const [code, setCode] = useState<string | null>(null);
  const [secondsLeft, setSecondsLeft] = useState(60);
  const [showDigits, setShowDigits] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [openedAt] = useState(() => new Date().toISOString());
  const [confirming, setConfirming] = useState<(Payment & { confirmationId: string | null }) | null>(null);
  // No seed on this device yet: the PIN sheet (or a passkey) approves minting one.
  const [enabling, setEnabling] = useState(false);

  // A stored seed shows at once (offline too); online, a seed the server no longer lists (removed,
  // past the cap, or revoked by a theft report or password change) is dropped and the PIN asked.
  useEffect(() => {
    if (!userId) return;
    const stored = loadSeed(userId);
    if (!stored) return setEnabling(true);
    setSeed(stored);
    let live = true;
    seedStillListed(stored)
      .then((listed) => {
        if (listed || !live) return;
        forgetSeed(userId);
        setSeed(null);
        setCode(null);
        setEnabling(true);
      })
      .catch(setError);
    return () => {
      live = false;
    };
  }, [userId]);

  const enabled = (fresh: PayCodeSeed) => {
    if (userId) saveSeed(userId, fresh);
    setSeed(fresh);
    setEnabling(false);
    setError(null);
  };

  useEffect(() => {
    if (!seed) return;
    let step = -1;
    const tick = async () => {
      const now = Date.now();
      const current = stepAt(seed, now);
      setSecondsLeft(seed.stepSeconds - (Math.floor(now / 1000) % seed.stepSeconds));
      if (current !== step) {
        step = current;
        setCode(await codeAt(seed, current));
      }
    };
    void tick();
    const timer = window.setInterval(() => void tick(), 1000);
    return () => window.clearInterval(timer);
  }, [seed]);

  // A merchant's charge shows up here: paid at once (password-free) or waiting for my PIN.
  const pending = useQuery({
    queryKey: ['payments', 'pending'],
    queryFn: () => api.get<{ items: (Payment & { confirmationId: string | null })[] }>('/api/v1/payments/pending'),
    refetchInterval: 3000,
    enabled: Boolean(seed),
  });
  const latest = useQuery({
    queryKey: ['history', 'latest-payment'],
    queryFn: () => api.get<{ items: HistoryItem[] }>('/api/v1/wallet/history?type=merchant_payment&limit=1'),
    refetchInterval: 3000,
    enabled: Boolean(seed),
  });
  const charged = latest.data?.items.find((item) => item.time > openedAt);
  const waiting = pending.data?.items[0];

  // The barcode encoder is a small module of our own (code128.ts), loaded after the page shows.
  const [barcode, setBarcode] = useState<string | null>(null);
  useEffect(() => {
    if (!code) return setBarcode(null);
    let live = true;
    void import('../code128').then(({ code128Svg }) => {
      const svg = code128Svg(code, { height: 50, module: 2 });
      if (live) setBarcode(svg ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` : null);
    });
    return () => {
      live = false;
    };
  }, [code]);

  // A charge that needs the PIN opens the PIN sheet by itself, once per charge (closing it keeps it closed).
  const offered = useRef(new Set<string>());
  useEffect(() => {
    if (!waiting?.confirmationId || offered.current.has(waiting.id)) return;
    offered.current.add(waiting.id);
    setConfirming(waiting);
  }, [waiting]);

  if (charged) {
    return (
      <div className="tb-page">
        <PageHeader title={t('tiles.payCode')} />
        <Result
          status="success"
          title={
            <span data-testid="paycode-charged">{t('paycode.charged', { merchant: charged.counterparty ?? '' })}</span>
          }
          description={
            <>
              <div className="tb-amount-big">{formatFen(charged.amount)}</div>
              <List className="tb-receipt">
                {charged.counterparty ? <List.Item extra={charged.counterparty}>{t('receipt.to')}</List.Item> : null}
                <List.Item extra={t('receipt.balance')}>{t('receipt.paidWith')}</List.Item>
              </List>
              <Button
                block
                size="large"
                color="primary"
                className="tb-done-button"
                onClick={() => (void client.invalidateQueries({ queryKey: ['balance'] }), navigate('/'))}
                data-testid="done"
              >
                {t('receipt.done')}
              </Button>
            </>
          }
        />
      </div>
    );
  }

  return (
    <div className="tb-page tb-paycode-page">
      <PageHeader title={t('tiles.payCode')} />
      <div className="tb-paycode-card">
        <p className="tb-paycode-title">{t('paycode.title')}</p>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {code ? (
          <>
            {barcode ? (
              <img className="tb-barcode" src={barcode} alt={t('paycode.barcodeLabel')} data-testid="paycode-barcode" />
            ) : null}
            <button
              type="button"
              className="tb-paycode-digits"
              onClick={() => setShowDigits(!showDigits)}
              aria-label={showDigits ? t('paycode.hideDigits') : t('paycode.showDigits')}
              data-testid="paycode-digits"
            >
              {showDigits ? groupDigits(code) : `${code.slice(0, 4)} **** **** ${t('paycode.tapToShow')}`}
            </button>
            <QrImage text={code} label={t('paycode.qrLabel')} size={200} testId="paycode-qr" />
            <p className="tb-muted" aria-live="polite">
              {t('paycode.refresh', { seconds: secondsLeft })}
            </p>
          </>
        ) : seed ? (
          <p>{t('common.loading')}</p>
        ) : (
          <div className="tb-paycode-enable">
            <p>{t('paycode.enableExplain')}</p>
            <Button block color="primary" onClick={() => setEnabling(true)} data-testid="paycode-enable">
              {t('paycode.enable')}
            </Button>
          </div>
        )}
        <p className="tb-fineprint">{t('paycode.warning')}</p>
      </div>
      {waiting?.confirmationId ? (
        <div className="tb-pending">
          <button
            type="button"
            className="tb-pending-item"
            onClick={() => setConfirming(waiting)}
            data-testid="paycode-waiting"
          >
            <strong>{t('paycode.waiting', { merchant: waiting.merchantName ?? '' })}</strong>
            <span>{formatFen(waiting.amount)}</span>
          </button>
        </div>
      ) : null}
      <PinSheet
        visible={enabling && !seed}
        title={t('paycode.enableTitle')}
        onClose={() => setEnabling(false)}
        onSubmit={async (pin) => enabled(await mintSeedWithPin(pin))}
        onPasskey={async () => enabled(await mintSeedWithPasskey())}
      />
      <PinSheet
        visible={Boolean(confirming)}
        amount={confirming?.amount}
        payee={confirming?.merchantName ?? undefined}
        onClose={() => setConfirming(null)}
        onSubmit={async (pin) => {
          if (!confirming?.confirmationId) return;
          await api.post(`/api/v1/confirmations/${confirming.confirmationId}/pin`, { pin });
          await api.post(
            `/api/v1/payments/${confirming.id}/complete`,
            { confirmationId: confirming.confirmationId },
            { idempotencyKey: `complete-${confirming.id}` },
          );
          setConfirming(null);
          await client.invalidateQueries({ queryKey: ['history'] });
        }}
      />
    </div>
  );
}
