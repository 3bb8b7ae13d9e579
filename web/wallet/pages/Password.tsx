import { Button, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { PageHeader } from '../components/PageHeader';
import { applyProblem } from '../fields';
import { PasswordInput } from '../components/PasswordInput';
import { PasswordStrength } from '../components/PasswordStrength';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** Change the login password; every other session ends. */
export default function PasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordForm>();
  const [banner, setBanner] = useState<string | null>(null);
  const [ended, setEnded] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const newPassword = Form.useWatch('newPassword', form) as string | undefined;

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    setBanner(null);
    try {
      const answer = await api.post<{ otherSessionsEnded: number }>('/api/v1/me/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      setEnded(answer.otherSessionsEnded);
    } catch (error) {
      setBanner(applyProblem(form, error, ['currentPassword', 'newPassword'], { PASSWORD_TOO_WEAK: 'newPassword' }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('password.title')} back="/security" />
      <div className="tb-page-body">
        {ended !== null ? (
          <Result
            status="success"
            title={t('password.changed')}
            description={
              <>
                <p>{t('password.othersEnded', { count: ended })}</p>
                <Button color="primary" onClick={() => navigate('/security')}>
                  {t('common.done')}
                </Button>
              </>
            }
          />
        ) : (
          <>
            <ErrorBanner message={banner} />
            <Form
              form={form}
              layout="vertical"
              onFinish={(values) => void submit(values)}
              footer={
                <Button block type="submit" color="primary" size="large" loading={busy}>
                  {t('common.save')}
                </Button>
              }
            >
              <Form.Item
                name="currentPassword"
                label={t('password.current')}
                rules={[{ required: true, message: t('fields.passwordRequired') }]}
              >
                <PasswordInput autoComplete="current-password" />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('fields.newPassword')}
                help={t('fields.passwordRules')}
                rules={[{ required: true, min: 12, message: t('fields.passwordTooShort') }]}
              >
                <PasswordInput autoComplete="new-password" />
              </Form.Item>
              <PasswordStrength password={newPassword} />
              <Form.Item
                name="repeat"
                label={t('password.repeat')}
                dependencies={['newPassword']}
                rules={[
                  { required: true, message: t('password.repeatRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      value === getFieldValue('newPassword')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('password.mismatch'))),
                  }),
                ]}
              >
                <Input type="password" autoComplete="new-password" />
              </Form.Item>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
