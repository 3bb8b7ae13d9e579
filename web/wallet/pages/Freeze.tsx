import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { DevOutboxHint } from '../components/DevOutboxHint';
import { PageHeader } from '../components/PageHeader';
import { Segments } from '../components/Segments';
import { SmsCodeButton } from '../components/SmsCodeButton';
import { applyProblem } from '../fields';
import { useMe } from '../session';

/**
 * Freeze and report theft. Signed in: one clear button freezes at once; reporting theft also
 * signs out everywhere and voids pending holds. Signed out (phone lost): the same with an SMS code.
 */
export default function FreezePage() {
  const { pathname } = useLocation();
  return pathname === '/emergency' ? <EmergencyFreeze /> : <SignedInFreeze />;
}

function SignedInFreeze() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [theftCase, setTheftCase] = useState<string | null>(null);
  const [form] = Form.useForm();

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      await client.invalidateQueries({ queryKey: ['me'] });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const freeze = async () => {
    const sure = await Dialog.confirm({
      title: t('freeze.confirmTitle'),
      content: t('freeze.confirmBody'),
      confirmText: t('freeze.freezeNow'),
      cancelText: t('common.cancel'),
    });
    if (sure) await act(() => api.post('/api/v1/me/freeze'));
  };
  const reportTheft = async () => {
    const sure = await Dialog.confirm({
      title: t('freeze.theftTitle'),
      content: t('freeze.theftBody'),
      confirmText: t('freeze.theftConfirm'),
      cancelText: t('common.cancel'),
    });
    if (!sure) return;
    setBusy(true);
    try {
      const answer = await api.post<{ caseId: string; voidedHolds: number }>('/api/v1/me/report-theft');
      client.clear();
      localStorage.removeItem('tb_me');
      setTheftCase(answer.caseId);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  if (theftCase) {
    return (
      <div className="tb-page">
        <PageHeader title={t('freeze.title')} back={false} />
        <Result
          status="success"
          title={t('freeze.theftDone')}
          description={
            <>
              <p>{t('freeze.caseNumber', { caseId: theftCase })}</p>
              <Button color="primary" onClick={() => navigate('/login', { replace: true })}>
                {t('freeze.backToLogin')}
              </Button>
            </>
          }
        />
      </div>
    );
  }

  const frozen = Boolean(me.data?.frozen);
  return (
    <div className="tb-page">
      <PageHeader title={t('freeze.title')} back="/security" />
      <div className="tb-page-body">
        <ErrorBanner message={error} />
        {frozen ? (
          <>
            <Result status="warning" title={t('freeze.frozenTitle')} description={t('freeze.frozenBody')} />
            <h2 className="tb-section-title">{t('freeze.unfreezeTitle')}</h2>
            <Form
              form={form}
              layout="vertical"
              onFinish={(values: { phone: string; smsCode: string; password: string; idNumber: string }) =>
                void act(async () => {
                  try {
                    await api.post('/api/v1/me/unfreeze', {
                      smsCode: values.smsCode,
                      password: values.password,
                      idNumber: values.idNumber.toUpperCase(),
                    });
                  } catch (failure) {
                    const banner = applyProblem(form, failure, ['smsCode', 'password', 'idNumber'], {
                      PASSWORD_INVALID: 'password',
                      IDENTITY_MISMATCH: 'idNumber',
                    });
                    if (banner) throw failure;
                  }
                })
              }
              footer={
                <Button block type="submit" color="primary" loading={busy}>
                  {t('freeze.unfreeze')}
                </Button>
              }
            >
              <Form.Item
                name="phone"
                label={t('fields.phone')}
                rules={[{ required: true, message: t('fields.phoneRequired') }]}
              >
                <Input type="tel" inputMode="numeric" />
              </Form.Item>
              <Form.Item
                name="smsCode"
                label={t('fields.smsCode')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
                extra={<SmsCodeButton phone={() => form.getFieldValue('phone')} purpose="unfreeze" />}
              >
                <Input inputMode="numeric" maxLength={6} />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('fields.password')}
                rules={[{ required: true, message: t('fields.passwordRequired') }]}
              >
                <Input type="password" />
              </Form.Item>
              <Form.Item
                name="idNumber"
                label={t('fields.idNumber')}
                rules={[{ required: true, message: t('fields.idNumberInvalid') }]}
              >
                <Input maxLength={18} />
              </Form.Item>
            </Form>
            <DevOutboxHint />
          </>
        ) : (
          <>
            <p className="tb-lead">{t('freeze.explain')}</p>
            <Button
              block
              color="danger"
              size="large"
              loading={busy}
              onClick={() => void freeze()}
              data-testid="freeze-now"
            >
              {t('freeze.freezeNow')}
            </Button>
          </>
        )}
        <div className="tb-theft">
          <p>{t('freeze.theftExplain')}</p>
          <Button
            block
            color="danger"
            fill="outline"
            loading={busy}
            onClick={() => void reportTheft()}
            data-testid="report-theft"
          >
            {t('freeze.reportTheft')}
          </Button>
        </div>
      </div>
    </div>
  );
}

function EmergencyFreeze() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'freeze' | 'theft'>('freeze');
  const [done, setDone] = useState<string | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const navigate = useNavigate();

  const submit = async (values: { phone: string; smsCode: string; idNumber?: string }) => {
    setBusy(true);
    setBanner(null);
    try {
      if (mode === 'freeze') {
        await api.post('/api/v1/auth/freeze', { phone: values.phone.trim(), smsCode: values.smsCode });
        setDone(t('freeze.frozenTitle'));
      } else {
        const answer = await api.post<{ caseId: string }>('/api/v1/auth/report-theft', {
          phone: values.phone.trim(),
          smsCode: values.smsCode,
          idNumber: (values.idNumber ?? '').toUpperCase(),
        });
        setDone(t('freeze.caseNumber', { caseId: answer.caseId }));
      }
    } catch (failure) {
      setBanner(applyProblem(form, failure, ['phone', 'smsCode', 'idNumber'], { IDENTITY_MISMATCH: 'idNumber' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('freeze.emergencyTitle')} back="/login" />
      <div className="tb-page-body">
        {done ? (
          <Result
            status="success"
            title={done}
            description={
              <Button color="primary" onClick={() => navigate('/login')}>
                {t('freeze.backToLogin')}
              </Button>
            }
          />
        ) : (
          <>
            <p className="tb-lead">{t('freeze.emergencyExplain')}</p>
            <Segments
              label={t('freeze.title')}
              value={mode}
              onChange={setMode}
              options={[
                { label: t('freeze.freezeNow'), value: 'freeze' },
                { label: t('freeze.reportTheft'), value: 'theft' },
              ]}
            />
            <ErrorBanner message={banner} />
            <Form
              form={form}
              layout="vertical"
              onFinish={(values) => void submit(values)}
              footer={
                <Button block type="submit" color="danger" size="large" loading={busy}>
                  {mode === 'freeze' ? t('freeze.freezeNow') : t('freeze.reportTheft')}
                </Button>
              }
            >
              <Form.Item
                name="phone"
                label={t('fields.phone')}
                rules={[{ required: true, message: t('fields.phoneRequired') }]}
              >
                <Input type="tel" inputMode="numeric" />
              </Form.Item>
              <Form.Item
                name="smsCode"
                label={t('fields.smsCode')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
                extra={
                  <SmsCodeButton
                    key={mode}
                    phone={() => form.getFieldValue('phone')}
                    purpose={mode === 'freeze' ? 'freeze' : 'report_theft'}
                  />
                }
              >
                <Input inputMode="numeric" maxLength={6} />
              </Form.Item>
              {mode === 'theft' ? (
                <Form.Item
                  name="idNumber"
                  label={t('fields.idNumber')}
                  rules={[{ required: true, message: t('fields.idNumberInvalid') }]}
                >
                  <Input maxLength={18} />
                </Form.Item>
              ) : null}
            </Form>
            <DevOutboxHint />
          </>
        )}
      </div>
    </div>
  );
}
