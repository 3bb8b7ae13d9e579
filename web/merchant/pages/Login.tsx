import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, NoticeBar } from 'antd-mobile';
import { useState } from 'react';
import { setLanguage } from '../../shared/i18n';
import { errorMessage } from '../../shared/problems';
import { merchantApi } from '../api';
import { useMerchantT } from '../i18n';

export function LoginPage() {
  const { t, english } = useMerchantT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { phone: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await merchantApi.post('/api/v1/merchant/auth/login', { ...values, client: 'web' });
      await queryClient.invalidateQueries({ queryKey: ['merchant', 'me'] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <header className="mc-hero" style={{ borderRadius: 0, padding: '48px 20px 32px', margin: 0 }}>
        <h1 style={{ margin: 0, fontSize: 26 }}>{t('appName')}</h1>
        <p style={{ margin: '8px 0 0', opacity: 0.9 }}>{t('signInHint')}</p>
      </header>
      <Form
        layout="vertical"
        onFinish={submit}
        footer={
          <Button
            block
            type="submit"
            color="primary"
            size="large"
            loading={busy}
            style={{ '--background-color': '#c8102e', '--border-color': '#c8102e' } as React.CSSProperties}
          >
            {t('signIn')}
          </Button>
        }
      >
        <Form.Item name="phone" label={t('phone')} rules={[{ required: true }]}>
          <Input type="tel" autoComplete="username" aria-label={t('phone')} clearable />
        </Form.Item>
        <Form.Item name="password" label={t('password')} rules={[{ required: true }]}>
          <Input type="password" autoComplete="current-password" aria-label={t('password')} />
        </Form.Item>
      </Form>
      {error && (
        <div role="alert" style={{ padding: '0 12px' }}>
          <NoticeBar color="error" content={error} wrap />
        </div>
      )}
      <div className="mc-center" style={{ marginTop: 16 }}>
        <Button fill="none" size="small" onClick={() => setLanguage(english ? 'zh-CN' : 'en')}>
          {t('language')}
        </Button>
      </div>
    </main>
  );
}
