import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { PageHeader } from '../components/PageHeader';
import { QrImage } from '../components/QrImage';
import { useMe } from '../session';

/** Authenticator-app codes as a second factor: scan the secret, confirm with a first code. */
export default function TotpPage() {
  const { t } = useTranslation();
  const me = useMe();
  const client = useQueryClient();
  const [secret, setSecret] = useState<{ secret: string; uri: string } | null>(null);
  const [done, setDone] = useState<'enabled' | 'disabled' | null>(null);
  const setup = useMutation({
    mutationFn: () => api.post<{ secret: string; uri: string }>('/api/v1/me/totp/setup'),
    onSuccess: setSecret,
  });
  const change = useMutation({
    mutationFn: (values: { code: string; action: 'enable' | 'disable' }) =>
      api.post(`/api/v1/me/totp/${values.action}`, { code: values.code }),
    onSuccess: async (_, values) => {
      await client.invalidateQueries({ queryKey: ['me'] });
      setDone(values.action === 'enable' ? 'enabled' : 'disabled');
    },
  });
  const enabled = Boolean(me.data?.totpEnabled);

  const codeForm = (action: 'enable' | 'disable') => (
    <Form
      layout="vertical"
      onFinish={(values: { code: string }) => change.mutate({ code: values.code, action })}
      footer={
        <Button
          block
          type="submit"
          color={action === 'disable' ? 'danger' : 'primary'}
          size="large"
          loading={change.isPending}
        >
          {action === 'enable' ? t('totp.enable') : t('totp.disable')}
        </Button>
      }
    >
      <Form.Item
        name="code"
        label={t('fields.totpCode')}
        rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.totpRequired') }]}
      >
        <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
      </Form.Item>
    </Form>
  );

  return (
    <div className="tb-page">
      <PageHeader title={t('totp.title')} back="/security" />
      <div className="tb-page-body">
        {done ? (
          <Result status="success" title={done === 'enabled' ? t('totp.enabledDone') : t('totp.disabledDone')} />
        ) : enabled ? (
          <>
            <p>{t('totp.onHint')}</p>
            {codeForm('disable')}
          </>
        ) : secret ? (
          <div className="tb-center">
            <p>{t('totp.scanHint')}</p>
            <QrImage text={secret.uri} label={t('totp.qrLabel')} size={180} />
            <p className="tb-secret" aria-label={t('totp.secretLabel')}>
              {secret.secret.replace(/(.{4})/g, '$1 ').trim()}
            </p>
            {codeForm('enable')}
          </div>
        ) : (
          <>
            <p>{t('totp.offHint')}</p>
            <Button block color="primary" size="large" loading={setup.isPending} onClick={() => setup.mutate()}>
              {t('totp.start')}
            </Button>
          </>
        )}
        {setup.error || change.error ? <ErrorBanner message={errorMessage(setup.error ?? change.error)} /> : null}
      </div>
    </div>
  );
}
