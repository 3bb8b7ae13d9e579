import { Button, Checkbox, Empty, Input, Select, Space, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert, StatusTag } from '../../components';
import { when } from '../../format';
import { type QueueFilters, type StaffTicket, duration, useQueue } from '../../support-api';
import { useSupportOpsT } from '../../support-i18n';

const CATEGORIES = [
  'payment_failed',
  'account_restricted',
  'suspected_fraud',
  'complaint_merchant',
  'complaint_service',
  'suggestion',
  'other',
];

/** The SLA timer of a ticket: time left to its decision deadline, red once breached. */
export function SlaTimer(props: { ticket: StaffTicket }) {
  const { t, english } = useSupportOpsT();
  const sla = props.ticket.sla;
  if (!sla || sla.decidedAt) return <span>{t('noSla')}</span>;
  const left = Date.parse(sla.dueAt) - Date.now();
  const late = sla.breached || left < 0;
  return (
    <Tooltip title={when(sla.dueAt, english)}>
      <Tag color={late ? 'red' : left < 3 * 86_400_000 ? 'orange' : 'blue'} data-testid="sla-timer">
        {late ? t('overdue', { time: duration(left, english) }) : t('left', { time: duration(left, english) })}
      </Tag>
    </Tooltip>
  );
}

/** The queue: filters, SLA timers, complaints first. */
export function Queue() {
  const { t, english } = useSupportOpsT();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<QueueFilters>({ status: 'open', assignee: 'any' });
  const [text, setText] = useState('');
  const queue = useQueue(filters);
  const set = (patch: QueueFilters) => setFilters({ ...filters, ...patch });
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          value={filters.status ?? ''}
          style={{ width: 130 }}
          onChange={(value) => set({ status: value || undefined })}
          aria-label={t('status')}
          options={[
            { value: '', label: t('assigneeAny') },
            ...['open', 'in_progress', 'resolved', 'closed'].map((value) => ({ value, label: t(value) })),
          ]}
        />
        <Select
          value={filters.category ?? ''}
          style={{ width: 150 }}
          onChange={(value) => set({ category: value || undefined })}
          aria-label={t('category')}
          options={[
            { value: '', label: t('assigneeAny') },
            ...CATEGORIES.map((value) => ({ value, label: t(`categories.${value}`) })),
          ]}
        />
        <Select
          value={filters.assignee ?? 'any'}
          style={{ width: 120 }}
          onChange={(value) => set({ assignee: value })}
          aria-label={t('assignee')}
          options={[
            { value: 'any', label: t('assigneeAny') },
            { value: 'me', label: t('assigneeMe') },
            { value: 'unassigned', label: t('unassigned') },
          ]}
        />
        <Checkbox checked={filters.complaint} onChange={(e) => set({ complaint: e.target.checked })}>
          {t('complaintsOnly')}
        </Checkbox>
        <Checkbox checked={filters.breached} onChange={(e) => set({ breached: e.target.checked })}>
          {t('breachedOnly')}
        </Checkbox>
        <Input.Search
          placeholder={t('search')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => set({ q: value })}
          style={{ width: 220 }}
          allowClear
        />
        <Button onClick={() => void queue.refetch()}>{t('refresh')}</Button>
      </Space>
      <ErrorAlert error={queue.error} />
      <Table<StaffTicket>
        rowKey="id"
        size="middle"
        loading={queue.isPending}
        dataSource={queue.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        onRow={(row) => ({
          onClick: () => navigate(`/support/tickets/${row.id}`),
          style: { cursor: 'pointer' },
          'data-testid': `queue-row-${row.id}`,
        })}
        columns={[
          {
            title: t('subject'),
            render: (_, row) => (
              <Space size={4} wrap>
                {row.complaint ? <Tag color="volcano">{t('complaint')}</Tag> : null}
                {row.escalated ? <Tag color="magenta">{t('escalated')}</Tag> : null}
                <Link to={`/support/tickets/${row.id}`}>{row.subject}</Link>
              </Space>
            ),
          },
          { title: t('category'), dataIndex: 'category', render: (v: string) => t(`categories.${v}`) },
          { title: t('holder'), render: (_, row) => `${row.holderName} ${row.holderPhone}` },
          { title: t('status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} label={t(v)} /> },
          { title: t('assignee'), render: (_, row) => row.assigneeName ?? t('unassigned') },
          { title: t('due'), render: (_, row) => <SlaTimer ticket={row} /> },
          { title: t('updated'), dataIndex: 'lastMessageAt', render: (v: string) => when(v, english) },
        ]}
      />
    </>
  );
}
