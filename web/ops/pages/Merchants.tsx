import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Segmented, Space, Table } from 'antd';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type Me, type Merchant, can, usePagedList } from '../api';
import { ErrorAlert, LoadMore, ReasonModal, StatusTag } from '../components';
import { when } from '../format';
import { useOpsT } from '../i18n';

type Status = 'pending' | 'active' | 'suspended' | 'rejected';
const STATUS_LABEL: Record<Status, string> = {
  pending: 'merchantPending',
  active: 'merchantActive',
  suspended: 'merchantSuspended',
  rejected: 'merchantRejected',
};

export default function MerchantsPage(props: { me: Me }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>('pending');
  const [asking, setAsking] = useState<{ id: string; action: 'reject' | 'suspend' } | null>(null);
  const list = usePagedList<Merchant, { items: Merchant[]; nextAfter: string | null }>(
    ['ops', 'merchants', status],
    (after) => `/api/v1/ops/merchants${query({ status, after, limit: 50 })}`,
    (page) => page.nextAfter,
  );
  const manage = can(props.me, 'merchants.manage');
  const act = async (id: string, action: string, body?: unknown) => {
    await api.post(`/api/v1/ops/merchants/${id}/${action}`, body);
    void message.success(t('done'));
    await queryClient.invalidateQueries({ queryKey: ['ops', 'merchants'] });
  };
  const quick = (id: string, action: 'approve' | 'reactivate') =>
    act(id, action).catch((error) => message.error(errorMessage(error)));
  return (
    <Card title={t('nav_merchants')} extra={<Button onClick={() => list.refetch()}>{t('refresh')}</Button>}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(value as Status)}
        options={(Object.keys(STATUS_LABEL) as Status[]).map((s) => ({ value: s, label: t(STATUS_LABEL[s]) }))}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={list.error} />
      <Table<Merchant>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        columns={[
          { title: t('merchantName'), dataIndex: 'name' },
          { title: t('merchantNumber'), dataIndex: 'merchantNumber' },
          { title: 'MCC', dataIndex: 'mcc' },
          { title: t('city'), dataIndex: 'city' },
          { title: t('payoutAccount'), render: (_, m) => `${m.payoutBankName} ${m.payoutAccount}` },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: Status, m) => (
              <StatusTag
                status={v}
                label={`${t(STATUS_LABEL[v] ?? v)}${m.statusReason ? ` · ${m.statusReason}` : ''}`}
              />
            ),
          },
          { title: t('submitted'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          ...(manage
            ? [
                {
                  title: '',
                  render: (_: unknown, m: Merchant) => (
                    <Space>
                      {m.status === 'pending' && (
                        <>
                          <Button size="small" type="primary" onClick={() => quick(m.id, 'approve')}>
                            {t('approve')}
                          </Button>
                          <Button size="small" danger onClick={() => setAsking({ id: m.id, action: 'reject' })}>
                            {t('reject')}
                          </Button>
                        </>
                      )}
                      {m.status === 'active' && (
                        <Button size="small" danger onClick={() => setAsking({ id: m.id, action: 'suspend' })}>
                          {t('suspend')}
                        </Button>
                      )}
                      {m.status === 'suspended' && (
                        <Button size="small" onClick={() => quick(m.id, 'reactivate')}>
                          {t('reactivate')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <LoadMore list={list} />
      <ReasonModal
        open={asking !== null}
        title={asking?.action === 'reject' ? t('reject') : t('suspend')}
        danger
        minLength={1}
        onCancel={() => setAsking(null)}
        onSubmit={async (reason) => {
          if (!asking) return;
          await act(asking.id, asking.action, { reason });
          setAsking(null);
        }}
      />
    </Card>
  );
}
