import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, List, Tag, Toast } from 'antd-mobile';
import { BackBar } from '../BackBar';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorMessage } from '../../shared/problems';
import { merchantApi } from '../api';
import { useWebhookT } from '../webhooks-i18n';
import { SecretOnce, StatusTag, type WebhookEndpoint } from './Webhooks';
import { formatDateTimeSeconds } from '../../shared/dates';

interface Delivery {
  id: string;
  url: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  createdAt: string;
  log: { id: string; at: string; responseStatus: number | null; latencyMs: number; error: string | null }[];
}

const statusColor = { pending: 'warning', succeeded: 'success', failed: 'danger' } as const;

/**
 * One endpoint (or the notify secret's log, `notify`): its state, disable/enable, rotate, delete, and its
 * recent deliveries with a resend each.
 */
export function WebhookDetailPage(props: { notify?: boolean }) {
  const { t, english } = useWebhookT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const endpoint = useQuery({
    queryKey: ['merchant', 'webhooks', id, props.notify ?? false],
    queryFn: async () =>
      props.notify
        ? ((await merchantApi.get<{ items: WebhookEndpoint[] }>('/api/v1/merchant/webhook-notify')).items.find(
            (item) => item.id === id,
          ) ?? null)
        : merchantApi.get<WebhookEndpoint>(`/api/v1/merchant/webhooks/${id}`),
  });
  const deliveries = useQuery({
    queryKey: ['merchant', 'webhooks', id, 'deliveries'],
    queryFn: () => merchantApi.get<{ items: Delivery[] }>(`/api/v1/merchant/webhooks/${id}/deliveries?limit=20`),
    refetchInterval: 5_000,
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['merchant', 'webhooks'] });
  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      await refresh();
    } catch (failure) {
      setError(failure);
    }
  };
  const rotate = () =>
    act(async () => {
      const path = props.notify ? '/api/v1/merchant/webhook-notify' : `/api/v1/merchant/webhooks/${id}/rotate-secret`;
      const body = props.notify ? { mode: endpoint.data?.mode } : undefined;
      setSecret((await merchantApi.post<{ secret: string }>(path, body)).secret);
    });
  const remove = async () => {
    if (!(await Dialog.confirm({ content: t('webhookDeleteConfirm') }))) return;
    await act(async () => {
      await merchantApi.delete(`/api/v1/merchant/webhooks/${id}`);
      navigate('/webhooks');
    });
  };
  const resend = (delivery: Delivery) =>
    act(async () => {
      const sent = await merchantApi.post<{ acknowledged: boolean; statusCode: number | null }>(
        `/api/v1/merchant/webhook-deliveries/${delivery.id}/resend`,
      );
      Toast.show({
        icon: sent.acknowledged ? 'success' : 'fail',
        content: `${t('deliveryResent')} ${sent.statusCode ?? t('deliveryNoAnswer')}`,
      });
    });
  const found = endpoint.data;
  return (
    <>
      <BackBar to="/webhooks" backLabel={t('back')}>
        {props.notify ? t('notifyTitle') : t('webhooks')}
      </BackBar>
      {found ? (
        <section className="mc-card" data-testid="webhook-detail">
          {!props.notify && <h3 style={{ wordBreak: 'break-all' }}>{found.url}</h3>}
          <p style={{ margin: '4px 0' }}>
            <Tag fill="outline">{t(found.mode === 'live' ? 'modeLive' : 'modeTest')}</Tag>{' '}
            <StatusTag endpoint={found} />
          </p>
          {!props.notify && <p className="mc-muted">{found.events.join(' · ')}</p>}
          {found.disabledReason ? <p className="mc-muted">{t(`disabledReason_${found.disabledReason}`)}</p> : null}
          {found.rotatingUntil ? (
            <p className="mc-muted">
              {t('webhookRotating')} {formatDateTimeSeconds(found.rotatingUntil)}
            </p>
          ) : null}
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginTop: 8 }}>
            {!props.notify && (
              <Button
                size="small"
                onClick={() =>
                  void act(() =>
                    merchantApi.post(
                      `/api/v1/merchant/webhooks/${id}/${found.status === 'active' ? 'disable' : 'enable'}`,
                    ),
                  )
                }
              >
                {found.status === 'active' ? t('webhookDisable') : t('webhookEnable')}
              </Button>
            )}
            <Button size="small" onClick={() => void rotate()}>
              {t('webhookRotate')}
            </Button>
            {!props.notify && (
              <Button size="small" color="danger" fill="outline" onClick={() => void remove()}>
                {t('webhookDelete')}
              </Button>
            )}
          </div>
          {error ? (
            <p role="alert" style={{ color: 'var(--adm-color-danger)' }}>
              {errorMessage(error)}
            </p>
          ) : null}
          <SecretOnce secret={secret} label={t('webhookSecret')} />
        </section>
      ) : endpoint.error ? (
        <p role="alert">{errorMessage(endpoint.error)}</p>
      ) : null}
      <List header={t('webhookDeliveries')} style={{ borderRadius: 12, overflow: 'hidden' }}>
        {(deliveries.data?.items ?? []).length === 0 ? (
          <List.Item>
            <Empty description={t('webhookNoDeliveries')} />
          </List.Item>
        ) : (
          deliveries.data?.items.map((delivery) => {
            const last = delivery.log.at(-1);
            const answer = last
              ? `${last.responseStatus ?? last.error ?? t('deliveryNoAnswer')} · ` +
                `${t('deliveryLatency')} ${last.latencyMs} ms`
              : '';
            return (
              <List.Item
                key={delivery.id}
                data-testid="webhook-delivery"
                description={
                  <>
                    <div>
                      {formatDateTimeSeconds(delivery.createdAt)} · {t('deliveryAttempts')} {delivery.attempts}
                      {answer ? ` · ${answer}` : ''}
                    </div>
                    {props.notify ? <div style={{ wordBreak: 'break-all' }}>{delivery.url}</div> : null}
                    {delivery.status === 'pending' && delivery.nextAttemptAt ? (
                      <div>
                        {t('deliveryNext')} {formatDateTimeSeconds(delivery.nextAttemptAt)}
                      </div>
                    ) : null}
                  </>
                }
                extra={
                  found?.status === 'active' ? (
                    <Button size="mini" onClick={() => void resend(delivery)}>
                      {t('deliveryResend')}
                    </Button>
                  ) : null
                }
              >
                <code>{delivery.eventType}</code>{' '}
                <Tag color={statusColor[delivery.status]}>{t(`deliveryStatus_${delivery.status}`)}</Tag>
              </List.Item>
            );
          })
        )}
      </List>
    </>
  );
}
