import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../shared/api';
import { setLanguage } from '../../shared/i18n';
import { errorMessage } from '../../shared/problems';
import { useOpsT } from '../i18n';

/** Staff sign-in: mobile number, password and the authenticator's TOTP code. */
export function LoginPage() {
  const { t, english } = useOpsT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { phone: string; password: string; totpCode: string }) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/staff/auth/login', { ...values, client: 'web' });
      await queryClient.invalidateQueries({ queryKey: ['ops', 'me'] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg, #14294f 0%, #1d3c78 55%, #eef2f8 55%)',
      }}
    >
      <Card style={{ width: 380, boxShadow: '0 12px 40px rgba(20,41,79,.25)' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('appName')}
        </Typography.Title>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('signInTitle')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('signInHint')}</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item name="phone" label={t('phone')} rules={[{ required: true, message: t('required') }]}>
            <Input autoComplete="username" inputMode="tel" />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="totpCode"
            label={t('totp')}
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('totp') }]}
          >
            <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
          </Form.Item>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('signIn')}
          </Button>
        </Form>
        <Button
          type="link"
          style={{ paddingLeft: 0, marginTop: 8 }}
          onClick={() => setLanguage(english ? 'zh-CN' : 'en')}
        >
          {t('language')}
        </Button>
      </Card>
    </main>
  );
}
