import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, deviceId } from '../../shared/api';
import { AuthLayout } from '../components/AuthLayout';
import { DevOutboxHint } from '../components/DevOutboxHint';
import { SmsCodeButton } from '../components/SmsCodeButton';
import { applyProblem } from '../fields';
import { holdPasswordForFirstPin } from '../first-pin';
import { PasswordInput } from '../components/PasswordInput';
import { PasswordStrength } from '../components/PasswordStrength';

interface RegisterForm {
  phone: string;
  smsCode: string;
  name: string;
  idNumber: string;
  password: string;
}

const FIELDS = ['phone', 'smsCode', 'name', 'idNumber', 'password'];

/** Open a wallet: phone and texted code, real name and resident ID, a login password. */
export default function RegisterPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<RegisterForm>();
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [codeSent, setCodeSent] = useState(false);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [password, phone, name, idNumber] = [
    Form.useWatch('password', form),
    Form.useWatch('phone', form),
    Form.useWatch('name', form),
    Form.useWatch('idNumber', form),
  ] as (string | undefined)[];

  const [submitted, setSubmitted] = useState(false);

  const submit = async (values: RegisterForm) => {
    setBanner(null);
    setBusy(true);
    try {
      const enteredPhone = values.phone.trim();
      await api.post('/api/v1/auth/register', {
        phone: enteredPhone,
        smsCode: values.smsCode.trim(),
        name: values.name.trim(),
        idNumber: values.idNumber.trim().toUpperCase(),
        password: values.password,
        deviceId: deviceId(),
      });
      // The server answers alike whether or not a wallet was opened (so nobody learns who has one);
      // when it was, this device may sign in at once with the password just chosen.
      try {
        await api.post('/api/v1/auth/login', { phone: enteredPhone, password: values.password, deviceId: deviceId() });
      } catch {
        setSubmitted(true);
        return;
      }
      await client.invalidateQueries();
      // The PIN screen goes straight to the PIN: the password was typed a moment ago.
      holdPasswordForFirstPin(values.password);
      navigate('/security/pin?welcome=1', { replace: true });
    } catch (error) {
      setBanner(applyProblem(form, error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  if (submitted) {
    return (
      <AuthLayout title={t('register.title')} subtitle={t('register.subtitle')}>
        <Result
          status="info"
          title={t('register.checkPhoneTitle')}
          description={t('register.checkPhoneBody')}
          data-testid="register-check-phone"
        />
        <Button block color="primary" size="large" onClick={() => navigate('/login')}>
          {t('register.goToLogin')}
        </Button>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={t('register.title')}
      subtitle={t('register.subtitle')}
      footer={<Link to="/login">{t('register.toLogin')}</Link>}
    >
      <ErrorBanner message={banner} />
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        footer={
          <Button block type="submit" color="primary" size="large" loading={busy} data-testid="register-submit">
            {t('register.submit')}
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
            autoComplete="tel"
            placeholder={t('fields.phonePlaceholder')}
            clearable
          />
        </Form.Item>
        <Form.Item
          name="smsCode"
          label={t('fields.smsCode')}
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
          extra={
            <SmsCodeButton
              phone={() => form.getFieldValue('phone')}
              purpose="register"
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
          label={t('fields.newPassword')}
          help={t('fields.passwordRules')}
          rules={[{ required: true, min: 12, message: t('fields.passwordTooShort') }]}
        >
          <PasswordInput autoComplete="new-password" placeholder={t('fields.newPasswordPlaceholder')} />
        </Form.Item>
        <PasswordStrength password={password} personal={[phone ?? '', name ?? '', idNumber ?? '']} />
        <p className="tb-fineprint">{t('register.privacy')}</p>
      </Form>
    </AuthLayout>
  );
}
