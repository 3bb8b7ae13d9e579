import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Collapse, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { type Me, can } from '../api';
import { ErrorAlert, ReasonModal, StatusTag } from '../components';
import { OPS_CREDIT, type Scorecard, type StaffDispute } from '../credit-api';
import { useCreditOpsT } from '../credit-i18n';
import { BureauRetries } from './CreditBureauRetries';
import { money, when } from '../format';

/** Disputes (异议) of bureau records, resolved by staff; the scorecards, read-only versioned data. */

export function Disputes(props: { me: Me }) {
  const { t, english } = useCreditOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string>('open');
  const [resolving, setResolving] = useState<{ id: string; outcome: 'upheld' | 'rejected' } | null>(null);
  const list = useQuery({
    queryKey: ['ops', 'credit', 'disputes', status],
    queryFn: () => api.get<{ items: StaffDispute[] }>(`${OPS_CREDIT}/disputes${query({ status })}`),
  });
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(String(value))}
        options={['open', 'all'].map((s) => ({ value: s, label: t(`disputeStatus_${s}`) }))}
      />
      <BureauRetries />
      <ErrorAlert error={list.error} />
      <Table<StaffDispute>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="credit-disputes"
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          { title: t('applicant'), render: (_, row) => `${row.holder.name} · ${row.holder.phone}` },
          {
            title: t('record'),
            render: (_, row) =>
              row.record ? `${row.record.month} · ${row.record.kind} · ${money(row.record.amount)}` : row.recordId,
          },
          { title: t('reason'), dataIndex: 'reason' },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string, row) => (
              <Space direction="vertical" size={0}>
                <StatusTag
                  status={v === 'open' ? 'pending' : v === 'upheld' ? 'approved' : 'rejected'}
                  label={t(`disputeStatus_${v}`)}
                />
                {row.resolution ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {row.resolution}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          {
            title: '',
            render: (_, row) =>
              row.status === 'open' && can(props.me, 'credit.decide') ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setResolving({ id: row.id, outcome: 'upheld' })}>
                    {t('resolveUpheld')}
                  </Button>
                  <Button size="small" onClick={() => setResolving({ id: row.id, outcome: 'rejected' })}>
                    {t('resolveRejected')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <ReasonModal
        open={resolving !== null}
        title={resolving?.outcome === 'upheld' ? t('resolveUpheld') : t('resolveRejected')}
        label={t('noteLabel')}
        minLength={2}
        onCancel={() => setResolving(null)}
        onSubmit={async (note) => {
          if (!resolving) return;
          await api.post(`${OPS_CREDIT}/disputes/${encodeURIComponent(resolving.id)}/resolve`, {
            outcome: resolving.outcome,
            note,
          });
          setResolving(null);
          void message.success(t('resolved'));
          await queryClient.invalidateQueries({ queryKey: ['ops', 'credit'] });
        }}
      />
    </Space>
  );
}

export function Scorecards() {
  const { t, english } = useCreditOpsT();
  const list = useQuery({
    queryKey: ['ops', 'credit', 'scorecards'],
    queryFn: () => api.get<{ items: Scorecard[] }>(`${OPS_CREDIT}/scorecards`),
  });
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <ErrorAlert error={list.error} />
      <Typography.Text type="secondary">{t('protectedNote')}</Typography.Text>
      <Collapse
        items={(list.data?.items ?? []).map((card) => ({
          key: card.version,
          label: (
            <Space>
              <strong>{card.version}</strong>
              <span>{`${t('effectiveFrom')} ${when(card.effectiveFrom, english)}`}</span>
              {card.active ? <Tag color="green">{t('activeScorecard')}</Tag> : null}
            </Space>
          ),
          children: (
            <pre
              style={{ fontSize: 12, maxHeight: 360, overflow: 'auto', background: '#f7f8fa', padding: 8, margin: 0 }}
            >
              {JSON.stringify(card.rules, null, 2)}
            </pre>
          ),
        }))}
      />
    </Space>
  );
}
