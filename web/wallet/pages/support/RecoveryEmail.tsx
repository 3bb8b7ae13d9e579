import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Form, Input, List, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { DevEmailHint } from '../../components/support/DevEmailHint';
import { removeEmail, startEmail, useRecoveryEmail, verifyEmail } from '../../support-api';
import '../../support.css';

/** A verified e-mail address as the second way to reset the password (the seeds: "by SMS or e-mail"). */
export default function RecoveryEmailPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useRecoveryEmail();
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setBanner(null);
    try {
      await work();
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.email.title')} back="/security" />
      {current.isPending ? <Loading /> : null}
      {current.error ? <ProblemView error={current.error} onRetry={() => void current.refetch()} /> : null}
      {current.data ? (
        <div className="tb-page-body">
          <p className="tb-step-hint tb-flat-hint">{t('support.email.explain')}</p>
          <List className="tb-form-card">
            <List.Item
              extra={
                current.data.email ? (
                  <Tag color={current.data.verified ? 'success' : 'warning'} fill="outline">
                    {current.data.verified ? t('support.email.verified') : t('support.email.pending')}
                  </Tag>
                ) : null
              }
              description={current.data.email ?? t('support.email.none')}
            >
              {t('support.email.address')}
            </List.Item>
          </List>
          <ErrorBanner message={banner} />
          <Form layout="vertical" className="tb-form-card tb-space-top">
            <Form.Item
              label={t('support.email.address')}
              extra={
                <Button
                  size="small"
                  color="primary"
                  fill="outline"
                  loading={busy && !sent}
                  disabled={!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())}
                  onClick={() =>
                    void run(async () => {
                      await startEmail(email.trim());
                      setSent(true);
                      Toast.show({ icon: 'success', content: t('auth.codeSent') });
                    })
                  }
                  data-testid="email-send"
                >
                  {t('support.email.send')}
                </Button>
              }
            >
              <Input type="email" autoComplete="email" value={email} onChange={setEmail} />
            </Form.Item>
            {sent ? (
              <Form.Item label={t('support.email.code')}>
                <Input inputMode="numeric" maxLength={6} value={code} onChange={setCode} autoComplete="one-time-code" />
              </Form.Item>
            ) : null}
          </Form>
          {sent ? <DevEmailHint /> : null}
          <div className="tb-sup-actions">
            {sent ? (
              <Button
                block
                color="primary"
                loading={busy}
                disabled={!/^\d{6}$/.test(code)}
                onClick={() =>
                  void run(async () => {
                    client.setQueryData(['me', 'email'], await verifyEmail(code));
                    setSent(false);
                    setCode('');
                    setEmail('');
                    Toast.show({ icon: 'success', content: t('support.email.done') });
                  })
                }
                data-testid="email-verify"
              >
                {t('support.email.verify')}
              </Button>
            ) : null}
            {current.data.email ? (
              <Button
                block
                fill="none"
                color="danger"
                onClick={async () => {
                  if (!(await Dialog.confirm({ content: t('support.email.remove') }))) return;
                  await run(async () => {
                    await removeEmail();
                    await client.invalidateQueries({ queryKey: ['me', 'email'] });
                  });
                }}
              >
                {t('support.email.remove')}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}
