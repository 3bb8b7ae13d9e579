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
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Route, Routes } from 'react-router';
import { api, idempotencyKey, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type Me, can } from '../api';
import { PendingApprovals } from '../approvals';
import { ErrorAlert, ReasonModal, StatusTag } from '../components';
import { money, when } from '../format';
import { useSavingsOpsT } from '../savings-i18n';

/**
 * Savings in the console: the catalogue with its rates (changes go through maker-checker and take
 * effect at a stated time), the queue of large applications staff decide, and one holder's
 * holdings, income and orders. Server: server/savings/routes-staff.ts.
 */

interface Localized {
  zh: string;
  en: string;
}

interface ProductVersion {
  version: number;
  effectiveAt: string;
  createdAt: string;
  approvalId: string | null;
  /** The product as this version defines it. */
  product?: Partial<StaffProduct>;
}

interface StaffProduct {
  id: string;
  kind: string;
  code: string;
  name: Localized;
  riskLevel: string;
  status: string;
  minimumAmount: number;
  termMonths: number | null;
  annualRatePct: string | null;
  demandRatePct: string | null;
  latestYield: { day: string; yield7dPct: string; per10k: string } | null;
  reviewThreshold: number | null;
  minTier: string;
  version: number;
  effectiveAt: string;
  pendingApprovalId: string | null;
  versions?: ProductVersion[];
  scheduled?: ProductVersion[];
}

interface Application {
  id: string;
  type: string;
  status: string;
  productId: string;
  productName: Localized;
  amount: number;
  riskAcknowledged: boolean;
  reviewNote: string | null;
  createdAt: string;
  userId: string;
  holder: { name: string; phone: string };
  decidedBy: string | null;
  decidedAt: string | null;
}

interface FundHolding {
  productId: string;
  code: string;
  name: Localized;
  shares: number;
  earningShares: number;
  pendingShares: number;
  yesterdayIncome: number;
  totalIncome: number;
  fastRedeemRemainingToday: number;
}

interface Deposit {
  id: string;
  productName: Localized;
  termMonths: number;
  principal: number;
  annualRatePct: string;
  openedOn: string;
  maturesOn: string;
  expectedInterest: number;
  maturityChoice: string;
  status: string;
}

interface HolderView {
  userId: string;
  holdings: { today: string; totalAssets: number; funds: FundHolding[]; deposits: Deposit[] };
  assessment: { level: string; levelName: Localized; takenAt: string; expiresAt: string; expired: boolean } | null;
  orders: Application[];
}

const pct = (value: string | null | undefined) => (value ? `${value}%` : '—');
const PCT = /^\d{1,2}(\.\d{1,4})?$/;
const YUAN = /^\d{1,13}(\.\d{1,2})?$/;
const toFenNumber = (yuan: string) => {
  const [whole, fraction = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

export default function SavingsPage(props: { me: Me }) {
  return (
    <Routes>
      <Route index element={<SavingsTabs me={props.me} />} />
      <Route path=":tab" element={<SavingsTabs me={props.me} />} />
      <Route path="holders/:userId" element={<SavingsTabs me={props.me} />} />
    </Routes>
  );
}

function SavingsTabs(props: { me: Me }) {
  const { t } = useSavingsOpsT();
  const navigate = useNavigate();
  const params = useParams();
  const active = params.userId ? 'holders' : (params.tab ?? 'products');
  const items = [
    { key: 'products', label: t('tabProducts'), children: <Products me={props.me} /> },
    ...(can(props.me, 'savings.applications')
      ? [{ key: 'applications', label: t('tabApplications'), children: <Applications /> }]
      : []),
    { key: 'holders', label: t('tabHolder'), children: <Holder me={props.me} /> },
  ];
  return (
    <Card title={t('savingsTitle')}>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/savings/${key === 'products' ? '' : key}`)}
        items={items}
        destroyOnHidden
      />
    </Card>
  );
}

function Products(props: { me: Me }) {
  const { t, english } = useSavingsOpsT();
  const list = useQuery({
    queryKey: ['ops', 'savings', 'products'],
    queryFn: () => api.get<{ items: StaffProduct[] }>('/api/v1/ops/savings/products'),
  });
  const [editing, setEditing] = useState<StaffProduct | null>(null);
  const manage = can(props.me, 'savings.products');
  const name = (p: { name: Localized }) => (english ? p.name.en : p.name.zh);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {manage ? (
        <PendingApprovals me={props.me} kinds={['savings.product_change']} title={t('productApprovals')} />
      ) : null}
      <ErrorAlert error={list.error} />
      <Table<StaffProduct>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="savings-products"
        expandable={{
          rowExpandable: (row) => Boolean(row.versions?.length || row.scheduled?.length),
          expandedRowRender: (row) => <Versions product={row} />,
        }}
        columns={[
          {
            title: t('product'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{name(row)}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.code} · {t(`kind_${row.kind}`)}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('riskLevel'), dataIndex: 'riskLevel', render: (v: string) => <Tag>{v}</Tag> },
          {
            title: t('rate'),
            render: (_, row) =>
              row.kind === 'fund' ? (
                <span>
                  {t('yield7d')} {pct(row.latestYield?.yield7dPct)}
                </span>
              ) : (
                <Space direction="vertical" size={0}>
                  <span>
                    {t('annualRate')} {pct(row.annualRatePct)}
                  </span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('demandRate')} {pct(row.demandRatePct)}
                  </Typography.Text>
                </Space>
              ),
          },
          { title: t('minimumAmount'), dataIndex: 'minimumAmount', render: (v: number) => money(v) },
          { title: t('reviewThreshold'), dataIndex: 'reviewThreshold', render: (v: number | null) => money(v) },
          { title: t('minTier'), dataIndex: 'minTier', render: (v: string) => t(`tier_${v}`) },
          {
            title: t('productStatus'),
            render: (_, row) => (
              <Space size={4} wrap>
                <StatusTag status={row.status === 'on_sale' ? 'active' : 'closed'} label={t(row.status)} />
                {row.pendingApprovalId ? <Tag color="purple">{t('pendingChange')}</Tag> : null}
                {row.scheduled?.length ? <Tag color="blue">{t('scheduled')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t('version'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>v{row.version}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {when(row.effectiveAt, english)}
                </Typography.Text>
              </Space>
            ),
          },
          ...(manage
            ? [
                {
                  title: '',
                  render: (_: unknown, row: StaffProduct) => (
                    <Button
                      size="small"
                      onClick={() => setEditing(row)}
                      disabled={Boolean(row.pendingApprovalId)}
                      data-testid={`propose-${row.id}`}
                    >
                      {t('proposeChange')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <ChangeModal product={editing} onClose={() => setEditing(null)} />
    </Space>
  );
}

function Versions(props: { product: StaffProduct }) {
  const { t, english } = useSavingsOpsT();
  const rows = [
    ...(props.product.scheduled ?? []).map((v) => ({ ...v, scheduled: true })),
    ...(props.product.versions ?? []).map((v) => ({ ...v, scheduled: false })),
  ];
  return (
    <Table
      rowKey={(row) => `${row.version}-${row.effectiveAt}`}
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: t('version'),
          render: (_, row) => (
            <Space>
              v{row.version}
              {row.scheduled ? <Tag color="blue">{t('scheduled')}</Tag> : null}
            </Space>
          ),
        },
        { title: t('effectiveAt'), dataIndex: 'effectiveAt', render: (v: string) => when(v, english) },
        {
          title: t('changes'),
          render: (_, row) => <VersionTerms product={row.product} />,
        },
        { title: t('approvalId'), dataIndex: 'approvalId', render: (v: string | null) => v ?? '—' },
      ]}
    />
  );
}

/** What a version sets, in a line: rates, minimum, review threshold, risk, tier, sale status. */
function VersionTerms(props: { product?: Partial<StaffProduct> }) {
  const { t } = useSavingsOpsT();
  const p = props.product;
  if (!p) return <span>—</span>;
  const parts = [
    p.annualRatePct ? `${t('annualRate')} ${pct(p.annualRatePct)}` : null,
    p.demandRatePct ? `${t('demandRate')} ${pct(p.demandRatePct)}` : null,
    p.minimumAmount !== undefined ? `${t('minimumAmount')} ${money(p.minimumAmount)}` : null,
    p.reviewThreshold !== undefined ? `${t('reviewThreshold')} ${money(p.reviewThreshold)}` : null,
    p.riskLevel ?? null,
    p.minTier ? t(`tier_${p.minTier}`) : null,
    p.status ? t(p.status) : null,
  ].filter(Boolean);
  return <Typography.Text style={{ fontSize: 12 }}>{parts.join(' · ')}</Typography.Text>;
}

/** `2026-11-23T18:30` in the browser's zone for a datetime-local input. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface ChangeDraft {
  annualRatePct?: string;
  demandRatePct?: string;
  minimumAmount?: string;
  reviewThreshold?: string;
  status?: string;
  riskLevel?: string;
  minTier?: string;
  effectiveAt: string;
  reason: string;
}

/** Proposes a change to a product; a second admin approves it in the list above (maker-checker). */
function ChangeModal(props: { product: StaffProduct | null; onClose: () => void }) {
  const { t, english } = useSavingsOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ChangeDraft>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const p = props.product;
  const submit = async () => {
    if (!p) return;
    const values = await form.validateFields();
    const changes: Record<string, unknown> = {};
    if (values.annualRatePct && values.annualRatePct !== p.annualRatePct) changes.annualRatePct = values.annualRatePct;
    if (values.demandRatePct && values.demandRatePct !== p.demandRatePct) changes.demandRatePct = values.demandRatePct;
    if (values.minimumAmount && toFenNumber(values.minimumAmount) !== p.minimumAmount)
      changes.minimumAmount = toFenNumber(values.minimumAmount);
    if (values.reviewThreshold && toFenNumber(values.reviewThreshold) !== p.reviewThreshold)
      changes.reviewThreshold = toFenNumber(values.reviewThreshold);
    if (values.status && values.status !== p.status) changes.status = values.status;
    if (values.riskLevel && values.riskLevel !== p.riskLevel) changes.riskLevel = values.riskLevel;
    if (values.minTier && values.minTier !== p.minTier) changes.minTier = values.minTier;
    if (!Object.keys(changes).length) {
      setError(t('nothingChanged'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/api/v1/ops/savings/products/${encodeURIComponent(p.id)}/changes`,
        { changes, effectiveAt: new Date(values.effectiveAt).toISOString(), reason: values.reason.trim() },
        { idempotencyKey: idempotencyKey() },
      );
      void message.success(t('changeRequested'));
      form.resetFields();
      props.onClose();
      await queryClient.invalidateQueries({ queryKey: ['ops'] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={p !== null}
      title={p ? t('proposeTitle', { name: english ? p.name.en : p.name.zh }) : ''}
      okText={t('confirm')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: busy, ...{ 'data-testid': 'propose-submit' } }}
      onOk={submit}
      onCancel={() => {
        setError(null);
        props.onClose();
      }}
      destroyOnHidden
      width={640}
    >
      {p ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            annualRatePct: p.annualRatePct ?? undefined,
            demandRatePct: p.demandRatePct ?? undefined,
            minimumAmount: (p.minimumAmount / 100).toFixed(2),
            reviewThreshold: p.reviewThreshold === null ? undefined : (p.reviewThreshold / 100).toFixed(2),
            status: p.status,
            riskLevel: p.riskLevel,
            minTier: p.minTier,
            effectiveAt: localInput(new Date(Date.now() + 24 * 3600_000)),
          }}
        >
          <Typography.Paragraph type="secondary">{t('changeHint')}</Typography.Paragraph>
          <Row gutter={16}>
            {p.kind === 'term_deposit' ? (
              <>
                <Col span={12}>
                  <Form.Item
                    name="annualRatePct"
                    label={`${t('annualRate')} (%)`}
                    rules={[{ pattern: PCT, message: t('invalidPct') }]}
                  >
                    <Input data-testid="change-annual-rate" />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item
                    name="demandRatePct"
                    label={`${t('demandRate')} (%)`}
                    rules={[{ pattern: PCT, message: t('invalidPct') }]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
              </>
            ) : null}
            <Col span={12}>
              <Form.Item
                name="minimumAmount"
                label={t('minimumAmount')}
                rules={[{ pattern: YUAN, message: t('invalidYuan') }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="reviewThreshold"
                label={t('reviewThreshold')}
                rules={[{ pattern: YUAN, message: t('invalidYuan') }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="status" label={t('productStatus')}>
                <Select options={['on_sale', 'closed'].map((v) => ({ value: v, label: t(v) }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="riskLevel" label={t('riskLevel')}>
                <Select options={['R1', 'R2', 'R3', 'R4', 'R5'].map((v) => ({ value: v, label: v }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="minTier" label={t('minTier')}>
                <Select options={['basic', 'verified', 'full'].map((v) => ({ value: v, label: t(`tier_${v}`) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="effectiveAt"
                label={t('effectiveAt')}
                rules={[{ required: true, message: t('required') }]}
              >
                <Input type="datetime-local" data-testid="change-effective" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item
            name="reason"
            label={t('reason')}
            rules={[{ required: true, min: 3, whitespace: true, message: t('reasonRequired') }]}
          >
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="change-reason" />
          </Form.Item>
        </Form>
      ) : null}
      {error ? <Alert type="error" showIcon title={error} role="alert" /> : null}
    </Modal>
  );
}

function Applications() {
  const { t, english } = useSavingsOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('pending_review');
  const [deciding, setDeciding] = useState<{ row: Application; verb: 'approve' | 'reject' } | null>(null);
  const list = useQuery({
    queryKey: ['ops', 'savings', 'applications', status],
    queryFn: () => api.get<{ items: Application[] }>(`/api/v1/ops/savings/applications${query({ status, limit: 50 })}`),
    refetchInterval: status === 'pending_review' ? 5000 : false,
  });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('applicationsHint')} />
      <Space>
        <Typography.Text>{t('statusFilter')}</Typography.Text>
        <Segmented
          value={status}
          onChange={(value) => setStatus(String(value))}
          options={['pending_review', 'completed', 'rejected'].map((v) => ({ value: v, label: t(`status_${v}`) }))}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Table<Application>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="savings-applications"
        locale={{ emptyText: <Empty description={t('noApplications')} /> }}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          {
            title: t('holder'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>{row.holder.name}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.holder.phone}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('orderType'), dataIndex: 'type', render: (v: string) => t(`type_${v}`) },
          { title: t('product'), render: (_, row) => (english ? row.productName.en : row.productName.zh) },
          { title: t('amount'), dataIndex: 'amount', render: (v: number) => <strong>{money(v)}</strong> },
          {
            title: t('riskAck'),
            dataIndex: 'riskAcknowledged',
            render: (v: boolean) => (v ? <Tag color="orange">{t('riskAckYes')}</Tag> : '—'),
          },
          ...(status === 'pending_review'
            ? [
                {
                  title: '',
                  render: (_: unknown, row: Application) => (
                    <Space>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => setDeciding({ row, verb: 'approve' })}
                        data-testid={`approve-${row.id}`}
                      >
                        {t('approve')}
                      </Button>
                      <Button size="small" danger onClick={() => setDeciding({ row, verb: 'reject' })}>
                        {t('reject')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : [
                {
                  title: t('decidedBy'),
                  render: (_: unknown, row: Application) => (
                    <Space direction="vertical" size={0}>
                      <span>{row.decidedBy ?? '—'}</span>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {when(row.decidedAt, english)}
                      </Typography.Text>
                    </Space>
                  ),
                },
                { title: t('note'), dataIndex: 'reviewNote' },
              ]),
        ]}
      />
      <ReasonModal
        open={deciding !== null}
        title={deciding?.verb === 'reject' ? t('rejectApplication') : t('approveApplication')}
        label={t('note')}
        danger={deciding?.verb === 'reject'}
        minLength={1}
        onCancel={() => setDeciding(null)}
        onSubmit={async (note) => {
          if (!deciding) return;
          await api.post(
            `/api/v1/ops/savings/applications/${encodeURIComponent(deciding.row.id)}/${deciding.verb}`,
            { note },
            { idempotencyKey: idempotencyKey() },
          );
          setDeciding(null);
          void message.success(t('done'));
          await queryClient.invalidateQueries({ queryKey: ['ops', 'savings', 'applications'] });
        }}
      />
    </Space>
  );
}

interface Found {
  userId: string;
  name: string;
  phone: string;
}

function Holder(props: { me: Me }) {
  const { t } = useSavingsOpsT();
  const navigate = useNavigate();
  const { userId } = useParams();
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [found, setFound] = useState<Found[] | null>(null);
  const search = async () => {
    setError(null);
    try {
      // The phone goes in the body, never in a URL that logs and proxies keep.
      const result = await api.post<{ items: Found[] }>('/api/v1/ops/customers/search', { phone: phone.trim() });
      setFound(result.items);
      if (result.items.length === 1) navigate(`/savings/holders/${result.items[0].userId}`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {can(props.me, 'customers.view') ? (
        <Form layout="inline" onFinish={search}>
          <Form.Item label={t('holderSearch')}>
            <Input
              aria-label={t('holderSearch')}
              value={phone}
              onChange={(event) => setPhone(event.target.value)}
              maxLength={20}
              style={{ width: 220 }}
              data-testid="holder-phone"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('search')}
          </Button>
        </Form>
      ) : null}
      <ErrorAlert error={error} />
      {found && !found.length ? <Empty description={t('holderNotFound')} /> : null}
      {found && found.length > 1 ? (
        <Space wrap>
          {found.map((f) => (
            <Button key={f.userId} onClick={() => navigate(`/savings/holders/${f.userId}`)}>
              {f.name} {f.phone}
            </Button>
          ))}
        </Space>
      ) : null}
      {userId ? <HolderHoldings userId={userId} /> : null}
    </Space>
  );
}

function HolderHoldings(props: { userId: string }) {
  const { t, english } = useSavingsOpsT();
  const view = useQuery({
    queryKey: ['ops', 'savings', 'holder', props.userId],
    queryFn: () => api.get<HolderView>(`/api/v1/ops/savings/holders/${encodeURIComponent(props.userId)}`),
  });
  const name = (text: Localized) => (english ? text.en : text.zh);
  if (view.error) return <ErrorAlert error={view.error} />;
  const v = view.data;
  if (!v) return <Card loading />;
  const a = v.assessment;
  const yesterday = v.holdings.funds.reduce((sum, f) => sum + f.yesterdayIncome, 0);
  const total = v.holdings.funds.reduce((sum, f) => sum + f.totalIncome, 0);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="holder-holdings">
      <Row gutter={16}>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('totalAssets')} value={money(v.holdings.totalAssets)} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('yesterdayIncome')} value={money(yesterday)} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic title={t('totalIncome')} value={money(total)} />
          </Card>
        </Col>
        <Col span={6}>
          <Card size="small">
            <Statistic
              title={t('assessment')}
              value={a ? `${a.level} ${name(a.levelName)}` : t('notAssessed')}
              valueStyle={{ fontSize: 20, color: a?.expired ? '#c8102e' : undefined }}
            />
            {a ? (
              <Typography.Text type={a.expired ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                {a.expired ? t('expired') : `${t('expiresAt')} ${when(a.expiresAt, english)}`}
              </Typography.Text>
            ) : null}
          </Card>
        </Col>
      </Row>
      <Typography.Text type="secondary">
        {t('customerId')} <Typography.Text code>{v.userId}</Typography.Text>
      </Typography.Text>
      <Card size="small" title={t('funds')}>
        <Table<FundHolding>
          rowKey="productId"
          size="small"
          pagination={false}
          dataSource={v.holdings.funds}
          locale={{ emptyText: t('none') }}
          columns={[
            { title: t('product'), render: (_, f) => `${name(f.name)} (${f.code})` },
            { title: t('shares'), dataIndex: 'shares', render: (x: number) => money(x) },
            { title: t('earningShares'), dataIndex: 'earningShares', render: (x: number) => money(x) },
            { title: t('pendingShares'), dataIndex: 'pendingShares', render: (x: number) => money(x) },
            { title: t('yesterdayIncome'), dataIndex: 'yesterdayIncome', render: (x: number) => money(x) },
            { title: t('totalIncome'), dataIndex: 'totalIncome', render: (x: number) => money(x) },
            { title: t('fastRemaining'), dataIndex: 'fastRedeemRemainingToday', render: (x: number) => money(x) },
          ]}
        />
      </Card>
      <Card size="small" title={t('deposits')}>
        <Table<Deposit>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={v.holdings.deposits}
          locale={{ emptyText: t('none') }}
          columns={[
            { title: t('product'), render: (_, d) => name(d.productName) },
            { title: t('principal'), dataIndex: 'principal', render: (x: number) => money(x) },
            { title: t('annualRate'), dataIndex: 'annualRatePct', render: (x: string) => pct(x) },
            { title: t('openedOn'), dataIndex: 'openedOn' },
            { title: t('maturesOn'), dataIndex: 'maturesOn' },
            { title: t('expectedInterest'), dataIndex: 'expectedInterest', render: (x: number) => money(x) },
            { title: t('maturityChoice'), dataIndex: 'maturityChoice', render: (x: string) => t(`maturity_${x}`) },
            { title: t('status'), dataIndex: 'status', render: (x: string) => t(`depositStatus_${x}`) },
          ]}
        />
      </Card>
      <Card size="small" title={t('recentOrders')}>
        <Table<Application>
          rowKey="id"
          size="small"
          pagination={{ pageSize: 10 }}
          dataSource={v.orders}
          columns={[
            { title: t('time'), dataIndex: 'createdAt', render: (x: string) => when(x, english) },
            { title: t('orderType'), dataIndex: 'type', render: (x: string) => t(`type_${x}`) },
            { title: t('product'), render: (_, o) => name(o.productName) },
            { title: t('amount'), dataIndex: 'amount', render: (x: number) => money(x) },
            { title: t('status'), dataIndex: 'status', render: (x: string) => <Tag>{t(`status_${x}`)}</Tag> },
            {
              title: t('riskAck'),
              dataIndex: 'riskAcknowledged',
              render: (x: boolean) => (x ? <Tag color="orange">{t('riskAckYes')}</Tag> : '—'),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
