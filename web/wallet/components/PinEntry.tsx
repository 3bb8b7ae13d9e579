import type { PasscodeInputRef } from 'antd-mobile';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PasscodeCells } from './PasscodeCells';

/** An inline 6-digit PIN field with the number keyboard; calls onFill with the six digits. */
export function PinEntry(props: {
  label: string;
  onFill: (pin: string) => void;
  error?: string | null;
  resetKey?: unknown;
}) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const ref = useRef<PasscodeInputRef>(null);
  useEffect(() => {
    setPin('');
    const timer = window.setTimeout(() => ref.current?.focus(), 200);
    return () => window.clearTimeout(timer);
  }, [props.resetKey]);
  return (
    <div className="tb-pin-entry">
      <p className="tb-pin-label" id="pin-entry-label">
        {props.label}
      </p>
      <PasscodeCells
        ref={ref}
        value={pin}
        onChange={setPin}
        onFill={(value) => props.onFill(value)}
        error={Boolean(props.error)}
        aria-label={t('pin.inputLabel', { count: pin.length })}
        aria-describedby="pin-entry-label"
        data-testid="pin-input"
      />
      <p className="tb-pin-error" role="alert">
        {props.error}
      </p>
    </div>
  );
}
