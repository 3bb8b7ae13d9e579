import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, List, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';

interface Session {
  id: string;
  deviceId: string | null;
  ip: string;
  userAgent: string;
  /** Parsed by the server ("Chrome · Android"); null when the browser said nothing recognisable. */
  deviceName: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

interface Device {
  id: string;
  label: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Where I am signed in, and the devices that ever signed in; end any session, or all others. */
export default function SessionsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => api.get<{ items: Session[] }>('/api/v1/me/sessions'),
  });
  const devices = useQuery({
    queryKey: ['devices'],
    queryFn: () => api.get<{ items: Device[] }>('/api/v1/me/devices'),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sessions'] }),
    onError: (error) => Toast.show({ icon: 'fail', content: errorMessage(error) }),
  });
  const revokeOthers = useMutation({
    mutationFn: () => api.post<{ ended: number }>('/api/v1/me/sessions/revoke-others'),
    onSuccess: async (answer) => {
      Toast.show({ icon: 'success', content: t('sessions.ended', { count: answer.ended }) });
      await client.invalidateQueries({ queryKey: ['sessions'] });
    },
    onError: (error) => Toast.show({ icon: 'fail', content: errorMessage(error) }),
  });

  return (
    <div className="tb-page">
      <PageHeader title={t('sessions.title')} back="/security" />
      <div className="tb-page-body tb-flush">
        {sessions.error ? <ProblemView error={sessions.error} onRetry={() => void sessions.refetch()} /> : null}
        <List header={t('sessions.active')}>
          {sessions.data?.items.map((session) => (
            <List.Item
              key={session.id}
              description={`${t('sessions.lastSeen', { time: formatDateTime(session.lastSeenAt) })} · ${session.ip}`}
              extra={
                session.current ? (
                  <Tag color="success">{t('sessions.thisDevice')}</Tag>
                ) : (
                  <Button
                    size="mini"
                    color="danger"
                    fill="outline"
                    aria-label={t('sessions.endOne', { name: session.deviceName ?? t('sessions.unknownDevice') })}
                    onClick={() => revoke.mutate(session.id)}
                  >
                    {t('sessions.end')}
                  </Button>
                )
              }
            >
              {session.deviceName ?? t('sessions.unknownDevice')}
            </List.Item>
          ))}
        </List>
        <div className="tb-padded">
          <Button
            block
            color="danger"
            fill="outline"
            loading={revokeOthers.isPending}
            onClick={async () => {
              if (
                await Dialog.confirm({
                  content: t('sessions.confirmEndOthers'),
                  confirmText: t('common.confirm'),
                  cancelText: t('common.cancel'),
                })
              )
                revokeOthers.mutate();
            }}
          >
            {t('sessions.endOthers')}
          </Button>
        </div>
        <List header={t('sessions.devices')}>
          {devices.data?.items.map((device) => (
            <List.Item
              key={device.id}
              description={t('sessions.firstSeen', { time: formatDateTime(device.firstSeenAt) })}
            >
              {device.label}
            </List.Item>
          ))}
        </List>
      </div>
    </div>
  );
}
