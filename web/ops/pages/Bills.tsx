import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type Me, can, usePagedList } from '../api';
import { ErrorAlert, LoadMore, ReasonModal, StatusTag } from '../components';
import { money, when } from '../format';
import { useOpsT } from '../i18n';

/**
 * Bills in the console: the billers (enable, disable, announce a biller's own maintenance), a
 * holder's bill payments, the daily reconciliation's mismatches and the autopay runs. The page's
 * strings live here (the console's shared table is for words every page uses).
 */

const ZH = {
  title: '生活缴费',
  billers: '缴费单位',
  payments: '缴费记录',
  reconciliation: '对账差异',
  autopayRuns: '自动缴费记录',
  biller: '缴费单位',
  type: '类型',
  city: '城市',
  mode: '缴费方式',
  postpaid: '后付费',
  prepaid: '预付费',
  format: '户号格式',
  lateFee: '滞纳金',
  perMilleDay: '每日 {{n}}‰',
  noLateFee: '无',
  paymentsToday: '今日笔数',
  status: '状态',
  active: '正常',
  disabled: '已停用',
  maintenance: '维护中',
  maintenanceAnnounced: '已公告维护',
  disable: '停用',
  enable: '启用',
  announce: '公告维护',
  endMaintenance: '结束维护',
  announceTitle: '公告缴费单位维护：{{name}}',
  startsAt: '开始时间',
  endsAt: '结束时间',
  messageZh: '提示（中文）',
  messageEn: '提示（英文）',
  phone: '客户手机号',
  find: '查询',
  allHolders: '全部客户',
  holder: '客户',
  account: '户号',
  period: '账期',
  amount: '金额',
  lateFeeBorne: '通宝承担滞纳金',
  source: '来源',
  sourceHolder: '客户缴费',
  sourceAutopay: '自动缴费',
  failure: '失败原因',
  networkRef: '单位流水号',
  time: '时间',
  day: '对账日',
  runs: '对账批次',
  fileCount: '对账文件笔数',
  fileTotal: '对账文件金额',
  ledgerCount: '钱包笔数',
  ledgerTotal: '钱包金额',
  mismatches: '差异',
  kind: '差异类型',
  fileAmount: '文件金额',
  walletAmount: '钱包金额',
  resolve: '处理',
  note: '处理说明',
  outcome: '结果',
  nextAttempt: '下次重试',
  detail: '说明',
  noMismatch: '该日没有对账差异',
  kind_missing_in_wallet: '钱包无记录',
  kind_missing_at_biller: '对账文件无记录',
  kind_amount_mismatch: '金额不一致',
  kind_late_result: '迟到的结果',
  outcome_paid: '已扣款',
  outcome_over_cap: '超过单笔上限',
  outcome_over_month_cap: '超过每月上限',
  outcome_insufficient_funds: '余额不足',
  outcome_tongbao_fault: '通宝原因',
  outcome_failed: '失败',
  pay_awaiting_confirmation: '待确认',
  pay_processing: '处理中',
  pay_succeeded: '成功',
  pay_failed: '失败',
  pay_expired: '已过期',
  type_water: '水费',
  type_electricity: '电费',
  type_gas: '燃气费',
  type_telecom: '话费宽带',
  type_property: '物业费',
  digits: '{{n}} 位数字',
  checkDigit: '含校验位',
  example: '示例',
};
type Key = keyof typeof ZH;
const EN: Record<Key, string> = {
  title: 'Bills',
  billers: 'Billers',
  payments: 'Bill payments',
  reconciliation: 'Reconciliation',
  autopayRuns: 'Autopay runs',
  biller: 'Biller',
  type: 'Type',
  city: 'City',
  mode: 'Mode',
  postpaid: 'Postpaid',
  prepaid: 'Prepaid',
  format: 'Account format',
  lateFee: 'Late fee',
  perMilleDay: '{{n}}‰ a day',
  noLateFee: 'None',
  paymentsToday: 'Today',
  status: 'Status',
  active: 'Active',
  disabled: 'Disabled',
  maintenance: 'Maintenance',
  maintenanceAnnounced: 'Maintenance announced',
  disable: 'Disable',
  enable: 'Enable',
  announce: 'Announce maintenance',
  endMaintenance: 'End maintenance',
  announceTitle: 'Announce maintenance: {{name}}',
  startsAt: 'Starts',
  endsAt: 'Ends',
  messageZh: 'Message (Chinese)',
  messageEn: 'Message (English)',
  phone: "Holder's mobile number",
  find: 'Search',
  allHolders: 'All holders',
  holder: 'Holder',
  account: 'Account',
  period: 'Period',
  amount: 'Amount',
  lateFeeBorne: 'Late fee borne by Tongbao',
  source: 'Source',
  sourceHolder: 'Holder',
  sourceAutopay: 'Autopay',
  failure: 'Failure',
  networkRef: 'Biller reference',
  time: 'Time',
  day: 'Day',
  runs: 'Runs',
  fileCount: 'File count',
  fileTotal: 'File total',
  ledgerCount: 'Wallet count',
  ledgerTotal: 'Wallet total',
  mismatches: 'Mismatches',
  kind: 'Kind',
  fileAmount: 'File amount',
  walletAmount: 'Wallet amount',
  resolve: 'Resolve',
  note: 'Resolution note',
  outcome: 'Outcome',
  nextAttempt: 'Next attempt',
  detail: 'Detail',
  noMismatch: 'No mismatch on this day',
  kind_missing_in_wallet: 'Not in the wallet',
  kind_missing_at_biller: 'Not in the file',
  kind_amount_mismatch: 'Amounts differ',
  kind_late_result: 'Late result',
  outcome_paid: 'Paid',
  outcome_over_cap: 'Above the cap per bill',
  outcome_over_month_cap: 'Above the monthly cap',
  outcome_insufficient_funds: 'Insufficient funds',
  outcome_tongbao_fault: 'Tongbao fault',
  outcome_failed: 'Failed',
  pay_awaiting_confirmation: 'To confirm',
  pay_processing: 'Processing',
  pay_succeeded: 'Succeeded',
  pay_failed: 'Failed',
  pay_expired: 'Expired',
  type_water: 'Water',
  type_electricity: 'Electricity',
  type_gas: 'Gas',
  type_telecom: 'Phone & internet',
  type_property: 'Property fee',
  digits: '{{n}} digits',
  checkDigit: 'with a check digit',
  example: 'Example',
};

/** A holder's id, shortened for a table cell; the whole id on hover and for copying. */
function HolderId(props: { id: string }) {
  return (
    <Typography.Text code copyable={{ text: props.id }} title={props.id} style={{ whiteSpace: 'nowrap' }}>
      …{props.id.slice(-8)}
    </Typography.Text>
  );
}

const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

function useBillsT() {
  const ops = useOpsT();
  const b = (key: string, values: Record<string, string | number> = {}) => {
    const table: Record<string, string> = ops.english ? EN : ZH;
    const text = table[key] ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };
  return { ...ops, b };
}

interface OpsBiller {
  id: string;
  name: string;
  nameEn: string;
  type: string;
  city: string;
  cityName: string;
  cityNameEn: string;
  mode: string;
  prepaidMinimum: number | null;
  accountFormat: { length: number; digitsOnly: boolean; checkDigit: string | null; example: string };
  lateFeePerMille: number;
  status: string;
  maintenance: { startsAt: string; endsAt: string; messageZh: string; messageEn: string } | null;
  paymentsToday?: number;
  disabledReason?: string | null;
}

interface OpsBillPayment {
  id: string;
  userId: string;
  billerName: string;
  billerNameEn: string;
  billerType: string;
  accountNumber: string;
  period: string | null;
  amount: number;
  lateFee: number;
  lateFeeBorneByTongbao: number;
  status: string;
  failureReason: string | null;
  source: string;
  networkRef: string | null;
  createdAt: string;
  completedAt: string | null;
}

interface ReconRun {
  day: string;
  billerId: string;
  billerName: string;
  fileCount: number;
  fileTotal: number;
  ledgerCount: number;
  ledgerTotal: number;
  mismatches: number;
  ranAt: string;
}

interface Mismatch {
  id: string;
  day: string;
  billerId: string;
  kind: string;
  paymentId: string | null;
  networkRef: string | null;
  fileAmount: number | null;
  walletAmount: number | null;
  status: string;
  note: string | null;
  createdAt: string;
}

interface OpsRun {
  id: string;
  userId: string;
  billerName: string;
  accountNumber: string;
  period: string | null;
  amount: number;
  outcome: string;
  paymentId: string | null;
  detail: string | null;
  nextAttemptAt: string | null;
  at: string;
}

export default function BillsPage(props: { me: Me }) {
  const { b } = useBillsT();
  const items = [
    { key: 'billers', label: b('billers'), children: <Billers me={props.me} /> },
    { key: 'payments', label: b('payments'), children: <Payments me={props.me} /> },
    ...(can(props.me, 'bills.reconciliation')
      ? [{ key: 'reconciliation', label: b('reconciliation'), children: <Reconciliation /> }]
      : []),
    { key: 'autopay', label: b('autopayRuns'), children: <AutopayRuns /> },
  ];
  return (
    <Card title={b('title')} styles={{ body: { paddingTop: 8 } }}>
      <Tabs items={items} destroyOnHidden data-testid="bills-tabs" />
    </Card>
  );
}

function Billers(props: { me: Me }) {
  const { t, b, english } = useBillsT();
  const { message } = App.useApp();
  const client = useQueryClient();
  const manage = can(props.me, 'bills.manage');
  const [asking, setAsking] = useState<{ biller: OpsBiller; action: 'disable' | 'enable' } | null>(null);
  const [announcing, setAnnouncing] = useState<OpsBiller | null>(null);
  const list = useQuery({
    queryKey: ['ops', 'bills', 'billers'],
    queryFn: () => api.get<{ items: OpsBiller[] }>('/api/v1/ops/bills/billers'),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['ops', 'bills', 'billers'] });
  const endMaintenance = async (biller: OpsBiller) => {
    try {
      await api.post(`/api/v1/ops/bills/billers/${encodeURIComponent(biller.id)}/maintenance/end`);
      void message.success(t('done'));
      await refresh();
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<OpsBiller>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        data-testid="ops-billers"
        columns={[
          {
            title: b('biller'),
            render: (_, row) => (
              <>
                <div>{english ? row.nameEn : row.name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.id}
                </Typography.Text>
              </>
            ),
          },
          { title: b('type'), render: (_, row) => b(`type_${row.type}`) },
          { title: b('city'), render: (_, row) => (english ? row.cityNameEn : row.cityName) },
          {
            title: b('mode'),
            render: (_, row) =>
              row.mode === 'prepaid' ? `${b('prepaid')} ≥ ${money(row.prepaidMinimum)}` : b('postpaid'),
          },
          {
            title: b('format'),
            render: (_, row) =>
              b('digits', { n: row.accountFormat.length }) +
              (row.accountFormat.checkDigit ? ` · ${b('checkDigit')}` : ''),
          },
          {
            title: b('lateFee'),
            render: (_, row) => (row.lateFeePerMille ? b('perMilleDay', { n: row.lateFeePerMille }) : b('noLateFee')),
          },
          { title: b('paymentsToday'), dataIndex: 'paymentsToday', align: 'right' },
          {
            title: b('status'),
            render: (_, row) => (
              <Space direction="vertical" size={2}>
                <StatusTag
                  status={row.status === 'active' ? 'active' : row.status === 'disabled' ? 'suspended' : 'pending'}
                  label={b(row.status)}
                />
                {row.disabledReason ? <Typography.Text type="secondary">{row.disabledReason}</Typography.Text> : null}
                {row.maintenance ? (
                  <Typography.Text type="warning" style={{ fontSize: 12 }}>
                    {when(row.maintenance.startsAt, english)} – {when(row.maintenance.endsAt, english)}
                  </Typography.Text>
                ) : null}
              </Space>
            ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  render: (_: unknown, row: OpsBiller) => (
                    <Space wrap>
                      {row.status === 'disabled' ? (
                        <Button size="small" onClick={() => setAsking({ biller: row, action: 'enable' })}>
                          {b('enable')}
                        </Button>
                      ) : (
                        <Button size="small" danger onClick={() => setAsking({ biller: row, action: 'disable' })}>
                          {b('disable')}
                        </Button>
                      )}
                      {row.maintenance ? (
                        <Button size="small" onClick={() => void endMaintenance(row)}>
                          {b('endMaintenance')}
                        </Button>
                      ) : (
                        <Button size="small" onClick={() => setAnnouncing(row)}>
                          {b('announce')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ReasonModal
        open={asking !== null}
        title={asking ? `${b(asking.action)} · ${english ? asking.biller.nameEn : asking.biller.name}` : ''}
        danger={asking?.action === 'disable'}
        onCancel={() => setAsking(null)}
        onSubmit={async (reason) => {
          if (!asking) return;
          await api.post(`/api/v1/ops/bills/billers/${encodeURIComponent(asking.biller.id)}/${asking.action}`, {
            reason,
          });
          setAsking(null);
          void message.success(t('done'));
          await refresh();
        }}
      />
      <AnnounceModal
        biller={announcing}
        onClose={() => setAnnouncing(null)}
        onDone={async () => {
          setAnnouncing(null);
          void message.success(t('done'));
          await refresh();
        }}
      />
    </>
  );
}

/** `2026-11-23T18:30` (a datetime-local value) from a Date, in the browser's zone. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function AnnounceModal(props: { biller: OpsBiller | null; onClose: () => void; onDone: () => Promise<void> }) {
  const { t, b, english } = useBillsT();
  const [form] = Form.useForm<{ startsAt: string; endsAt: string; messageZh: string; messageEn: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const now = new Date();
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/ops/bills/billers/${encodeURIComponent(props.biller?.id ?? '')}/maintenance`, {
        startsAt: new Date(values.startsAt).toISOString(),
        endsAt: new Date(values.endsAt).toISOString(),
        messageZh: values.messageZh.trim(),
        messageEn: values.messageEn.trim(),
      });
      form.resetFields();
      await props.onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.biller !== null}
      title={b('announceTitle', { name: (english ? props.biller?.nameEn : props.biller?.name) ?? '' })}
      okText={t('confirm')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: busy }}
      onOk={submit}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          startsAt: localInput(new Date(now.getTime() + 10 * 60_000)),
          endsAt: localInput(new Date(now.getTime() + 130 * 60_000)),
        }}
      >
        <Space>
          <Form.Item name="startsAt" label={b('startsAt')} rules={[{ required: true, message: t('required') }]}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item name="endsAt" label={b('endsAt')} rules={[{ required: true, message: t('required') }]}>
            <Input type="datetime-local" />
          </Form.Item>
        </Space>
        <Form.Item name="messageZh" label={b('messageZh')} rules={[{ required: true, message: t('required') }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item name="messageEn" label={b('messageEn')} rules={[{ required: true, message: t('required') }]}>
          <Input.TextArea rows={2} maxLength={300} />
        </Form.Item>
      </Form>
      {error ? <Alert type="error" showIcon title={errorMessage(error)} /> : null}
    </Modal>
  );
}

/** Finds a holder by phone through the customer search (the phone goes in a body, never a URL). */
function HolderSearch(props: { onFound: (userId: string | null, label: string) => void; canSearch: boolean }) {
  const { b } = useBillsT();
  const { message } = App.useApp();
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  if (!props.canSearch) return null;
  const find = async () => {
    const value = phone.trim();
    if (!value) return props.onFound(null, '');
    setBusy(true);
    try {
      const found = await api.post<{ items: { userId: string; name: string; phone: string }[] }>(
        '/api/v1/ops/customers/search',
        { phone: value },
      );
      const first = found.items[0];
      if (!first) void message.warning(b('holder'));
      props.onFound(first?.userId ?? '__none__', first ? `${first.name} ${first.phone}` : value);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space style={{ marginBottom: 12 }}>
      <Input
        placeholder={b('phone')}
        aria-label={b('phone')}
        value={phone}
        onChange={(event) => setPhone(event.target.value)}
        onPressEnter={() => void find()}
        style={{ width: 220 }}
        data-testid="bills-holder-phone"
      />
      <Button type="primary" loading={busy} onClick={() => void find()}>
        {b('find')}
      </Button>
    </Space>
  );
}

function Payments(props: { me: Me }) {
  const { b, english } = useBillsT();
  const [holder, setHolder] = useState<{ userId: string | null; label: string }>({ userId: null, label: '' });
  const list = usePagedList<OpsBillPayment, { items: OpsBillPayment[]; nextBefore: string | null }>(
    ['ops', 'bills', 'payments', holder.userId],
    (before) => `/api/v1/ops/bills/payments${query({ userId: holder.userId, before, limit: 50 })}`,
    (page) => page.nextBefore,
  );
  return (
    <>
      <HolderSearch
        canSearch={can(props.me, 'customers.view')}
        onFound={(userId, label) => setHolder({ userId, label })}
      />
      {holder.userId ? (
        <Tag closable onClose={() => setHolder({ userId: null, label: '' })} style={{ marginLeft: 8 }}>
          {holder.label}
        </Tag>
      ) : null}
      <ErrorAlert error={list.error} />
      <Table<OpsBillPayment>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        data-testid="ops-bill-payments"
        columns={[
          { title: b('time'), onCell: nowrap, render: (_, row) => when(row.completedAt ?? row.createdAt, english) },
          {
            title: b('holder'),
            dataIndex: 'userId',
            render: (v: string) => <HolderId id={v} />,
          },
          {
            title: b('biller'),
            render: (_, row) => `${english ? row.billerNameEn : row.billerName} · ${b(`type_${row.billerType}`)}`,
          },
          { title: b('account'), dataIndex: 'accountNumber' },
          { title: b('period'), dataIndex: 'period', onCell: nowrap, render: (v: string | null) => v ?? '—' },
          {
            title: b('amount'),
            align: 'right',
            render: (_, row) => (
              <>
                {money(row.amount)}
                {row.lateFee ? (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {b('lateFee')} {money(row.lateFee)}
                    </Typography.Text>
                  </div>
                ) : null}
                {row.lateFeeBorneByTongbao ? (
                  <div>
                    <Typography.Text type="warning" style={{ fontSize: 12 }}>
                      {b('lateFeeBorne')} {money(row.lateFeeBorneByTongbao)}
                    </Typography.Text>
                  </div>
                ) : null}
              </>
            ),
          },
          {
            title: b('source'),
            onCell: nowrap,
            render: (_, row) => (row.source === 'autopay' ? b('sourceAutopay') : b('sourceHolder')),
          },
          {
            title: b('status'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <Tag
                  color={
                    row.status === 'succeeded'
                      ? 'green'
                      : row.status === 'failed'
                        ? 'red'
                        : row.status === 'processing'
                          ? 'orange'
                          : 'default'
                  }
                >
                  {b(`pay_${row.status}`)}
                </Tag>
                {row.failureReason ? <Typography.Text type="secondary">{row.failureReason}</Typography.Text> : null}
              </Space>
            ),
          },
          { title: b('networkRef'), dataIndex: 'networkRef', render: (v: string | null) => v ?? '—' },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}

/** Yesterday in Asia/Shanghai, YYYY-MM-DD: the day the nightly reconciliation covers. */
function shanghaiYesterday(): string {
  return new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
}

function Reconciliation() {
  const { t, b, english } = useBillsT();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [day, setDay] = useState(shanghaiYesterday());
  const [resolving, setResolving] = useState<Mismatch | null>(null);
  const report = useQuery({
    queryKey: ['ops', 'bills', 'reconciliation', day],
    queryFn: () =>
      api.get<{ runs: ReconRun[]; mismatches: Mismatch[] }>(`/api/v1/ops/bills/reconciliation${query({ day })}`),
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{b('day')}</Typography.Text>
        <Input type="date" value={day} onChange={(event) => setDay(event.target.value)} style={{ width: 180 }} />
      </Space>
      <ErrorAlert error={report.error} />
      <Typography.Title level={5}>{b('runs')}</Typography.Title>
      <Table<ReconRun>
        rowKey={(row) => `${row.day}-${row.billerId}`}
        size="small"
        loading={report.isPending}
        dataSource={report.data?.runs ?? []}
        pagination={false}
        columns={[
          { title: b('biller'), dataIndex: 'billerName' },
          { title: b('fileCount'), dataIndex: 'fileCount', align: 'right' },
          { title: b('fileTotal'), dataIndex: 'fileTotal', align: 'right', render: (v: number) => money(v) },
          { title: b('ledgerCount'), dataIndex: 'ledgerCount', align: 'right' },
          { title: b('ledgerTotal'), dataIndex: 'ledgerTotal', align: 'right', render: (v: number) => money(v) },
          {
            title: b('mismatches'),
            dataIndex: 'mismatches',
            align: 'right',
            render: (v: number) => (v ? <Tag color="red">{v}</Tag> : <Tag color="green">0</Tag>),
          },
          { title: b('time'), dataIndex: 'ranAt', render: (v: string) => when(v, english) },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {b('mismatches')}
      </Typography.Title>
      <Table<Mismatch>
        rowKey="id"
        size="middle"
        loading={report.isPending}
        dataSource={report.data?.mismatches ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description={b('noMismatch')} /> }}
        data-testid="ops-bill-mismatches"
        columns={[
          { title: b('kind'), render: (_, row) => <Tag color="orange">{b(`kind_${row.kind}`)}</Tag> },
          { title: b('biller'), dataIndex: 'billerId' },
          { title: 'ID', render: (_, row) => row.paymentId ?? row.networkRef ?? '—' },
          { title: b('fileAmount'), align: 'right', render: (_, row) => money(row.fileAmount) },
          { title: b('walletAmount'), align: 'right', render: (_, row) => money(row.walletAmount) },
          {
            title: b('status'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <StatusTag status={row.status} label={row.status === 'open' ? t('statusOpen') : t('statusResolved')} />
                {row.note ? <Typography.Text type="secondary">{row.note}</Typography.Text> : null}
              </Space>
            ),
          },
          {
            title: '',
            render: (_, row) =>
              row.status === 'open' ? (
                <Button size="small" onClick={() => setResolving(row)}>
                  {b('resolve')}
                </Button>
              ) : null,
          },
        ]}
      />
      <ReasonModal
        open={resolving !== null}
        title={b('resolve')}
        label={b('note')}
        onCancel={() => setResolving(null)}
        onSubmit={async (note) => {
          if (!resolving) return;
          await api.post(`/api/v1/ops/bills/reconciliation/mismatches/${encodeURIComponent(resolving.id)}/resolve`, {
            note,
          });
          setResolving(null);
          void message.success(t('done'));
          await client.invalidateQueries({ queryKey: ['ops', 'bills', 'reconciliation'] });
        }}
      />
    </>
  );
}

function AutopayRuns() {
  const { b, english } = useBillsT();
  const list = usePagedList<OpsRun, { items: OpsRun[]; nextBefore: string | null }>(
    ['ops', 'bills', 'autopay-runs'],
    (before) => `/api/v1/ops/bills/autopay-runs${query({ before, limit: 50 })}`,
    (page) => page.nextBefore,
  );
  return (
    <>
      <ErrorAlert error={list.error} />
      <Table<OpsRun>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        data-testid="ops-autopay-runs"
        columns={[
          { title: b('time'), dataIndex: 'at', onCell: nowrap, render: (v: string) => when(v, english) },
          {
            title: b('holder'),
            dataIndex: 'userId',
            render: (v: string) => <HolderId id={v} />,
          },
          { title: b('biller'), dataIndex: 'billerName' },
          { title: b('account'), dataIndex: 'accountNumber' },
          { title: b('period'), dataIndex: 'period', onCell: nowrap, render: (v: string | null) => v ?? '—' },
          { title: b('amount'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
          {
            title: b('outcome'),
            render: (_, row) => (
              <Tag color={row.outcome === 'paid' ? 'green' : row.outcome === 'failed' ? 'red' : 'orange'}>
                {b(`outcome_${row.outcome}`)}
              </Tag>
            ),
          },
          { title: b('detail'), dataIndex: 'detail', render: (v: string | null) => v ?? '—' },
          { title: b('nextAttempt'), dataIndex: 'nextAttemptAt', render: (v: string | null) => when(v, english) },
        ]}
      />
      <LoadMore list={list} />
    </>
  );
}
