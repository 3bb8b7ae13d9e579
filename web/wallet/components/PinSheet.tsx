import { Button, Input, type PasscodeInputRef, Popup } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { channelOfPath, explainable, whyPath } from '../support-paths';
import { ApiError, api } from '../../shared/api';
import { type FenLike, formatFen } from '../../shared/money';
import { errorCode, errorMessage } from '../../shared/problems';
import { passkeyCancelled, passkeySupported } from '../passkey';
import { PasscodeCells } from './PasscodeCells';

/**
 * The 6-digit payment PIN pad: a bottom sheet with what is being approved (amount and payee),
 * the masked cells and a number keyboard whose keys have spoken names. Submits on the 6th digit.
 */
export function PinSheet(props: {
  visible: boolean;
  title?: string;
  amount?: FenLike;
  payee?: string;
  /** What is being approved when it is not a payment (signing a contract): shown as it is. */
  detail?: string;
  onClose: () => void;
  onSubmit: (pin: string) => Promise<void>;
  /** Approve with a passkey instead of the PIN (offered when the browser has WebAuthn). */
  onPasskey?: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A step-up asks for a texted code too: the PIN already typed is kept to retry with.
  const [stepUp, setStepUp] = useState<{ assessmentId: string; pin: string } | null>(null);
  const [smsCode, setSmsCode] = useState('');
  // A refusal the server can explain from its data ("why did this fail?") offers the explanation.
  const [why, setWhy] = useState<string | null>(null);
  const location = useLocation();
  const input = useRef<PasscodeInputRef>(null);
  const navigate = useNavigate();

  useEffect(() => {
    // Closing the sheet must also put the number keyboard away.
    if (!props.visible) input.current?.blur();
    if (props.visible) {
      setPin('');
      setError(null);
      setWhy(null);
      setStepUp(null);
      setSmsCode('');
      const timer = window.setTimeout(() => input.current?.focus(), 250);
      return () => window.clearTimeout(timer);
    }
  }, [props.visible]);

  const submit = async (value: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(value);
      input.current?.blur();
    } catch (failure) {
      if (
        errorCode(failure) === 'STEP_UP_REQUIRED' &&
        failure instanceof ApiError &&
        typeof failure.problem.assessmentId === 'string'
      ) {
        const assessmentId = failure.problem.assessmentId;
        input.current?.blur();
        setStepUp({ assessmentId, pin: value });
        await api
          .post(`/api/v1/risk/step-ups/${encodeURIComponent(assessmentId)}/sms`)
          .catch((sendFailure: unknown) => setError(errorMessage(sendFailure)));
        return;
      }
      if (errorCode(failure) === 'RISK_CONFIRMATION_REQUIRED') {
        input.current?.blur();
        // The held answer names its hold (issue 19); older answers leave the newest one to find.
        const holdId = failure instanceof ApiError ? failure.problem.holdId : undefined;
        navigate(typeof holdId === 'string' ? `/held/${encodeURIComponent(holdId)}` : '/held/latest');
        return;
      }
      setWhy(explainable(failure) ? (errorCode(failure) ?? null) : null);
      setError(errorMessage(failure));
      setPin('');
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const verifyStepUp = async () => {
    if (!stepUp || !/^\d{6}$/.test(smsCode)) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/risk/step-ups/${encodeURIComponent(stepUp.assessmentId)}/verify`, { smsCode });
      await props.onSubmit(stepUp.pin);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup
      visible={props.visible}
      onMaskClick={props.onClose}
      onClose={props.onClose}
      bodyClassName="tb-pin-sheet"
      destroyOnClose
    >
      <div role="dialog" aria-modal="true" aria-labelledby="pin-title" className="tb-pin-body">
        <div className="tb-pin-head">
          <button type="button" className="tb-icon-button" aria-label={t('common.close')} onClick={props.onClose}>
            ✕
          </button>
          <h2 id="pin-title">{props.title ?? t('pin.enterTitle')}</h2>
          <span className="tb-icon-button" />
        </div>
        {props.amount !== undefined ? (
          <div className="tb-pin-amount" aria-label={t('pin.amountLabel', { amount: formatFen(props.amount) })}>
            {formatFen(props.amount)}
          </div>
        ) : null}
        {props.payee ? <div className="tb-pin-payee">{t('pin.payee', { payee: props.payee })}</div> : null}
        {props.detail ? <div className="tb-pin-payee">{props.detail}</div> : null}
        {stepUp ? (
          <div className="tb-step-up">
            <p role="status">{t('pin.stepUp')}</p>
            <Input
              value={smsCode}
              onChange={setSmsCode}
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
              placeholder={t('fields.smsCodePlaceholder')}
              aria-label={t('fields.smsCode')}
            />
            <Button
              block
              color="primary"
              loading={busy}
              disabled={!/^\d{6}$/.test(smsCode)}
              onClick={() => void verifyStepUp()}
            >
              {t('pin.stepUpVerify')}
            </Button>
          </div>
        ) : null}
        <PasscodeCells
          className={stepUp ? 'tb-hidden' : undefined}
          ref={input}
          value={pin}
          onChange={setPin}
          onFill={(value) => void submit(value)}
          error={Boolean(error)}
          aria-label={t('pin.inputLabel', { count: pin.length })}
          data-testid="pin-input"
        />
        <div className="tb-pin-error" role="alert" aria-live="assertive">
          {busy ? t('common.processing') : error}
        </div>
        {why && !busy ? (
          <button
            type="button"
            className="tb-link-button"
            onClick={() => {
              input.current?.blur();
              navigate(whyPath(why, channelOfPath(location.pathname), props.amount));
            }}
            data-testid="why-failed"
          >
            {t('support.explain.why')}
          </button>
        ) : null}
        {props.onPasskey && passkeySupported() ? (
          <button
            type="button"
            className="tb-passkey-link"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await props.onPasskey?.();
              } catch (failure) {
                if (!passkeyCancelled(failure)) setError(errorMessage(failure));
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('passkeys.usePasskey')}
          </button>
        ) : null}
      </div>
    </Popup>
  );
}
