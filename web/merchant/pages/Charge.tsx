import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, NoticeBar, Result, SpinLoading } from 'antd-mobile';
import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { type Payment, merchantApi } from '../api';
import { useMerchantT } from '../i18n';

type Stage =
  | { kind: 'form' }
  | { kind: 'waiting'; payment: Payment }
  | { kind: 'done'; payment: Payment }
  | { kind: 'failed'; message: string; payment?: Payment };

interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

/** Reads a payment code from the camera: the platform's BarcodeDetector (QR and barcodes) where present, else jsQR on
 * frames. */
function CameraScanner(props: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useMerchantT();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let live = true;
    const Detector = (
      window as unknown as { BarcodeDetector?: new (options: { formats: string[] }) => BarcodeDetectorLike }
    ).BarcodeDetector;
    const detector = Detector ? new Detector({ formats: ['qr_code', 'code_128'] }) : null;
    const canvas = document.createElement('canvas');
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        if (!live || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        timer = setInterval(async () => {
          const element = video.current;
          if (!element || element.videoWidth === 0) return;
          let text: string | null = null;
          if (detector) text = (await detector.detect(element).catch(() => []))[0]?.rawValue ?? null;
          else {
            canvas.width = element.videoWidth;
            canvas.height = element.videoHeight;
            const context = canvas.getContext('2d', { willReadFrequently: true });
            context?.drawImage(element, 0, 0);
            const image = context?.getImageData(0, 0, canvas.width, canvas.height);
            text = image ? (jsQR(image.data, image.width, image.height)?.data ?? null) : null;
          }
          const digits = text?.replace(/\D/g, '') ?? '';
          if (/^\d{16,24}$/.test(digits)) onCode.current(digits);
        }, 300);
      } catch {
        setFailed(true);
      }
    })();
    return () => {
      live = false;
      if (timer) clearInterval(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);
  return (
    <div style={{ marginBottom: 10 }}>
      {failed ? (
        <NoticeBar color="alert" content={t('cameraUnavailable')} wrap />
      ) : (
        <video ref={video} className="mc-video" muted playsInline aria-label={t('scan')} />
      )}
      <Button block size="small" onClick={props.onClose} style={{ marginTop: 6 }}>
        {t('stopScan')}
      </Button>
    </div>
  );
}

/** The payer of a completed charge, masked: from the payment's own record when the charge's answer has none. */
function PaidPayer(props: { payment: Payment }) {
  const { t, english } = useMerchantT();
  const fetched = useQuery({
    queryKey: ['merchant', 'payment', props.payment.id],
    enabled: !props.payment.payerName,
    queryFn: () => merchantApi.get<Payment>(`/api/v1/merchant/payments/${props.payment.id}`),
  }).data;
  const name = props.payment.payerName ?? fetched?.payerName;
  if (!name) return null;
  return (
    <span className="mc-muted" data-testid="charge-payer" style={{ fontSize: 16 }}>
      {t('payer')}
      {english ? ': ' : '：'}
      {name}
    </span>
  );
}

export function ChargePage() {
  const { t } = useMerchantT();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [amountText, setAmountText] = useState('');
  const [scanning, setScanning] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'form' });
  const [busy, setBusy] = useState(false);
  const attempt = useRef<string | null>(null);
  const amountFen = parseYuan(amountText);
  const codeOk = /^\d{16,24}$/.test(code);

  // While the customer confirms on their phone, look at the payment every two seconds.
  useEffect(() => {
    if (stage.kind !== 'waiting') return;
    const timer = setInterval(async () => {
      const payment = await merchantApi.get<Payment>(`/api/v1/merchant/payments/${stage.payment.id}`).catch(() => null);
      if (!payment || payment.status === 'awaiting_confirmation') return;
      setStage(
        payment.status === 'completed'
          ? { kind: 'done', payment }
          : { kind: 'failed', message: t(`status_${payment.status}`), payment },
      );
      void queryClient.invalidateQueries({ queryKey: ['merchant'] });
    }, 2_000);
    return () => clearInterval(timer);
  }, [stage, queryClient, t]);

  const charge = async () => {
    if (amountFen === null || !codeOk) return;
    setBusy(true);
    // One key per attempt: a retry after a network failure cannot charge twice.
    attempt.current ??= merchantApi.newKey();
    try {
      const payment = await merchantApi.post<Payment>(
        '/api/v1/merchant/charges',
        { code, amount: fenToJson(amountFen) },
        { idempotencyKey: attempt.current },
      );
      attempt.current = null;
      setStage(payment.status === 'completed' ? { kind: 'done', payment } : { kind: 'waiting', payment });
      void queryClient.invalidateQueries({ queryKey: ['merchant'] });
    } catch (error) {
      if (error instanceof ApiError && error.status > 0 && error.status < 500) attempt.current = null;
      setStage({ kind: 'failed', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setStage({ kind: 'form' });
    setCode('');
    setAmountText('');
  };

  if (stage.kind !== 'form') {
    return (
      <section className="mc-card" aria-live="polite">
        {stage.kind === 'waiting' && (
          <Result
            icon={<SpinLoading color="primary" />}
            status="waiting"
            title={<span data-testid="charge-waiting">{t('waitingConfirm')}</span>}
            description={
              <>
                <div className="mc-amount" style={{ fontSize: 24 }}>
                  {formatFen(stage.payment.amount)}
                </div>
                <div>{t('waitingConfirmHint')}</div>
              </>
            }
          />
        )}
        {stage.kind === 'done' && (
          <Result
            status="success"
            title={
              <span data-testid="charge-done" style={{ fontSize: 22 }}>
                {t('paid')}
              </span>
            }
            description={
              <>
                <span className="mc-amount" style={{ display: 'block', fontSize: 40 }}>
                  {formatFen(stage.payment.amount)}
                </span>
                <PaidPayer payment={stage.payment} />
              </>
            }
          />
        )}
        {stage.kind === 'failed' && (
          <Result status="error" title={t('chargeFailed')} description={<span role="alert">{stage.message}</span>} />
        )}
        <Button
          block
          color={stage.kind === 'done' ? 'danger' : 'default'}
          onClick={stage.kind === 'failed' && !stage.payment ? () => setStage({ kind: 'form' }) : reset}
        >
          {t('newCharge')}
        </Button>
      </section>
    );
  }
  return (
    <section className="mc-card" aria-labelledby="charge-title">
      <h3 id="charge-title">{t('chargeTitle')}</h3>
      <label className="mc-muted" htmlFor="charge-amount">
        {t('amount')}
      </label>
      <Input
        id="charge-amount"
        inputMode="decimal"
        value={amountText}
        onChange={setAmountText}
        placeholder="0.00"
        style={{ '--font-size': '24px', margin: '6px 0 10px' } as React.CSSProperties}
      />
      {amountText !== '' && amountFen === null && (
        <p style={{ color: '#c8102e', fontSize: 13 }}>{t('amountInvalid')}</p>
      )}
      <label className="mc-muted" htmlFor="charge-code">
        {t('paymentCode')}
      </label>
      <Input
        id="charge-code"
        inputMode="numeric"
        value={code}
        onChange={(value) => setCode(value.replace(/\D/g, '').slice(0, 24))}
        placeholder={t('paymentCodeHint')}
        style={{ margin: '6px 0 10px', '--font-size': '18px' } as React.CSSProperties}
      />
      {scanning ? (
        <CameraScanner
          onCode={(scanned) => {
            setCode(scanned);
            setScanning(false);
          }}
          onClose={() => setScanning(false)}
        />
      ) : (
        <Button block onClick={() => setScanning(true)} style={{ marginBottom: 10 }}>
          {t('scan')}
        </Button>
      )}
      <Button
        block
        color="danger"
        size="large"
        disabled={amountFen === null || !codeOk}
        loading={busy}
        onClick={charge}
        data-testid="charge-submit"
      >
        {t('charge')}
        {amountFen !== null ? ` ${formatFen(amountFen)}` : ''}
      </Button>
    </section>
  );
}
