import { useQueryClient } from '@tanstack/react-query';
import { Button, Input, List, Result } from 'antd-mobile';
import { PictureOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { errorCode, errorMessage } from '../../shared/problems';
import { AmountField } from '../components/AmountField';
import { ErrorBanner } from '../components/ErrorBanner';
import { RefusalBanner } from '../components/support/RefusalBanner';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { MaintenanceView, maintenanceOf } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { decodeQr, decodeQrFile } from '../qr-decode';
import { confirmWithPasskey } from '../passkey';
import { confirmWithPin } from '../wallet-api';

interface Preview {
  /** The Chinese name (tag 64 of the code); `latinName` is what tag 59 carries. */
  merchantName: string;
  latinName?: string;
  merchantNumber: string;
  mcc: string;
  city: string;
  kind: string;
  amount: number | null;
  currency: string;
  orderReference: string | null;
}

export interface Payment {
  id: string;
  merchantName: string | null;
  merchantNumber: string | null;
  amount: number | string;
  status: string;
  orderReference: string | null;
  completedAt: string | null;
  createdAt: string;
}

type Source = { payload: string } | { merchantNumber: string };

/** Another country's scheme is named ("PromptPay (Thailand) is not supported"), in the app's language. */
function scanProblem(error: unknown, foreign: (detail: string) => string): string {
  if (error instanceof ApiError && error.code === 'QR_SCHEME_NOT_SUPPORTED' && typeof error.problem.detail === 'string')
    return foreign(error.problem.detail);
  return errorMessage(error);
}

/** Scan a shop's QR code (camera, or a picked image), see who and how much, approve with the PIN. */
export default function ScanPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const video = useRef<HTMLVideoElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [camera, setCamera] = useState<'starting' | 'on' | 'unavailable'>('starting');
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [amount, setAmount] = useState('');
  const [merchantNumber, setMerchantNumber] = useState('');
  const [prepared, setPrepared] = useState<{ payment: Payment; confirmation: { id: string } } | null>(null);
  const [paid, setPaid] = useState<Payment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ create: idempotencyKey(), complete: idempotencyKey() }));

  const read = async (found: Source) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<Preview>('/api/v1/payments/qr/preview', found);
      setSource(found);
      setPreview(answer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  // The camera runs until a code is read; it is stopped when leaving the page.
  useEffect(() => {
    if (source) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) return setCamera('unavailable');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        setCamera('on');
        const tick = async () => {
          if (stopped || !video.current || !canvas.current) return;
          const text = await decodeQr(video.current, canvas.current).catch(() => null);
          if (text && !stopped) {
            stopped = true;
            void read({ payload: text });
            return;
          }
          timer = window.setTimeout(() => void tick(), 350);
        };
        void tick();
      } catch {
        setCamera('unavailable');
      }
    };
    void start();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [source]);

  const pickImage = async (file: File | undefined) => {
    if (!file || !canvas.current) return;
    setNotice(null);
    const text = await decodeQrFile(file, canvas.current).catch(() => null);
    if (!text) return setNotice(t('scan.noCode'));
    await read({ payload: text });
  };

  const fixedFen = preview?.amount ?? null;
  const typedFen = parseYuan(amount);
  const payFen = fixedFen !== null ? BigInt(fixedFen) : typedFen;

  const pay = async () => {
    if (!source || payFen === null) return;
    setBusy(true);
    setError(null);
    try {
      const body = { ...source, amount: fixedFen === null ? fenToJson(payFen) : undefined };
      setPrepared(await api.post('/api/v1/payments', body, { idempotencyKey: `${keys.create}-${payFen}` }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  // A payment the risk engine holds waits for "was this you?"; confirming it there completes it.
  const completePayment = async (paymentId: string, confirmationId: string) => {
    try {
      setPaid(
        await api.post<Payment>(
          `/api/v1/payments/${paymentId}/complete`,
          { confirmationId },
          { idempotencyKey: `${keys.complete}-${paymentId}` },
        ),
      );
    } catch (failure) {
      if (errorCode(failure) !== 'RISK_CONFIRMATION_REQUIRED') throw failure;
      navigate('/held/latest', { state: { payment: { id: paymentId, confirmationId } } });
    }
  };

  const maintenance = maintenanceOf(error);
  return (
    <div className="tb-page">
      <PageHeader title={t('tiles.scan')} />
      <canvas ref={canvas} hidden />
      {maintenance ? (
        <MaintenanceView announcement={maintenance} />
      ) : paid ? (
        <Result
          status="success"
          title={<span data-testid="payment-status">{t('scan.paid')}</span>}
          description={
            <>
              <div className="tb-amount-big">{formatFen(paid.amount)}</div>
              <List className="tb-receipt">
                <List.Item extra={paid.merchantName}>{t('scan.merchant')}</List.Item>
                {paid.orderReference ? <List.Item extra={paid.orderReference}>{t('scan.order')}</List.Item> : null}
                <List.Item extra={formatDateTime(paid.completedAt ?? paid.createdAt)}>{t('records.time')}</List.Item>
              </List>
              <Button color="primary" className="tb-result-button" onClick={() => navigate('/')}>
                {t('orders.backHome')}
              </Button>
            </>
          }
        />
      ) : preview ? (
        <div className="tb-page-body">
          <RefusalBanner error={error} />
          <div className="tb-merchant" data-testid="merchant-preview">
            <div className="tb-avatar tb-avatar-small" aria-hidden>
              {preview.merchantName.slice(0, 1)}
            </div>
            <div>
              <div className="tb-payee-name" data-testid="merchant-name">
                {preview.merchantName}
              </div>
              {preview.latinName && preview.latinName !== preview.merchantName ? (
                <div className="tb-muted tb-latin-name">{preview.latinName}</div>
              ) : null}
              <div className="tb-muted">
                {preview.city} · {preview.merchantNumber}
              </div>
            </div>
          </div>
          {fixedFen !== null ? (
            <div className="tb-amount-big" data-testid="fixed-amount">
              {formatFen(fixedFen)}
            </div>
          ) : (
            <AmountField value={amount} onChange={setAmount} label={t('scan.amount')} autoFocus />
          )}
          {preview.orderReference ? (
            <p className="tb-muted">{t('scan.orderRef', { ref: preview.orderReference })}</p>
          ) : null}
          <Button
            block
            color="primary"
            size="large"
            disabled={payFen === null}
            loading={busy}
            onClick={() => void pay()}
            data-testid="pay-submit"
          >
            {t('scan.pay')}
          </Button>
          <Button
            block
            fill="none"
            className="tb-space-top"
            onClick={() => (setPreview(null), setSource(null), setAmount(''))}
          >
            {t('scan.again')}
          </Button>
        </div>
      ) : (
        <div className="tb-page-body">
          <div className="tb-viewfinder">
            <video ref={video} muted playsInline aria-label={t('scan.camera')} hidden={camera !== 'on'} />
            {camera !== 'on' ? (
              <p>{camera === 'starting' ? t('scan.starting') : t('scan.noCamera')}</p>
            ) : (
              <span className="tb-viewfinder-frame" aria-hidden />
            )}
          </div>
          <p className="tb-center tb-muted">{t('scan.hint')}</p>
          <ErrorBanner message={error ? scanProblem(error, (detail) => t('scan.foreignScheme', { detail })) : notice} />
          <input
            ref={fileInput}
            type="file"
            accept="image/*"
            hidden
            onChange={(e) => void pickImage(e.target.files?.[0])}
            data-testid="qr-file"
            aria-label={t('scan.pickImage')}
          />
          <Button
            block
            color="primary"
            fill="outline"
            size="large"
            loading={busy}
            onClick={() => fileInput.current?.click()}
          >
            <PictureOutline aria-hidden /> {t('scan.pickImage')}
          </Button>
          <div className="tb-merchant-number">
            <Input
              value={merchantNumber}
              onChange={(value) => setMerchantNumber(value.toUpperCase())}
              placeholder={t('scan.merchantNumberPlaceholder')}
              aria-label={t('scan.merchantNumber')}
            />
            <Button disabled={!/^M\d{9}$/.test(merchantNumber)} onClick={() => void read({ merchantNumber })}>
              {t('common.next')}
            </Button>
          </div>
        </div>
      )}
      <PinSheet
        visible={Boolean(prepared) && !paid}
        amount={prepared?.payment.amount}
        payee={preview?.merchantName}
        onClose={() => setPrepared(null)}
        onPasskey={async () => {
          if (!prepared) return;
          await confirmWithPasskey(prepared.confirmation.id);
          await completePayment(prepared.payment.id, prepared.confirmation.id);
          await client.invalidateQueries({ queryKey: ['balance'] });
        }}
        onSubmit={async (pin) => {
          if (!prepared) return;
          await confirmWithPin(prepared.confirmation.id, pin);
          await completePayment(prepared.payment.id, prepared.confirmation.id);
          await client.invalidateQueries({ queryKey: ['balance'] });
        }}
      />
    </div>
  );
}
