import { Button, Form, Input, Result, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../../shared/api';
import { AuthLayout } from '../../components/AuthLayout';
import { DevOutboxHint } from '../../components/DevOutboxHint';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PasswordInput } from '../../components/PasswordInput';
import { PasswordStrength } from '../../components/PasswordStrength';
import { SmsCodeButton } from '../../components/SmsCodeButton';
import '../../support.css';
import { applyProblem } from '../../fields';
import { recoverPassword, recoverPasswordByEmail, sendRecoveryEmailCode } from '../../support-api';
import { errorMessage } from '../../../shared/problems';
import { DevEmailHint } from '../../components/support/DevEmailHint';

interface RecoverForm {
  phone: string;
  smsCode: string;
  email: string;
  emailCode: string;
  name: string;
  idNumber: string;
  password: string;
}

const FIELDS = ['phone', 'smsCode', 'email', 'emailCode', 'name', 'idNumber', 'password'];

/**
 * Forgot password (`POST /auth/recover`): the phone with a texted code, the real name and resident ID on
 * file, and a new password. The server ends every session, so the holder signs in again afterwards.
 */
export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<RecoverForm>();
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [codeSent, setCodeSent] = useState(false);
  const [done, setDone] = useState(false);
  // The texted code by default; a verified recovery e-mail when texts do not reach the holder.
  const [channel, setChannel] = useState<'sms' | 'email'>('sms');
  const navigate = useNavigate();
  const [password, phone, name, idNumber] = [
    Form.useWatch('password', form),
    Form.useWatch('phone', form),
    Form.useWatch('name', form),
    Form.useWatch('idNumber', form),
  ] as (string | undefined)[];

  const submit = async (values: RecoverForm) => {
    setBanner(null);
    setBusy(true);
    try {
      const identity = {
        phone: values.phone.trim(),
        name: values.name.trim(),
        idNumber: values.idNumber.trim().toUpperCase(),
        newPassword: values.password,
      };
      if (channel === 'email')
        await recoverPasswordByEmail({ ...identity, email: values.email.trim(), emailCode: values.emailCode.trim() });
      else await recoverPassword({ ...identity, smsCode: values.smsCode.trim() });
      setDone(true);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SMS_CODE_INVALID') form.setFieldValue('smsCode', '');
      setBanner(applyProblem(form, error, FIELDS, { IDENTITY_MISMATCH: 'idNumber' }));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <AuthLayout title={t('support.forgot.title')}>
        <Result
          status="success"
          title={t('support.forgot.doneTitle')}
          description={t('support.forgot.doneBody')}
          data-testid="recover-done"
        />
        <div className="tb-padded">
          <Button block color="primary" size="large" onClick={() => navigate('/login', { replace: true })}>
            {t('support.forgot.toLogin')}
          </Button>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={t('support.forgot.title')}
      subtitle={t('support.forgot.subtitle')}
      footer={
        <>
          <Link to="/login">{t('support.forgot.backToLogin')}</Link>
          <span aria-hidden> · </span>
          <Link to="/support/contact">{t('support.contact.title')}</Link>
        </>
      }
    >
      <p className="tb-step-hint">{t('support.forgot.explain')}</p>
      <ErrorBanner message={banner} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={busy} data-testid="recover-submit">
            {t('support.forgot.submit')}
          </Button>
        }
      >
        <Form.Item
          name="phone"
          label={t('fields.phone')}
          rules={[{ required: true, pattern: /^(\+?86)?1[3-9]\d{9}$/, message: t('fields.phoneInvalid') }]}
        >
          <Input
            type="tel"
            inputMode="numeric"
            autoComplete="username"
            placeholder={t('fields.phonePlaceholder')}
            clearable
          />
        </Form.Item>
        {channel === 'sms' ? (
          <>
            <Form.Item
              name="smsCode"
              label={t('fields.smsCode')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
              extra={
                <SmsCodeButton
                  phone={() => form.getFieldValue('phone')}
                  purpose="recover"
                  onSent={() => setCodeSent(true)}
                />
              }
            >
              <Input
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={t('fields.smsCodePlaceholder')}
              />
            </Form.Item>
            {codeSent ? <DevOutboxHint /> : null}
          </>
        ) : (
          <>
            <Form.Item
              name="email"
              label={t('support.email.address')}
              rules={[{ required: true, pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, message: t('support.email.invalid') }]}
              extra={
                <Button
                  size="small"
                  color="primary"
                  fill="outline"
                  onClick={async () => {
                    const [phoneNow, emailNow] = [form.getFieldValue('phone'), form.getFieldValue('email')] as string[];
                    if (!phoneNow?.trim() || !emailNow?.trim()) {
                      Toast.show({ content: t('auth.phoneFirst') });
                      return;
                    }
                    try {
                      await sendRecoveryEmailCode(phoneNow.trim(), emailNow.trim());
                      setCodeSent(true);
                      Toast.show({ icon: 'success', content: t('auth.codeSent') });
                    } catch (failure) {
                      Toast.show({ icon: 'fail', content: errorMessage(failure) });
                    }
                  }}
                  data-testid="send-email-code"
                >
                  {t('support.email.send')}
                </Button>
              }
            >
              <Input type="email" autoComplete="email" />
            </Form.Item>
            <Form.Item
              name="emailCode"
              label={t('support.email.code')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            {codeSent ? <DevEmailHint /> : null}
          </>
        )}
        <div className="tb-sup-channel">
          <button
            type="button"
            className="tb-link-button tb-sup-text-button"
            onClick={() => {
              setChannel(channel === 'sms' ? 'email' : 'sms');
              setCodeSent(false);
            }}
            data-testid="recover-channel"
          >
            {channel === 'sms' ? t('support.email.useEmail') : t('support.email.useSms')}
          </button>
        </div>
        <Form.Item name="name" label={t('fields.name')} rules={[{ required: true, message: t('fields.nameRequired') }]}>
          <Input autoComplete="name" placeholder={t('fields.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t('fields.idNumber')}
          rules={[{ required: true, pattern: /^\d{17}[\dXx]$/, message: t('fields.idNumberInvalid') }]}
        >
          <Input autoComplete="off" maxLength={18} placeholder={t('fields.idNumberPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('support.forgot.newPassword')}
          help={t('fields.passwordRules')}
          rules={[{ required: true, min: 12, message: t('fields.passwordTooShort') }]}
        >
          <PasswordInput autoComplete="new-password" placeholder={t('fields.newPasswordPlaceholder')} />
        </Form.Item>
        <PasswordStrength password={password} personal={[phone ?? '', name ?? '', idNumber ?? '']} />
      </Form>
    </AuthLayout>
  );
}
