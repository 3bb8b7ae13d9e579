import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Form, Input, Tag, Toast } from 'antd-mobile';
import { MailOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { DevEmailHint } from '../../components/support/DevEmailHint';
import { formatDate } from '../../format';
import { type RecoveryEmail, removeEmail, startEmail, useRecoveryEmail, verifyEmail } from '../../support-api';
import '../../support.css';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The address on file, as the server masks it, with its state. */
function CurrentEmail(props: { data: RecoveryEmail }) {
  const { t } = useTranslation();
  const { data } = props;
  return (
    <section className="tb-sup-email-card" data-testid="email-current">
      <span className="tb-sup-email-icon" aria-hidden>
        <MailOutline />
      </span>
      <div className="tb-sup-email-main">
        <span className="tb-sup-email-label">{t('support.email.current')}</span>
        <strong className="tb-sup-email-address">{data.email ?? t('support.email.none')}</strong>
        {data.verified && data.verifiedAt ? (
          <small>{t('support.email.verifiedAt', { date: formatDate(data.verifiedAt) })}</small>
        ) : null}
        {data.pendingEmail ? <small>{t('support.email.pendingNew', { email: data.pendingEmail })}</small> : null}
      </div>
      {data.email ? (
        <Tag color={data.verified ? 'success' : 'warning'} fill="outline">
          {data.verified ? t('support.email.verified') : t('support.email.pending')}
        </Tag>
      ) : null}
    </section>
  );
}

/**
 * A verified e-mail address as the second way to reset the password (the seeds: "by SMS or e-mail"). An
 * address counts only once the code e-mailed to it is typed here; a code sent earlier (within its 15
 * minutes) can still be entered after leaving the page.
 */
export default function RecoveryEmailPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const current = useRecoveryEmail();
  const [form] = Form.useForm<{ email: string; code: string }>();
  const email = (Form.useWatch('email', form) as string | undefined) ?? '';
  const code = (Form.useWatch('code', form) as string | undefined) ?? '';
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<'send' | 'verify' | null>(null);

  const run = async (what: 'send' | 'verify' | null, work: () => Promise<void>) => {
    setBusy(what);
    setBanner(null);
    try {
      await work();
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(null);
    }
  };
  const refresh = () => client.invalidateQueries({ queryKey: ['me', 'email'] });

  const data = current.data;
  const waitingFor = data?.pendingEmail ?? (data?.email && !data.verified ? data.email : null);
  const askCode = !changing && (sentTo !== null || waitingFor !== null);

  const send = () =>
    run('send', async () => {
      const address = email.trim();
      await startEmail(address);
      setSentTo(address);
      setChanging(false);
      form.setFieldValue('code', '');
      Toast.show({ icon: 'success', content: t('auth.codeSent') });
      await refresh();
    });

  const verify = () =>
    run('verify', async () => {
      client.setQueryData(['me', 'email'], await verifyEmail(code.trim()));
      await refresh();
      setSentTo(null);
      form.resetFields();
      Toast.show({ icon: 'success', content: t('support.email.done') });
    });

  return (
    <div className="tb-page">
      <PageHeader title={t('support.email.title')} back="/security" />
      {current.isPending ? <Loading /> : null}
      {current.error ? <ProblemView error={current.error} onRetry={() => void current.refetch()} /> : null}
      {data ? (
        <div className="tb-page-body">
          <CurrentEmail data={data} />
          <p className="tb-fineprint">{t('support.email.explain')}</p>
          <ErrorBanner message={banner} />
          <h2 className="tb-sup-email-step" data-testid="email-step">
            {askCode
              ? t('support.email.sentTo', { email: sentTo ?? waitingFor })
              : data.verified
                ? t('support.email.change')
                : t('support.email.add')}
          </h2>
          <Form form={form} layout="vertical" className="tb-form-card">
            {askCode ? (
              <Form.Item name="code" label={t('support.email.code')}>
                <Input
                  inputMode="numeric"
                  maxLength={6}
                  autoComplete="one-time-code"
                  placeholder={t('support.email.codePlaceholder')}
                />
              </Form.Item>
            ) : (
              <Form.Item name="email" label={t('support.email.address')}>
                <Input type="email" autoComplete="email" placeholder="name@example.com" clearable />
              </Form.Item>
            )}
          </Form>
          {askCode ? <DevEmailHint /> : null}
          <div className="tb-sup-actions">
            {askCode ? (
              <>
                <Button
                  block
                  color="primary"
                  size="large"
                  loading={busy === 'verify'}
                  disabled={!/^\d{6}$/.test(code.trim())}
                  onClick={() => void verify()}
                  data-testid="email-verify"
                >
                  {t('support.email.verify')}
                </Button>
                <Button block fill="none" color="primary" onClick={() => setChanging(true)}>
                  {t('support.email.otherAddress')}
                </Button>
              </>
            ) : (
              <Button
                block
                color="primary"
                size="large"
                loading={busy === 'send'}
                disabled={!EMAIL.test(email.trim())}
                onClick={() => void send()}
                data-testid="email-send"
              >
                {t('support.email.send')}
              </Button>
            )}
            {data.email ? (
              <Button
                block
                fill="none"
                color="danger"
                onClick={async () => {
                  if (!(await Dialog.confirm({ content: t('support.email.removeConfirm') }))) return;
                  await run(null, async () => {
                    await removeEmail();
                    setSentTo(null);
                    await refresh();
                    Toast.show({ content: t('support.email.removed') });
                  });
                }}
                data-testid="email-remove"
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
