import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type Me, can, usePagedList } from '../api';
import { ErrorAlert, LoadMore, ReasonModal, StatusTag } from '../components';
import { type Contact, OPS_CREDIT, type OverdueItem, type StaffLoan, bp } from '../credit-api';
import { useCreditOpsT } from '../credit-i18n';
import { money, when } from '../format';

/** A long id as its last eight characters, copyable whole. */
function ShortId(props: { id: string }) {
  return (
    <Typography.Text code copyable={{ text: props.id }} title={props.id}>
      …{props.id.slice(-8)}
    </Typography.Text>
  );
}

/** The loan book, the overdue list with contact history, one loan in a drawer, contacts and write-off. */

const LOAN_STATUSES = ['active', 'overdue', 'paid_off', 'written_off', 'all'] as const;
const LOAN_COLOR: Record<string, string> = {
  active: 'active',
  overdue: 'rejected',
  paid_off: 'closed',
  written_off: 'closed',
};

export function LoanBook(props: { me: Me }) {
  const { t, english } = useCreditOpsT();
  const [status, setStatus] = useState<string>('active');
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<StaffLoan, { items: StaffLoan[]; nextBefore: string | null }>(
    ['ops', 'credit', 'loans', status],
    (before) => `${OPS_CREDIT}/loans${query({ status, before, limit: 50 })}`,
    (page) => page.nextBefore,
  );
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(String(value))}
        options={LOAN_STATUSES.map((s) => ({ value: s, label: t(`loanStatus_${s}`) }))}
      />
      <ErrorAlert error={list.error} />
      <Table<StaffLoan>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        data-testid="credit-loans"
        onRow={(row) => ({ onClick: () => setOpen(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: 'ID', dataIndex: 'id', render: (v: string) => <ShortId id={v} /> },
          { title: t('applicant'), render: (_, row) => `${row.holder.name} · ${row.holder.phone}` },
          { title: t('amountCol'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
          {
            title: t('term'),
            render: (_, row) => `${t('months', { count: row.termMonths })} · ${t(`method_${row.method}`)}`,
          },
          { title: t('apr'), dataIndex: 'aprBp', align: 'right', render: (v: number) => bp(v) },
          {
            title: t('outstanding'),
            align: 'right',
            render: (_, row) => <strong>{money(row.outstanding.total)}</strong>,
          },
          {
            title: t('nextDue'),
            render: (_, row) => (row.nextDue ? `${row.nextDue.dueDate} · ${money(row.nextDue.amount)}` : '—'),
          },
          { title: t('disbursed'), dataIndex: 'disbursedAt', render: (v: string) => when(v, english) },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string) => <StatusTag status={LOAN_COLOR[v] ?? v} label={t(`loanStatus_${v}`)} />,
          },
        ]}
      />
      <LoadMore list={list} />
      {open ? <LoanDrawer id={open} me={props.me} onClose={() => setOpen(null)} /> : null}
    </Space>
  );
}

export function Overdue(props: { me: Me }) {
  const { t, english } = useCreditOpsT();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['ops', 'credit', 'overdue'],
    queryFn: () => api.get<{ items: OverdueItem[] }>(`${OPS_CREDIT}/overdue`),
  });
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('quietHours')} />
      <ErrorAlert error={list.error} />
      <Table<OverdueItem>
        rowKey={(row) => `${row.target}-${row.id}`}
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="credit-overdue"
        columns={[
          { title: t('productCol'), dataIndex: 'target', render: (v: string) => t(`target_${v}`) },
          { title: 'ID', dataIndex: 'id', render: (v: string) => <ShortId id={v} /> },
          { title: t('applicant'), render: (_, row) => `${row.holder.name} · ${row.holder.phone}` },
          { title: t('dueDate'), dataIndex: 'dueDate' },
          {
            title: t('overdueDays'),
            dataIndex: 'overdueDays',
            align: 'right',
            sorter: (a, b) => a.overdueDays - b.overdueDays,
            defaultSortOrder: 'descend',
            render: (v: number) => <Typography.Text type={v > 30 ? 'danger' : undefined}>{v}</Typography.Text>,
          },
          { title: t('overdueAmount'), dataIndex: 'overdueAmount', align: 'right', render: (v: number) => money(v) },
          {
            title: t('reported'),
            dataIndex: 'reported',
            render: (v: boolean) => (v ? <Tag color="red">{t('reported')}</Tag> : <Tag>{t('notReported')}</Tag>),
          },
          {
            title: t('lastContact'),
            render: (_, row) => {
              const last = row.contacts[0];
              return last ? (
                <Space direction="vertical" size={0}>
                  <span>{`${t(`channel_${last.channel}`)} · ${when(last.at, english)}`}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {last.note}
                  </Typography.Text>
                </Space>
              ) : (
                t('noContacts')
              );
            },
          },
          {
            title: '',
            render: (_, row) =>
              row.target === 'loan' ? (
                <Button size="small" onClick={() => setOpen(row.id)}>
                  {t('view')}
                </Button>
              ) : null,
          },
        ]}
      />
      {open ? <LoanDrawer id={open} me={props.me} onClose={() => setOpen(null)} /> : null}
    </Space>
  );
}

function LoanDrawer(props: { id: string; me: Me; onClose: () => void }) {
  const { t, english } = useCreditOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [writingOff, setWritingOff] = useState(false);
  const detail = useQuery({
    queryKey: ['ops', 'credit', 'loan', props.id],
    queryFn: () => api.get<StaffLoan>(`${OPS_CREDIT}/loans/${encodeURIComponent(props.id)}`),
  });
  const l = detail.data;
  return (
    <Drawer open size="large" title={`${t('loanBook')} · ${props.id}`} onClose={props.onClose} destroyOnHidden>
      <ErrorAlert error={detail.error} />
      {l ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="credit-loan-detail">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('applicant')}>{`${l.holder.name} · ${l.holder.phone}`}</Descriptions.Item>
            <Descriptions.Item label={t('status')}>
              <StatusTag status={LOAN_COLOR[l.status] ?? l.status} label={t(`loanStatus_${l.status}`)} />
            </Descriptions.Item>
            <Descriptions.Item label={t('amountCol')}>{money(l.amount)}</Descriptions.Item>
            <Descriptions.Item label={t('term')}>
              {`${t('months', { count: l.termMonths })} · ${t(`method_${l.method}`)}`}
            </Descriptions.Item>
            <Descriptions.Item label={t('apr')}>
              <strong>{bp(l.aprBp)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('contractRate')}>{bp(l.annualRateBp)}</Descriptions.Item>
            <Descriptions.Item label={t('outstanding')}>
              {`${money(l.outstanding.total)} (${t('principal')} ${money(l.outstanding.principal)} · ${t(
                'interest',
              )} ${money(l.outstanding.interest)} · ${t('penalty')} ${money(l.outstanding.penalty)})`}
            </Descriptions.Item>
            <Descriptions.Item label={t('disbursed')}>{when(l.disbursedAt, english)}</Descriptions.Item>
          </Descriptions>
          {l.status === 'overdue' && can(props.me, 'credit.write_off') ? (
            <Space>
              <Button danger onClick={() => setWritingOff(true)} data-testid="credit-write-off">
                {t('writeOff')}
              </Button>
              <Typography.Text type="secondary">{t('writeOffHint')}</Typography.Text>
            </Space>
          ) : null}
          <Table
            rowKey="number"
            size="small"
            pagination={false}
            title={() => t('schedule')}
            dataSource={l.schedule.installments}
            columns={[
              { title: t('installment'), dataIndex: 'number' },
              {
                title: t('dueDate'),
                render: (_, row) => (row.movedFrom ? `${row.dueDate} (← ${row.movedFrom})` : row.dueDate),
              },
              { title: t('principal'), dataIndex: 'principal', align: 'right', render: (v: number) => money(v) },
              { title: t('interest'), dataIndex: 'interest', align: 'right', render: (v: number) => money(v) },
              { title: t('penalty'), dataIndex: 'penalty', align: 'right', render: (v: number) => money(v) },
              { title: t('total'), dataIndex: 'total', align: 'right', render: (v: number) => money(v) },
              { title: t('paid'), dataIndex: 'paid', align: 'right', render: (v: number) => money(v) },
              { title: t('status'), dataIndex: 'status', render: (v: string) => t(`instStatus_${v}`) },
            ]}
          />
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            title={() => t('repayments')}
            dataSource={l.repayments}
            columns={[
              { title: t('time'), render: (_, r) => when(r.completedAt ?? r.createdAt, english) },
              { title: t('amountCol'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
              { title: t('source'), dataIndex: 'source' },
              { title: t('mode'), dataIndex: 'mode' },
              {
                title: `${t('penalty')} / ${t('interest')} / ${t('principal')}`,
                render: (_, r) =>
                  `${money(r.allocation.penalty)} / ${money(r.allocation.interest)} / ${money(r.allocation.principal)}`,
              },
            ]}
          />
          <Contacts loanId={l.id} contacts={l.contacts ?? []} me={props.me} />
        </Space>
      ) : null}
      <ReasonModal
        open={writingOff}
        title={t('writeOffTitle', { id: props.id })}
        danger
        minLength={5}
        onCancel={() => setWritingOff(false)}
        onSubmit={async (reason) => {
          await api.post(`${OPS_CREDIT}/loans/${encodeURIComponent(props.id)}/write-off`, { reason });
          setWritingOff(false);
          void message.success(t('writeOffRequested'));
          await queryClient.invalidateQueries({ queryKey: ['ops'] });
        }}
      />
    </Drawer>
  );
}

function Contacts(props: { loanId: string; contacts: Contact[]; me: Me }) {
  const { t, english } = useCreditOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ channel: string; note: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(`${OPS_CREDIT}/loans/${encodeURIComponent(props.loanId)}/contacts`, {
        channel: values.channel,
        note: values.note.trim(),
      });
      form.resetFields(['note']);
      void message.success(t('contactSaved'));
      await queryClient.invalidateQueries({ queryKey: ['ops', 'credit'] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <Table<Contact>
        rowKey="id"
        size="small"
        pagination={false}
        title={() => t('contacts')}
        dataSource={props.contacts}
        locale={{ emptyText: t('noContacts') }}
        columns={[
          { title: t('time'), dataIndex: 'at', render: (v: string) => when(v, english) },
          { title: t('channel'), dataIndex: 'channel', render: (v: string) => t(`channel_${v}`) },
          { title: t('noteLabel'), dataIndex: 'note' },
          { title: t('requestedBy'), dataIndex: 'by' },
        ]}
      />
      {can(props.me, 'credit.collect') ? (
        <Form form={form} layout="inline" initialValues={{ channel: 'phone' }} style={{ marginTop: 12 }}>
          <Form.Item name="channel">
            <Select
              aria-label={t('channel')}
              style={{ width: 110 }}
              options={['phone', 'sms', 'in_app'].map((c) => ({ value: c, label: t(`channel_${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="note" rules={[{ required: true, min: 2, whitespace: true }]} style={{ flex: 1 }}>
            <Input
              placeholder={t('noteLabel')}
              aria-label={t('noteLabel')}
              maxLength={500}
              data-testid="credit-contact-note"
            />
          </Form.Item>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="credit-contact-submit">
            {t('recordContact')}
          </Button>
        </Form>
      ) : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} /> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('quietHours')}
      </Typography.Text>
    </div>
  );
}
