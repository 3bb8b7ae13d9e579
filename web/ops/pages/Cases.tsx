import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Empty, Segmented, Space, Table } from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { api, query } from '../../shared/api';
import { type Me, type Movement, type SecurityCase, can } from '../api';
import { ErrorAlert, ReasonModal, StatusTag } from '../components';
import { money, when } from '../format';
import { useOpsT } from '../i18n';
import { MovementsTable } from '../movements';
import { ClawbackCard } from './support/Clawbacks';

export default function CasesPage(props: { me: Me }) {
  return (
    <Routes>
      <Route index element={<CaseList />} />
      <Route path=":id" element={<CaseDetail me={props.me} />} />
    </Routes>
  );
}

function CaseList() {
  const { t, english } = useOpsT();
  const navigate = useNavigate();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const list = useQuery({
    queryKey: ['ops', 'cases', status],
    queryFn: () => api.get<{ items: SecurityCase[] }>(`/api/v1/ops/cases${query({ status, limit: 50 })}`),
  });
  return (
    <Card title={t('nav_cases')} extra={<Button onClick={() => list.refetch()}>{t('refresh')}</Button>}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(value as typeof status)}
        options={[
          { value: 'open', label: t('statusOpen') },
          { value: 'closed', label: t('statusClosed') },
        ]}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={list.error} />
      <Table<SecurityCase>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        onRow={(row) => ({ onClick: () => navigate(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('reportedAt'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          { title: 'ID', dataIndex: 'userId' },
          { title: t('idNumber'), render: (_, row) => String(row.details.idNumber ?? '—') },
          { title: t('voidedHolds'), render: (_, row) => String(row.details.voidedHolds ?? 0) },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string) => <StatusTag status={v} label={v === 'open' ? t('statusOpen') : t('statusClosed')} />,
          },
          { title: '', render: (_, row) => <Link to={row.id}>{t('open')}</Link> },
        ]}
      />
    </Card>
  );
}

function CaseDetail(props: { me: Me }) {
  const { t, english } = useOpsT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [closing, setClosing] = useState(false);
  const detail = useQuery({
    queryKey: ['ops', 'cases', 'detail', id],
    queryFn: () =>
      api.get<{
        case: SecurityCase;
        holder: { id: string; name: string; phone: string; frozen: boolean; tier: string } | null;
        movements: Movement[];
      }>(`/api/v1/ops/cases/${encodeURIComponent(id)}`),
  });
  if (detail.error) return <ErrorAlert error={detail.error} />;
  if (!detail.data) return <Card loading />;
  const { case: found, holder, movements } = detail.data;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={`${t('nav_cases')} · ${found.id}`}
        extra={
          found.status === 'open' &&
          can(props.me, 'cases.close') && <Button onClick={() => setClosing(true)}>{t('closeCase')}</Button>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('status')}>
            <StatusTag status={found.status} label={found.status === 'open' ? t('statusOpen') : t('statusClosed')} />
          </Descriptions.Item>
          <Descriptions.Item label={t('reportedAt')}>{when(found.createdAt, english)}</Descriptions.Item>
          <Descriptions.Item label={t('holder')}>
            {holder ? (
              <>
                {can(props.me, 'customers.view') ? (
                  <Link to={`/customers/${holder.id}`}>{holder.name}</Link>
                ) : (
                  holder.name
                )}{' '}
                · {holder.phone} {holder.frozen && <StatusTag status="frozen" label={t('frozen')} />}
              </>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('voidedHolds')}>{String(found.details.voidedHolds ?? 0)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('movements')}>
        <MovementsTable movements={movements} />
      </Card>
      <ClawbackCard me={props.me} caseId={found.id} caseOpen={found.status === 'open'} movements={movements} />
      <ReasonModal
        open={closing}
        title={t('closeCase')}
        label={t('note')}
        onCancel={() => setClosing(false)}
        onSubmit={async (note) => {
          await api.post(`/api/v1/ops/cases/${id}/close`, { note });
          setClosing(false);
          void message.success(t('done'));
          await queryClient.invalidateQueries({ queryKey: ['ops', 'cases'] });
        }}
      />
    </Space>
  );
}
