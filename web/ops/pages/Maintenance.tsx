import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type MaintenanceWindow, type Me, can } from '../api';
import { ErrorAlert } from '../components';
import { when } from '../format';
import { useOpsT } from '../i18n';

const FEATURES = ['all', 'payments', 'transfers', 'topup', 'withdraw', 'wallet', 'bills', 'products', 'kyc', 'ledger'];

/** `2026-11-23T18:30` (local input) from a Date, in the browser's zone. */
/** A time as a datetime-local value in Beijing time (the whole console shows Asia/Shanghai, UTC+8). */
function localInput(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

/** A datetime-local value read as Beijing time, whatever the browser's own zone. */
const fromBeijing = (value: string) => new Date(`${value}:00+08:00`).toISOString();

/** "开始时间（北京时间）" / "Starts (Beijing time, UTC+8)": every maintenance time says its zone. */
const zoned = (text: string, english: boolean) => (english ? `${text} (Beijing time, UTC+8)` : `${text}（北京时间）`);

interface Draft {
  feature: string;
  startsAt: string;
  endsAt: string;
  titleZh: string;
  titleEn: string;
  messageZh: string;
  messageEn: string;
}

export default function MaintenancePage(props: { me: Me }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['ops', 'maintenance'],
    queryFn: () => api.get<{ items: MaintenanceWindow[] }>('/api/v1/ops/maintenance'),
  });
  const manage = can(props.me, 'maintenance.manage');
  const end = async (id: string) => {
    try {
      await api.post(`/api/v1/ops/maintenance/${id}/end`);
      void message.success(t('done'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
    await queryClient.invalidateQueries({ queryKey: ['ops', 'maintenance'] });
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('nav_maintenance')} extra={<Button onClick={() => list.refetch()}>{t('refresh')}</Button>}>
        <ErrorAlert error={list.error} />
        <Table<MaintenanceWindow>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('noWindows')} /> }}
          columns={[
            { title: t('feature'), dataIndex: 'feature', render: (v: string) => t(`feature_${v}`) },
            { title: english ? 'Title' : '标题', render: (_, w) => (english ? w.titleEn : w.titleZh) },
            { title: zoned(t('startsAt'), english), dataIndex: 'startsAt', render: (v: string) => when(v, english) },
            { title: zoned(t('endsAt'), english), dataIndex: 'endsAt', render: (v: string) => when(v, english) },
            {
              title: t('status'),
              render: (_, w) =>
                w.active ? <Tag color="red">{t('inProgress')}</Tag> : <Tag color="blue">{t('upcoming')}</Tag>,
            },
            ...(manage
              ? [
                  {
                    title: '',
                    render: (_: unknown, w: MaintenanceWindow) => (
                      <Popconfirm
                        title={t('endEarly')}
                        okText={t('confirm')}
                        cancelText={t('cancel')}
                        onConfirm={() => end(w.id)}
                      >
                        <Button size="small" danger>
                          {t('endEarly')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {manage && <Schedule onDone={() => queryClient.invalidateQueries({ queryKey: ['ops', 'maintenance'] })} />}
    </Space>
  );
}

function Schedule(props: { onDone: () => void }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Draft>();
  const draft = Form.useWatch([], form) as Draft | undefined;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = new Date();
  const submit = async (values: Draft) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/ops/maintenance', {
        ...values,
        startsAt: fromBeijing(values.startsAt),
        endsAt: fromBeijing(values.endsAt),
      });
      void message.success(t('done'));
      form.resetFields();
      props.onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('schedule')}>
      <Row gutter={24}>
        <Col xs={24} lg={14}>
          <Form
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{
              feature: 'payments',
              startsAt: localInput(new Date(now.getTime() + 10 * 60_000)),
              endsAt: localInput(new Date(now.getTime() + 70 * 60_000)),
            }}
          >
            <Form.Item name="feature" label={t('feature')} rules={[{ required: true }]}>
              <Select options={FEATURES.map((f) => ({ value: f, label: t(`feature_${f}`) }))} />
            </Form.Item>
            <Space wrap>
              <Form.Item
                name="startsAt"
                label={zoned(t('startsAt'), english)}
                rules={[{ required: true, message: t('required') }]}
              >
                <Input type="datetime-local" />
              </Form.Item>
              <Form.Item
                name="endsAt"
                label={zoned(t('endsAt'), english)}
                rules={[{ required: true, message: t('required') }]}
              >
                <Input type="datetime-local" />
              </Form.Item>
            </Space>
            <Form.Item name="titleZh" label={t('titleZh')} rules={[{ required: true, message: t('required') }]}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="titleEn" label={t('titleEn')} rules={[{ required: true, message: t('required') }]}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="messageZh" label={t('messageZh')} rules={[{ required: true, message: t('required') }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
            <Form.Item name="messageEn" label={t('messageEn')} rules={[{ required: true, message: t('required') }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="maintenance-submit">
              {t('schedule')}
            </Button>
          </Form>
        </Col>
        <Col xs={24} lg={10}>
          <Typography.Title level={5}>{t('preview')}</Typography.Title>
          <Space direction="vertical" style={{ width: '100%' }} data-testid="maintenance-preview">
            <PhonePreview title={draft?.titleZh} message={draft?.messageZh} lang="zh-CN" />
            <PhonePreview title={draft?.titleEn} message={draft?.messageEn} lang="en" />
          </Space>
        </Col>
      </Row>
    </Card>
  );
}

/** Roughly the wallet's announcement banner on a phone, so staff see the words as holders will. */
function PhonePreview(props: { title?: string; message?: string; lang: string }) {
  return (
    <div
      lang={props.lang}
      style={{ width: 300, border: '8px solid #1f2329', borderRadius: 24, padding: '16px 10px', background: '#f5f6f8' }}
    >
      <div
        style={{
          background: '#d9e7ff',
          border: '1px solid #b9d0f7',
          borderRadius: 8,
          padding: '8px 10px',
          fontSize: 13,
          color: '#b4232f',
        }}
      >
        <strong>{props.title || '…'}</strong> {props.message || '…'}
      </div>
      <div
        style={{ height: 60, marginTop: 10, borderRadius: 8, background: 'linear-gradient(135deg,#c8102e,#e0484f)' }}
      />
    </div>
  );
}
