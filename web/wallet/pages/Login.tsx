import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd-mobile';
import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, deviceId } from '../../shared/api';
import { PasswordInput } from '../components/PasswordInput';
import { AuthLayout } from '../components/AuthLayout';
import { DevOutboxHint } from '../components/DevOutboxHint';
import { SmsCodeButton } from '../components/SmsCodeButton';
import { applyProblem } from '../fields';
import { passkeyCancelled, passkeySupported, signInWithPasskey } from '../passkey';
import { errorMessage } from '../../shared/problems';

interface LoginForm {
  phone: string;
  password: string;
  smsCode?: string;
  totpCode?: string;
}

type Step = 'password' | 'device' | 'totp';

/** Sign in: password, then an SMS code on a new device, then the authenticator code when turned on. */
export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const [step, setStep] = useState<Step>('password');
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const client = useQueryClient();

  const submit = async (values: LoginForm) => {
    setBanner(null);
    setBusy(true);
    try {
      const all = { ...form.getFieldsValue(true), ...values } as LoginForm;
      await api.post('/api/v1/auth/login', {
        phone: all.phone.trim(),
        password: all.password,
        smsCode: all.smsCode || undefined,
        totpCode: all.totpCode || undefined,
        deviceId: deviceId(),
      });
      await client.invalidateQueries();
      const next = search.get('next');
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'DEVICE_VERIFICATION_REQUIRED') {
        setStep('device');
        setBanner(null);
      } else if (error instanceof ApiError && error.code === 'TOTP_REQUIRED') {
        setStep('totp');
      } else {
        if (error instanceof ApiError && error.code === 'SMS_CODE_INVALID') form.setFieldValue('smsCode', '');
        setBanner(applyProblem(form, error, step === 'device' ? ['smsCode'] : step === 'totp' ? ['totpCode'] : []));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('login.title')}
      subtitle={t('login.subtitle')}
      footer={
        <>
          <Link to="/register">{t('login.toRegister')}</Link>
          <span aria-hidden> · </span>
          <Link to="/emergency">{t('login.emergency')}</Link>
          <span aria-hidden> · </span>
          <Link to="/support/contact">{t('support.contact.title')}</Link>
        </>
      }
    >
      <ErrorBanner message={banner} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={busy} data-testid="login-submit">
            {step === 'password' ? t('login.submit') : t('login.verify')}
          </Button>
        }
      >
        <div hidden={step !== 'password'}>
          <Form.Item
            name="phone"
            label={t('fields.phone')}
            rules={[{ required: true, message: t('fields.phoneRequired') }]}
          >
            <Input
              type="tel"
              inputMode="numeric"
              autoComplete="username"
              placeholder={t('fields.phonePlaceholder')}
              clearable
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('fields.password')}
            rules={[{ required: true, message: t('fields.passwordRequired') }]}
          >
            <PasswordInput autoComplete="current-password" placeholder={t('fields.passwordPlaceholder')} />
          </Form.Item>
          <div className="tb-forgot">
            <Link to="/forgot-password" data-testid="forgot-password">
              {t('support.forgot.link')}
            </Link>
          </div>
        </div>
        {step === 'device' ? (
          <>
            <p className="tb-step-hint" role="status">
              {t('login.deviceHint')}
            </p>
            <Form.Item
              name="smsCode"
              label={t('fields.smsCode')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
              extra={<SmsCodeButton phone={() => form.getFieldValue('phone')} purpose="login_device" startCounting />}
            >
              <Input
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={t('fields.smsCodePlaceholder')}
              />
            </Form.Item>
            <DevOutboxHint />
          </>
        ) : null}
        {step === 'totp' ? (
          <>
            <p className="tb-step-hint" role="status">
              {t('login.totpHint')}
            </p>
            <Form.Item
              name="totpCode"
              label={t('fields.totpCode')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.totpRequired') }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          </>
        ) : null}
      </Form>
      {step === 'password' && passkeySupported() ? (
        <div className="tb-passkey-login">
          <Button
            block
            fill="outline"
            color="primary"
            onClick={async () => {
              setBanner(null);
              try {
                const phone = (form.getFieldValue('phone') as string | undefined)?.trim();
                await signInWithPasskey(phone || undefined);
                await client.invalidateQueries();
                const next = search.get('next');
                navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
              } catch (error) {
                if (!passkeyCancelled(error))
                  setBanner(error instanceof ApiError ? errorMessage(error) : t('login.passkeyFailed'));
              }
            }}
          >
            {t('passkeys.signIn')}
          </Button>
        </div>
      ) : null}
    </AuthLayout>
  );
}
