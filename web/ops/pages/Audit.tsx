import { Button, Card, Empty, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { type AuditEntry, type Me, useStaffNames } from '../api';
import { ErrorAlert } from '../components';
import { when } from '../format';
import { useOpsT } from '../i18n';
import { hasLabel, label } from '../labels';

interface Filter {
  actorId?: string;
  actorKind?: string;
  subjectId?: string;
  actionPrefix?: string;
  from?: string;
  to?: string;
}

export default function AuditPage(_props: { me: Me }) {
  const { t, english } = useOpsT();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const staffName = useStaffNames();
  const load = async (next: Filter, after: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const params = {
        ...next,
        from: next.from ? new Date(next.from).toISOString() : undefined,
        to: next.to ? new Date(next.to).toISOString() : undefined,
        cursor: after,
        limit: 50,
      };
      const page = await api.get<{ items: AuditEntry[]; nextCursor: string | null }>(
        `/api/v1/ops/audit${query(params)}`,
      );
      setItems((list) => (after ? [...list, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('nav_audit')}>
      <Form
        layout="inline"
        style={{ rowGap: 8, marginBottom: 16 }}
        onFinish={(values: Filter) => {
          const clean = Object.fromEntries(
            Object.entries(values).filter(([, v]) => v !== undefined && v !== ''),
          ) as Filter;
          setFilter(clean);
          void load(clean, null);
        }}
      >
        <Form.Item name="actorId" label={t('actor')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="actorKind" label={t('actorKind')}>
          <Select
            allowClear
            style={{ width: 120 }}
            options={['staff', 'user', 'system', 'operator'].map((k) => ({
              value: k,
              label: label('actorKind', k, english),
            }))}
          />
        </Form.Item>
        <Form.Item name="subjectId" label={t('subject')}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="actionPrefix" label={t('action')}>
          <Input allowClear placeholder={t('actionPrefix')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="from" label={t('from')}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="to" label={t('to')}>
          <Input type="datetime-local" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('search')}
        </Button>
      </Form>
      <ErrorAlert error={error} />
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        tableLayout="fixed"
        dataSource={items}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', width: 180, render: (v: string) => when(v, english) },
          {
            title: t('actor'),
            width: 230,
            ellipsis: true,
            render: (_, e) => (
              <span title={`${e.actorKind}:${e.actorId}`} data-testid="audit-actor">
                {e.actorKind === 'staff'
                  ? `${staffName(e.actorId)} · ${label('actorKind', 'staff', english)}`
                  : `${label('actorKind', e.actorKind, english)} ${e.actorKind === 'system' ? e.actorId : ''}`.trim()}
              </span>
            ),
          },
          {
            title: t('action'),
            dataIndex: 'action',
            width: 200,
            // The action in words, its code on hover; an action without a label shows its code.
            render: (v: string) =>
              hasLabel('auditAction', v) ? (
                <span title={v} data-testid="audit-action">
                  {label('auditAction', v, english)}
                </span>
              ) : (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }} data-testid="audit-action">
                  {v}
                </Typography.Text>
              ),
          },
          {
            title: t('subject'),
            width: 230,
            ellipsis: true,
            render: (_, e) => (e.subjectId ? `${e.subjectType ?? ''} ${e.subjectId}` : '—'),
          },
          {
            title: t('details'),
            dataIndex: 'details',
            ellipsis: true,
            render: (v: unknown) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {Object.entries((v ?? {}) as Record<string, unknown>)
                  .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
                  .join(' · ')}
              </Typography.Text>
            ),
          },
          { title: t('ip'), dataIndex: 'ip', width: 110 },
        ]}
      />
      {cursor && (
        <Space style={{ marginTop: 12 }}>
          <Button onClick={() => load(filter, cursor)} loading={busy}>
            {t('loadMore')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
