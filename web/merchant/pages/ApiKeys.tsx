import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Input, List, Tag } from 'antd-mobile';
import { useState } from 'react';
import { errorMessage } from '../../shared/problems';
import { merchantApi } from '../api';
import { useMerchantT } from '../i18n';

interface ApiKey {
  id: string;
  name: string;
  mode: 'live' | 'test';
  prefix: string;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** The owner's API keys (online checkout): make, roll and revoke; a new secret is shown once. */
export function ApiKeysCard() {
  const { t } = useMerchantT();
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['merchant', 'api-keys'],
    queryFn: () => merchantApi.get<{ items: ApiKey[] }>('/api/v1/merchant/api-keys'),
  });
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (path: string, body?: unknown) => {
    setError(null);
    try {
      const answer = await merchantApi.post<{ secret?: string }>(path, body);
      setSecret(answer?.secret ?? null);
      await queryClient.invalidateQueries({ queryKey: ['merchant', 'api-keys'] });
    } catch (failure) {
      setError(failure);
    }
  };
  const make = (mode: 'live' | 'test') => void act('/api/v1/merchant/api-keys', { name: name.trim(), mode });
  return (
    <section className="mc-card" aria-labelledby="api-keys-title" data-testid="api-keys">
      <h3 id="api-keys-title">{t('apiKeys')}</h3>
      <p className="mc-muted">{t('apiKeysHint')}</p>
      <Input value={name} onChange={setName} placeholder={t('apiKeyName')} aria-label={t('apiKeyName')} />
      <div style={{ display: 'flex', gap: 8, margin: '8px 0' }}>
        <Button color="primary" size="small" disabled={!name.trim()} onClick={() => make('live')}>
          {t('apiKeyLive')}
        </Button>
        <Button size="small" disabled={!name.trim()} onClick={() => make('test')}>
          {t('apiKeyTest')}
        </Button>
      </div>
      {error ? (
        <p role="alert" style={{ color: 'var(--adm-color-danger)' }}>
          {errorMessage(error)}
        </p>
      ) : null}
      {secret ? (
        <div className="mc-secret" data-testid="api-key-secret">
          <div className="mc-muted">{t('apiKeySecret')}</div>
          <code style={{ wordBreak: 'break-all' }}>{secret}</code>
        </div>
      ) : null}
      <List style={{ marginTop: 8 }}>
        {(keys.data?.items ?? []).length === 0 ? (
          <List.Item>
            <Empty description={t('noApiKeys')} />
          </List.Item>
        ) : (
          keys.data?.items.map((key) => (
            <List.Item
              key={key.id}
              description={`${key.prefix}… · ${t('apiKeyLastUsed')} ${
                key.lastUsedAt ? key.lastUsedAt.slice(0, 16).replace('T', ' ') : t('apiKeyNeverUsed')
              }`}
              extra={
                key.status === 'active' ? (
                  <span style={{ display: 'flex', gap: 4 }}>
                    <Button size="mini" onClick={() => void act(`/api/v1/merchant/api-keys/${key.id}/roll`)}>
                      {t('apiKeyRoll')}
                    </Button>
                    <Button
                      size="mini"
                      color="danger"
                      fill="outline"
                      onClick={() => void act(`/api/v1/merchant/api-keys/${key.id}/revoke`)}
                    >
                      {t('apiKeyRevoke')}
                    </Button>
                  </span>
                ) : null
              }
            >
              {key.name} <Tag fill="outline">{key.mode}</Tag> <Tag>{t(`apiKeyStatus_${key.status}`)}</Tag>
            </List.Item>
          ))
        )}
      </List>
    </section>
  );
}
