import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../../shared/api';
import { errorMessage } from '../../../shared/problems';
import { DevOutboxHint } from '../../components/DevOutboxHint';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { PinEntry } from '../../components/PinEntry';
import { SmsCodeButton } from '../../components/SmsCodeButton';
import '../../support.css';
import { applyProblem } from '../../fields';
import { useMe } from '../../session';
import { resetPin } from '../../support-api';

interface VerifyForm {
  phone: string;
  smsCode: string;
  idNumber: string;
}

type Step = 'verify' | 'new' | 'repeat' | 'done';

/**
 * Forgot the payment PIN (`POST /me/pin/reset`): a code texted to the holder's own phone and their resident
 * ID, then the new PIN twice. The server checks the code and the ID when the new PIN is sent, so a
 * wrong code or ID brings the holder back to the first step with the message on its field.
 */
export default function ForgotPinPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<VerifyForm>();
  const [step, setStep] = useState<Step>('verify');
  const [verified, setVerified] = useState<VerifyForm | null>(null);
  const [newPin, setNewPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [codeSent, setCodeSent] = useState(false);

  const save = async (repeatPin: string) => {
    if (!verified) return;
    if (repeatPin !== newPin) {
      setError(t('pin.mismatch'));
      setAttempt(attempt + 1);
      setStep('new');
      return;
    }
    try {
      await resetPin({ smsCode: verified.smsCode, idNumber: verified.idNumber, newPin });
      await client.invalidateQueries({ queryKey: ['me'] });
      setStep('done');
    } catch (failure) {
      setAttempt(attempt + 1);
      if (failure instanceof ApiError && ['PIN_TOO_WEAK', 'VALIDATION_FAILED'].includes(failure.code)) {
        setError(errorMessage(failure));
        setStep('new');
        return;
      }
      if (failure instanceof ApiError && failure.code === 'SMS_CODE_INVALID') form.setFieldValue('smsCode', '');
      setStep('verify');
      setBanner(applyProblem(form, failure, ['smsCode', 'idNumber'], { IDENTITY_MISMATCH: 'idNumber' }));
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.forgotPin.title')} back="/security/pin" />
      <div className="tb-page-body">
        {step === 'verify' ? (
          <>
            <p className="tb-step-hint tb-flat-hint">{t('support.forgotPin.explain')}</p>
            <ErrorBanner message={banner} />
            <Form
              form={form}
              layout="vertical"
              className="tb-form-card"
              onFinish={(values: VerifyForm) => {
                setVerified({ ...values, idNumber: values.idNumber.trim().toUpperCase() });
                setBanner(null);
                setError(null);
                setStep('new');
              }}
              footer={
                <Button block type="submit" color="primary" size="large" data-testid="pin-reset-next">
                  {t('support.forgotPin.verify')}
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
                  placeholder={me.data ? me.data.phone : t('fields.phonePlaceholder')}
                />
              </Form.Item>
              <Form.Item
                name="smsCode"
                label={t('fields.smsCode')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
                extra={
                  <SmsCodeButton
                    phone={() => form.getFieldValue('phone')}
                    purpose="pin_reset"
                    onSent={() => setCodeSent(true)}
                  />
                }
              >
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
              </Form.Item>
              {codeSent ? <DevOutboxHint /> : null}
              <Form.Item
                name="idNumber"
                label={t('fields.idNumber')}
                rules={[{ required: true, pattern: /^\d{17}[\dXx]$/, message: t('fields.idNumberInvalid') }]}
              >
                <Input autoComplete="off" maxLength={18} placeholder={t('fields.idNumberPlaceholder')} />
              </Form.Item>
            </Form>
          </>
        ) : null}
        {step === 'new' ? (
          <PinEntry
            key={`new-${attempt}`}
            label={t('support.forgotPin.enterNew')}
            error={error}
            resetKey={attempt}
            onFill={(pin) => {
              setNewPin(pin);
              setError(null);
              setStep('repeat');
            }}
          />
        ) : null}
        {step === 'repeat' ? (
          <PinEntry key="repeat" label={t('support.forgotPin.repeatNew')} onFill={(pin) => void save(pin)} />
        ) : null}
        {step === 'new' || step === 'repeat' ? <p className="tb-fineprint">{t('pin.rules')}</p> : null}
        {step === 'done' ? (
          <Result
            status="success"
            title={t('support.forgotPin.doneTitle')}
            description={
              <>
                <p>{t('support.forgotPin.doneBody')}</p>
                <Button color="primary" onClick={() => navigate('/security', { replace: true })}>
                  {t('common.done')}
                </Button>
              </>
            }
          />
        ) : null}
      </div>
    </div>
  );
}
