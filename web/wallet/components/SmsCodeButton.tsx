import { Button, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';

export type SmsPurpose = 'register' | 'login_device' | 'recover' | 'freeze' | 'unfreeze' | 'pin_reset' | 'report_theft';

/** "Get code" with a 60-second countdown; asks the server to text a 6-digit code. */
export function SmsCodeButton(props: {
  phone: () => string | undefined;
  purpose: SmsPurpose;
  onSent?: () => void;
  startCounting?: boolean;
}) {
  const { t } = useTranslation();
  const [seconds, setSeconds] = useState(props.startCounting ? 60 : 0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (seconds <= 0) return;
    const timer = window.setTimeout(() => setSeconds(seconds - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [seconds]);

  const send = async () => {
    const phone = props.phone()?.trim();
    if (!phone) {
      Toast.show({ content: t('auth.phoneFirst') });
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/v1/auth/sms-codes', { phone, purpose: props.purpose });
      setSeconds(60);
      Toast.show({ icon: 'success', content: t('auth.codeSent') });
      props.onSent?.();
    } catch (error) {
      Toast.show({ icon: 'fail', content: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      color="primary"
      fill="outline"
      disabled={seconds > 0}
      loading={busy}
      onClick={() => void send()}
      data-testid={`send-code-${props.purpose}`}
    >
      {seconds > 0 ? t('auth.resendIn', { seconds }) : t('auth.getCode')}
    </Button>
  );
}
