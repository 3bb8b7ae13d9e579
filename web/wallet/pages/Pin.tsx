import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Result, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkPin } from '../../../server/identity/pin-policy';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { errorCode, errorMessage } from '../../shared/problems';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PinEntry } from '../components/PinEntry';
import { forgetPasswordForFirstPin, passwordForFirstPin } from '../first-pin';
import { useMe } from '../session';

type Step = 'password' | 'current' | 'new' | 'repeat' | 'done';

/** What the PIN rules compare against, when the profile shows it unmasked (the server checks again). */
function pinContext(me: { idNumber: string; phone: string } | undefined): { birthDate?: string; phone?: string } {
  const id = me?.idNumber ?? '';
  const birth = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(id);
  return {
    birthDate: birth ? `${birth[1]}-${birth[2]}-${birth[3]}` : undefined,
    phone: /^1\d{10}$/.test(me?.phone ?? '') ? me?.phone : undefined,
  };
}

/**
 * Set the payment PIN (with the login password) or change it (with the current PIN). Right after
 * registration the password just chosen is handed over, so the holder goes straight to the PIN.
 */
export default function PinPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const welcome = search.get('welcome') === '1';
  // Whether this visit changes an existing PIN, fixed when the profile first loads.
  const [pinWasSet, setPinWasSet] = useState<boolean | null>(null);
  if (pinWasSet === null && me.data) setPinWasSet(me.data.pinSet);
  const changing = Boolean(pinWasSet);
  const [step, setStep] = useState<Step | null>(null);
  const [password, setPassword] = useState(() => (welcome ? (passwordForFirstPin() ?? '') : ''));
  const [currentPin, setCurrentPin] = useState('');
  const [newPin, setNewPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  if (me.isPending || pinWasSet === null) return <Loading />;
  const current: Step = step ?? (changing ? 'current' : password ? 'new' : 'password');

  const save = async (repeatPin: string) => {
    if (repeatPin !== newPin) {
      setError(t('pin.mismatch'));
      setNewPin('');
      setStep('new');
      setAttempt(attempt + 1);
      return;
    }
    try {
      await api.put('/api/v1/me/pin', changing ? { newPin, currentPin } : { newPin, password });
      forgetPasswordForFirstPin();
      await client.invalidateQueries({ queryKey: ['me'] });
      setStep('done');
    } catch (failure) {
      setError(errorMessage(failure));
      setNewPin('');
      setAttempt(attempt + 1);
      // A wrong password (even a handed-over one) is asked for again rather than retried.
      const wrongPassword = !changing && errorCode(failure) === 'PASSWORD_INVALID';
      if (wrongPassword) {
        forgetPasswordForFirstPin();
        setPassword('');
      }
      setStep(changing ? 'current' : wrongPassword ? 'password' : 'new');
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={changing ? t('pin.changeTitle') : t('pin.setTitle')} back={welcome ? false : '/security'} />
      <div className="tb-page-body">
        {welcome && current !== 'done' ? <p className="tb-welcome">{t('pin.welcome')}</p> : null}
        {current === 'password' ? (
          <Form
            layout="vertical"
            onFinish={(values: { password: string }) => {
              setPassword(values.password);
              setStep('new');
              setError(null);
            }}
            footer={
              <Button block type="submit" color="primary" size="large">
                {t('common.next')}
              </Button>
            }
          >
            <Form.Item
              name="password"
              label={t('pin.passwordLabel')}
              rules={[{ required: true, message: t('fields.passwordRequired') }]}
            >
              <Input type="password" autoComplete="current-password" />
            </Form.Item>
            {error ? (
              <p className="tb-pin-error" role="alert">
                {error}
              </p>
            ) : null}
          </Form>
        ) : null}
        {current === 'current' ? (
          <PinEntry
            key={`current-${attempt}`}
            label={t('pin.enterCurrent')}
            error={error}
            resetKey={attempt}
            onFill={(pin) => {
              setCurrentPin(pin);
              setError(null);
              setStep('new');
            }}
          />
        ) : null}
        {current === 'new' ? (
          <PinEntry
            key={`new-${attempt}`}
            label={t('pin.enterNew')}
            error={error}
            resetKey={attempt}
            onFill={(pin) => {
              // A weak PIN (123456, 111111, the birthday on the ID) is refused at once, not after repeating it.
              const weak = checkPin(pin, pinContext(me.data));
              if (weak) {
                setError(t(`pin.weak.${weak.reason}` as const));
                setAttempt(attempt + 1);
                return;
              }
              setNewPin(pin);
              setError(null);
              setStep('repeat');
            }}
          />
        ) : null}
        {current === 'repeat' ? (
          <PinEntry key="repeat" label={t('pin.repeatNew')} onFill={(pin) => void save(pin)} />
        ) : null}
        {current === 'new' || current === 'repeat' ? <p className="tb-fineprint">{t('pin.rules')}</p> : null}
        {current === 'current' ? (
          <p className="tb-center">
            <Link to="/security/pin/reset" data-testid="forgot-pin">
              {t('support.forgotPin.link')}
            </Link>
          </p>
        ) : null}
        {current === 'done' ? (
          <Result
            status="success"
            title={changing ? t('pin.changed') : t('pin.setDone')}
            description={
              <Button
                color="primary"
                className="tb-result-button"
                onClick={() => {
                  Toast.clear();
                  navigate(welcome ? '/' : '/security', { replace: true });
                }}
                data-testid="pin-done"
              >
                {welcome ? t('pin.toHome') : t('common.done')}
              </Button>
            }
          />
        ) : null}
      </div>
    </div>
  );
}
