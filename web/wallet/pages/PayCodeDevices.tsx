import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, List, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { forgetSeed } from '../pay-code';
import { type PayCodeDevice, listPayCodeDevices } from '../pay-code-devices';
import { useMe } from '../session';

/** The devices that can show my payment code (3 at most): when each was turned on and last paid; remove one. */
export default function PayCodeDevicesPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const me = useMe();
  const devices = useQuery({ queryKey: ['payment-code-devices'], queryFn: listPayCodeDevices });
  const remove = useMutation({
    mutationFn: (device: PayCodeDevice) => api.delete(`/api/v1/payment-code/devices/${encodeURIComponent(device.id)}`),
    onSuccess: async (_answer, device) => {
      // This device's stored seed pays nothing any more: drop it, so the payment code asks for the PIN.
      if (device.current && me.data?.id) forgetSeed(me.data.id);
      Toast.show({ icon: 'success', content: t('payCodeDevices.removed') });
      await client.invalidateQueries({ queryKey: ['payment-code-devices'] });
    },
    onError: (error) => Toast.show({ icon: 'fail', content: errorMessage(error) }),
  });
  const created = (device: PayCodeDevice) => t('payCodeDevices.created', { time: formatDateTime(device.createdAt) });
  const lastUsed = (device: PayCodeDevice) =>
    device.lastUsedAt
      ? t('payCodeDevices.lastUsed', { time: formatDateTime(device.lastUsedAt) })
      : t('payCodeDevices.neverUsed');

  return (
    <div className="tb-page">
      <PageHeader title={t('payCodeDevices.title')} back="/security" />
      <div className="tb-page-body">
        <p className="tb-lead">{t('payCodeDevices.explain')}</p>
        {devices.error ? <ProblemView error={devices.error} onRetry={() => void devices.refetch()} /> : null}
        {devices.isSuccess && devices.data.items.length === 0 ? <Empty description={t('payCodeDevices.none')} /> : null}
        <List data-testid="paycode-devices">
          {devices.data?.items.map((device) => (
            <List.Item
              key={device.id}
              description={`${created(device)} · ${lastUsed(device)}`}
              extra={
                <Button
                  size="mini"
                  color="danger"
                  fill="outline"
                  aria-label={t('payCodeDevices.removeOne', { name: device.deviceName })}
                  loading={remove.isPending && remove.variables?.id === device.id}
                  onClick={async () => {
                    const confirmed = await Dialog.confirm({
                      content: t('payCodeDevices.confirmRemove', { name: device.deviceName }),
                      confirmText: t('payCodeDevices.remove'),
                      cancelText: t('common.cancel'),
                    });
                    if (confirmed) remove.mutate(device);
                  }}
                >
                  {t('payCodeDevices.remove')}
                </Button>
              }
            >
              {device.deviceName} {device.current ? <Tag color="success">{t('payCodeDevices.thisDevice')}</Tag> : null}
            </List.Item>
          ))}
        </List>
      </div>
    </div>
  );
}
