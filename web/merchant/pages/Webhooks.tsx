import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Input, List, Selector, Tag } from 'antd-mobile';
import { BackBar } from '../BackBar';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../shared/problems';
import { merchantApi } from '../api';
import { useWebhookT } from '../webhooks-i18n';
import { formatDateTimeSeconds } from '../../shared/dates';

/** A webhook endpoint as the merchant pages' session API shows it (server/merchant-api/webhook-dto.ts). */
export interface WebhookEndpoint {
  id: string;
  mode: 'live' | 'test';
  url: string;
  description: string;
  events: string[];
  status: 'active' | 'disabled';
  rotatingUntil: string | null;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
}

export const EVENT_TYPES = ['order.paid', 'order.closed', 'refund.succeeded', 'refund.failed', 'payout.paid'];

/** A secret the server answers once (on creation or rotation). */
export function SecretOnce(props: { secret: string | null; label: string }) {
  if (!props.secret) return null;
  return (
    <div className="mc-secret" data-testid="webhook-secret">
      <div className="mc-muted">{props.label}</div>
      <code style={{ wordBreak: 'break-all' }}>{props.secret}</code>
    </div>
  );
}

export function StatusTag(props: { endpoint: WebhookEndpoint }) {
  const { t } = useWebhookT();
  if (props.endpoint.status === 'disabled') return <Tag color="default">{t('webhookDisabled')}</Tag>;
  if (props.endpoint.failingSince) return <Tag color="warning">{t('webhookFailing')}</Tag>;
  return <Tag color="success">{t('webhookActive')}</Tag>;
}

/** The owner's webhook endpoints: the list, adding one (its secret shown once), and the notify secret. */
export function WebhooksPage() {
  const { t } = useWebhookT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const endpoints = useQuery({
    queryKey: ['merchant', 'webhooks'],
    queryFn: () => merchantApi.get<{ items: WebhookEndpoint[] }>('/api/v1/merchant/webhooks'),
  });
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [events, setEvents] = useState<string[]>(['order.paid', 'refund.succeeded', 'refund.failed']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    setError(null);
    setSecret(null);
    try {
      const made = await merchantApi.post<{ secret: string }>('/api/v1/merchant/webhooks', {
        url: url.trim(),
        mode,
        events,
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      setSecret(made.secret);
      setUrl('');
      setDescription('');
      await queryClient.invalidateQueries({ queryKey: ['merchant', 'webhooks'] });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <>
      <BackBar to="/more" backLabel={t('back')}>
        {t('webhooks')}
      </BackBar>
      <p className="mc-muted">{t('webhooksHint')}</p>
      <section className="mc-card" aria-labelledby="webhook-add-title" data-testid="webhook-add">
        <h3 id="webhook-add-title">{t('webhookAdd')}</h3>
        <Input
          value={url}
          onChange={setUrl}
          placeholder="https://shop.example/webhooks"
          aria-label={t('webhookUrl')}
          inputMode="url"
        />
        <Input
          value={description}
          onChange={setDescription}
          placeholder={t('webhookDescription')}
          aria-label={t('webhookDescription')}
          maxLength={100}
        />
        <div className="mc-muted" style={{ marginTop: 8 }}>
          {t('webhookMode')}
        </div>
        <Selector
          options={[
            { label: t('modeLive'), value: 'live' },
            { label: t('modeTest'), value: 'test' },
          ]}
          value={[mode]}
          onChange={(value) => value[0] && setMode(value[0] as 'live' | 'test')}
        />
        <div className="mc-muted" style={{ marginTop: 8 }}>
          {t('webhookEvents')}
        </div>
        <Selector
          multiple
          options={EVENT_TYPES.map((type) => ({ label: type, value: type }))}
          value={events}
          onChange={setEvents}
        />
        <Button
          color="primary"
          block
          style={{ marginTop: 8 }}
          disabled={!url.trim() || events.length === 0}
          onClick={() => void add()}
        >
          {t('webhookAdd')}
        </Button>
        {error ? (
          <p role="alert" style={{ color: 'var(--adm-color-danger)' }}>
            {errorMessage(error)}
          </p>
        ) : null}
        <SecretOnce secret={secret} label={t('webhookSecret')} />
      </section>
      <List header={t('webhookList')} style={{ borderRadius: 12, overflow: 'hidden', marginBottom: 12 }}>
        {(endpoints.data?.items ?? []).length === 0 ? (
          <List.Item>
            <Empty description={t('webhookNone')} />
          </List.Item>
        ) : (
          endpoints.data?.items.map((endpoint) => (
            <List.Item
              key={endpoint.id}
              onClick={() => navigate(`/webhooks/${endpoint.id}`)}
              description={endpoint.description || endpoint.events.join(', ')}
              data-testid="webhook-row"
            >
              <span style={{ wordBreak: 'break-all' }}>{endpoint.url}</span>{' '}
              <Tag fill="outline">{t(endpoint.mode === 'live' ? 'modeLive' : 'modeTest')}</Tag>{' '}
              <StatusTag endpoint={endpoint} />
            </List.Item>
          ))
        )}
      </List>
      <NotifySecretCard />
    </>
  );
}

/** The secret that signs deliveries to orders' notify URLs, one per mode: make or rotate, see its log. */
function NotifySecretCard() {
  const { t, english } = useWebhookT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signers = useQuery({
    queryKey: ['merchant', 'webhook-notify'],
    queryFn: () => merchantApi.get<{ items: WebhookEndpoint[] }>('/api/v1/merchant/webhook-notify'),
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const make = async (mode: 'live' | 'test') => {
    setError(null);
    try {
      setSecret((await merchantApi.post<{ secret: string }>('/api/v1/merchant/webhook-notify', { mode })).secret);
      await queryClient.invalidateQueries({ queryKey: ['merchant', 'webhook-notify'] });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section className="mc-card" aria-labelledby="notify-title" data-testid="webhook-notify">
      <h3 id="notify-title">{t('notifyTitle')}</h3>
      <p className="mc-muted">{t('notifyHint')}</p>
      <List>
        {(['live', 'test'] as const).map((mode) => {
          const signer = signers.data?.items.find((item) => item.mode === mode);
          return (
            <List.Item
              key={mode}
              description={
                signer
                  ? signer.rotatingUntil
                    ? `${t('webhookRotating')} ${formatDateTimeSeconds(signer.rotatingUntil)}`
                    : formatDateTimeSeconds(signer.createdAt)
                  : t('notifyNone')
              }
              extra={
                <span style={{ display: 'flex', gap: 4 }}>
                  {signer ? (
                    <Button size="mini" onClick={() => navigate(`/webhooks/notify/${signer.id}`)}>
                      {t('notifyLog')}
                    </Button>
                  ) : null}
                  <Button size="mini" color="primary" fill="outline" onClick={() => void make(mode)}>
                    {signer ? t('notifyRotate') : t('notifyMake')}
                  </Button>
                </span>
              }
            >
              {t(mode === 'live' ? 'modeLive' : 'modeTest')}
            </List.Item>
          );
        })}
      </List>
      {error ? (
        <p role="alert" style={{ color: 'var(--adm-color-danger)' }}>
          {errorMessage(error)}
        </p>
      ) : null}
      <SecretOnce secret={secret} label={t('webhookSecret')} />
    </section>
  );
}
