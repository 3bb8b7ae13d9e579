import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, idempotencyKey } from '../../../shared/api';
import { type Me, type Movement, can } from '../../api';
import { ErrorAlert, ReasonModal } from '../../components';
import { money, when } from '../../format';
import { useSupportOpsT } from '../../support-i18n';

/** A claw-back of stolen money (server/support/routes-cases.ts). */
interface Clawback {
  id: string;
  caseId: string;
  transferId: string;
  toUserId: string;
  amount: number;
  status: 'held' | 'return_pending' | 'returned' | 'released';
  returnRequestedBy: string | null;
  returnReason: string | null;
  returnApprovedBy: string | null;
  reason: string;
  createdBy: string;
  createdAt: string;
  returnedAt: string | null;
}

const STATUS_COLOR: Record<string, string> = {
  held: 'orange',
  return_pending: 'purple',
  returned: 'green',
  released: 'default',
};

/** The transfers out of the victim's wallet that the case recorded: `p2p:<transferId>` movements. */
function stolenTransfers(movements: Movement[]) {
  return movements
    .filter((m) => m.reference.startsWith('p2p:') && m.amount < 0)
    .map((m) => ({ transferId: m.reference.slice(4), amount: -m.amount, createdAt: m.createdAt }));
}

/**
 * The claw-back card of a theft case: hold stolen money in the receiving wallet, ask for its
 * return, and (a different person) approve it; or release the hold.
 */
export function ClawbackCard(props: { me: Me; caseId: string; caseOpen: boolean; movements: Movement[] }) {
  const { t, english } = useSupportOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [holding, setHolding] = useState<{ transferId: string; amount: number } | null>(null);
  const [asking, setAsking] = useState<Clawback | null>(null);
  const [releasing, setReleasing] = useState<Clawback | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ['ops', 'clawbacks', props.caseId],
    queryFn: () =>
      api.get<{ items: Clawback[] }>(`/api/v1/staff/support/clawbacks?caseId=${encodeURIComponent(props.caseId)}`),
    enabled: can(props.me, 'support.clawback'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['ops', 'clawbacks', props.caseId] });
  const transfers = stolenTransfers(props.movements);
  const open = (list.data?.items ?? []).filter((c) => c.status === 'held' || c.status === 'return_pending');
  const who = (id: string | null) => (id ? `${id}${id === props.me.staffId ? t('you') : ''}` : '—');

  const approve = async (row: Clawback) => {
    setError(null);
    try {
      await api.post(
        `/api/v1/staff/support/clawbacks/${row.id}/approve`,
        { note: english ? 'Approved in the console' : '控制台复核通过' },
        { idempotencyKey: `approve-${row.id}-${idempotencyKey()}` },
      );
      void message.success(t('clawbackStatus.returned'));
      await refresh();
    } catch (caught) {
      setError(caught);
    }
  };

  if (!can(props.me, 'support.clawback')) return null;
  return (
    <Card title={t('clawbacks')} data-testid="clawbacks">
      <Typography.Paragraph type="secondary">{t('clawbacksHint')}</Typography.Paragraph>
      <ErrorAlert error={error ?? list.error} />
      {props.caseOpen && (
        <>
          <Typography.Title level={5}>{t('clawbackStolen')}</Typography.Title>
          <Table
            rowKey="transferId"
            size="small"
            pagination={false}
            dataSource={transfers}
            locale={{ emptyText: t('clawbackNoTransfers') }}
            style={{ marginBottom: 16 }}
            columns={[
              { title: t('clawbackTransfer'), dataIndex: 'transferId', render: (v: string) => <code>{v}</code> },
              { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
              { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
              {
                title: '',
                align: 'right',
                render: (_, row) => {
                  const busy = open.some((c) => c.transferId === row.transferId);
                  return (
                    <Button
                      danger
                      size="small"
                      disabled={busy}
                      onClick={() => setHolding(row)}
                      data-testid={`hold-${row.transferId}`}
                    >
                      {busy ? t('clawbackHeld') : t('clawbackHold')}
                    </Button>
                  );
                },
              },
            ]}
          />
          {transfers.length === 0 && (
            <Button danger onClick={() => setHolding({ transferId: '', amount: 0 })} style={{ marginBottom: 16 }}>
              {t('clawbackHold')}
            </Button>
          )}
        </>
      )}
      <Table<Clawback>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('clawbackNone') }}
        columns={[
          { title: t('clawbackTransfer'), dataIndex: 'transferId', render: (v: string) => <code>{v}</code> },
          { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string) => (
              <Tag color={STATUS_COLOR[v]} data-testid="clawback-status">
                {t(`clawbackStatus.${v}`)}
              </Tag>
            ),
          },
          { title: t('clawbackCreatedBy'), dataIndex: 'createdBy', render: (v: string) => who(v) },
          {
            title: t('clawbackRequestedBy'),
            render: (_, row) => (
              <>
                {who(row.returnRequestedBy)}
                {row.returnReason && <div style={{ color: '#6b7280', fontSize: 12 }}>{row.returnReason}</div>}
              </>
            ),
          },
          { title: t('clawbackApprovedBy'), dataIndex: 'returnApprovedBy', render: (v: string | null) => who(v) },
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          {
            title: '',
            align: 'right',
            render: (_, row) => (
              <Space>
                {row.status === 'held' && (
                  <Button size="small" type="primary" onClick={() => setAsking(row)} data-testid="clawback-request">
                    {t('clawbackRequestReturn')}
                  </Button>
                )}
                {row.status === 'return_pending' &&
                  can(props.me, 'support.clawback_approve') &&
                  (row.returnRequestedBy === props.me.staffId ? (
                    <Tooltip title={t('clawbackSelf')}>
                      <Button size="small" type="primary" disabled data-testid="clawback-approve">
                        {t('clawbackApprove')}
                      </Button>
                    </Tooltip>
                  ) : (
                    <Popconfirm
                      title={t('clawbackApprove')}
                      description={t('clawbackApproveConfirm', { amount: money(row.amount) })}
                      okText={t('confirm')}
                      cancelText={t('cancel')}
                      onConfirm={() => approve(row)}
                    >
                      <Button size="small" type="primary" data-testid="clawback-approve">
                        {t('clawbackApprove')}
                      </Button>
                    </Popconfirm>
                  ))}
                {(row.status === 'held' || row.status === 'return_pending') && (
                  <Button size="small" onClick={() => setReleasing(row)}>
                    {t('clawbackRelease')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <HoldModal
        caseId={props.caseId}
        initial={holding}
        onClose={() => setHolding(null)}
        onDone={async () => {
          setHolding(null);
          void message.success(t('clawbackHeld'));
          await refresh();
        }}
      />
      <ReasonModal
        open={asking !== null}
        title={t('clawbackRequestReturn')}
        onCancel={() => setAsking(null)}
        onSubmit={async (reason) => {
          await api.post(`/api/v1/staff/support/clawbacks/${asking?.id}/return`, { reason });
          setAsking(null);
          await refresh();
        }}
      />
      <ReasonModal
        open={releasing !== null}
        title={t('clawbackRelease')}
        danger
        onCancel={() => setReleasing(null)}
        onSubmit={async (reason) => {
          await api.post(`/api/v1/staff/support/clawbacks/${releasing?.id}/release`, { reason });
          setReleasing(null);
          await refresh();
        }}
      />
    </Card>
  );
}

function HoldModal(props: {
  caseId: string;
  initial: { transferId: string; amount: number } | null;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useSupportOpsT();
  const [form] = Form.useForm<{ transferId: string; yuan: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState(() => idempotencyKey());
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(
        '/api/v1/staff/support/clawbacks',
        {
          caseId: props.caseId,
          transferId: values.transferId.trim(),
          amount: Math.round(values.yuan * 100),
          reason: values.reason.trim(),
        },
        { idempotencyKey: key },
      );
      setKey(idempotencyKey());
      form.resetFields();
      await props.onDone();
    } catch (caught) {
      setKey(idempotencyKey());
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.initial !== null}
      title={t('clawbackHoldTitle')}
      okText={t('clawbackHold')}
      cancelText={t('cancel')}
      okButtonProps={{ danger: true, loading: busy }}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      {props.initial && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ transferId: props.initial.transferId, yuan: props.initial.amount / 100 }}
        >
          <Form.Item name="transferId" label={t('clawbackTransfer')} rules={[{ required: true, whitespace: true }]}>
            <Input disabled={props.initial.transferId !== ''} />
          </Form.Item>
          <Form.Item name="yuan" label={`${t('clawbackAmount')} (¥)`} rules={[{ required: true }]}>
            <InputNumber
              min={0.01}
              max={props.initial.amount ? props.initial.amount / 100 : undefined}
              precision={2}
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('clawbackReason')} rules={[{ required: true, min: 2, whitespace: true }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      )}
      <ErrorAlert error={error} />
    </Modal>
  );
}
