import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, Form, Input, List, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../format';
import { addPasskey, passkeyCancelled, passkeySupported } from '../passkey';

interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** My passkeys: add one (with my password), see when each was used, remove. */
export default function PasskeysPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['passkeys'],
    queryFn: () => api.get<{ items: Passkey[] }>('/api/v1/me/passkeys'),
  });
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/me/passkeys/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['passkeys'] }),
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });

  const add = async (values: { password: string; name?: string }) => {
    setError(null);
    try {
      await addPasskey(values.password, values.name?.trim() || t('passkeys.defaultName'));
      setAdding(false);
      Toast.show({ icon: 'success', content: t('passkeys.added') });
      await client.invalidateQueries({ queryKey: ['passkeys'] });
    } catch (failure) {
      if (!passkeyCancelled(failure)) setError(errorMessage(failure));
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('passkeys.title')} back="/security" />
      <div className="tb-page-body">
        <p className="tb-lead">{t('passkeys.explain')}</p>
        {!passkeySupported() ? <ErrorBanner message={t('passkeys.unsupported')} /> : null}
        <ErrorBanner message={error} />
        {list.isSuccess && list.data.items.length === 0 ? <Empty description={t('passkeys.none')} /> : null}
        <List>
          {list.data?.items.map((key) => (
            <List.Item
              key={key.id}
              description={
                key.lastUsedAt
                  ? t('passkeys.lastUsed', { time: formatDateTime(key.lastUsedAt) })
                  : t('passkeys.created', { time: formatDateTime(key.createdAt) })
              }
              extra={
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  aria-label={t('passkeys.removeOne', { name: key.name })}
                  onClick={async () => {
                    if (
                      await Dialog.confirm({
                        content: t('passkeys.confirmRemove', { name: key.name }),
                        confirmText: t('passkeys.remove'),
                        cancelText: t('common.cancel'),
                      })
                    )
                      remove.mutate(key.id);
                  }}
                >
                  {t('passkeys.remove')}
                </Button>
              }
            >
              {key.name}
            </List.Item>
          ))}
        </List>
        {adding ? (
          <Form
            layout="vertical"
            onFinish={(values) => void add(values)}
            footer={
              <Button block type="submit" color="primary" size="large">
                {t('passkeys.create')}
              </Button>
            }
          >
            <Form.Item name="name" label={t('passkeys.name')}>
              <Input maxLength={40} placeholder={t('passkeys.defaultName')} />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('pin.passwordLabel')}
              rules={[{ required: true, message: t('fields.passwordRequired') }]}
            >
              <Input type="password" autoComplete="current-password" />
            </Form.Item>
          </Form>
        ) : (
          <Button
            block
            color="primary"
            size="large"
            className="tb-space-top"
            disabled={!passkeySupported()}
            onClick={() => setAdding(true)}
          >
            {t('passkeys.add')}
          </Button>
        )}
      </div>
    </div>
  );
}
