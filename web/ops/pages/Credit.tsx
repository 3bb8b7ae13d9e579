import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Segmented,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import { api, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type Me, can, usePagedList } from '../api';
import { PendingApprovals } from '../approvals';
import { ErrorAlert, LoadMore, StatusTag } from '../components';
import { OPS_CREDIT, type StaffApplication } from '../credit-api';
import { useCreditOpsT } from '../credit-i18n';
import { money, when } from '../format';
import { Disputes, Scorecards } from './CreditDisputes';
import { LoanBook, Overdue } from './CreditLoans';

/**
 * Credit in the console: the queue of referred applications with every input of the decision
 * (and the score's make-up), decided by staff (above ¥50,000 by two: maker-checker); the loan
 * book; the overdue list with contact history and write-off (maker-checker); bureau disputes.
 * Server: server/credit/routes-staff.ts.
 */
export default function CreditPage(props: { me: Me }) {
  return (
    <Routes>
      <Route index element={<CreditTabs me={props.me} />} />
      <Route path=":tab" element={<CreditTabs me={props.me} />} />
    </Routes>
  );
}

function CreditTabs(props: { me: Me }) {
  const { t } = useCreditOpsT();
  const navigate = useNavigate();
  const params = useParams();
  const active = params.tab ?? 'applications';
  const items = [
    { key: 'applications', label: t('tabApplications'), children: <Applications me={props.me} /> },
    { key: 'loans', label: t('tabLoans'), children: <LoanBook me={props.me} /> },
    { key: 'overdue', label: t('tabOverdue'), children: <Overdue me={props.me} /> },
    { key: 'disputes', label: t('tabDisputes'), children: <Disputes me={props.me} /> },
    { key: 'scorecards', label: t('tabScorecards'), children: <Scorecards /> },
  ];
  return (
    <Card title={t('creditTitle')}>
      {can(props.me, 'credit.decide') || can(props.me, 'credit.write_off') ? (
        <PendingApprovals
          me={props.me}
          kinds={['credit.referral_decision', 'credit.write_off']}
          title={t('creditApprovals')}
        />
      ) : null}
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/credit/${key === 'applications' ? '' : key}`)}
        items={items}
        destroyOnHidden
      />
    </Card>
  );
}

const APP_STATUSES = ['referred', 'approved', 'declined', 'signed', 'all'] as const;

function Applications(props: { me: Me }) {
  const { t, english } = useCreditOpsT();
  const [status, setStatus] = useState<string>('referred');
  const [open, setOpen] = useState<string | null>(null);
  const list = usePagedList<StaffApplication, { items: StaffApplication[]; nextBefore: string | null }>(
    ['ops', 'credit', 'applications', status],
    (before) => `${OPS_CREDIT}/applications${query({ status, before, limit: 50 })}`,
    (page) => page.nextBefore,
  );
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Segmented
        value={status}
        onChange={(value) => setStatus(String(value))}
        options={APP_STATUSES.map((s) => ({ value: s, label: t(`appStatus_${s}`) }))}
        data-testid="credit-app-status"
      />
      <ErrorAlert error={list.error} />
      <Table<StaffApplication>
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        data-testid="credit-applications"
        onRow={(row) => ({ onClick: () => setOpen(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          {
            title: t('applicant'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <span>{row.holder.name}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.holder.phone}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('productCol'), dataIndex: 'product', render: (v: string) => t(`product_${v}`) },
          { title: t('requested'), render: (_, row) => <Requested application={row} /> },
          {
            title: t('score'),
            render: (_, row) => (
              <Space direction="vertical" size={0}>
                <strong>{row.score ?? '—'}</strong>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.scorecardVersion}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('status'),
            render: (_, row) => (
              <StatusTag
                status={row.status === 'referred' ? 'pending' : row.status === 'declined' ? 'rejected' : 'approved'}
                label={t(`appStatus_${row.status}`)}
              />
            ),
          },
          {
            title: '',
            render: (_, row) => (
              <Button size="small" onClick={() => setOpen(row.id)} data-testid={`credit-app-${row.id}`}>
                {row.status === 'referred' && can(props.me, 'credit.decide') ? t('decide') : t('view')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      {open ? <ApplicationDrawer id={open} me={props.me} onClose={() => setOpen(null)} /> : null}
    </Space>
  );
}

const yuanToFen = (yuan: number | undefined) => (yuan === undefined ? undefined : yuan * 100);

function Requested(props: { application: StaffApplication }) {
  const { t } = useCreditOpsT();
  const r = props.application.requested;
  if (props.application.product === 'card') return <span>{`${t('inputIncome')} ${money(r.monthlyIncome)}`}</span>;
  return (
    <Space direction="vertical" size={0}>
      <span>
        {money(r.amount)} · {t('months', { count: r.termMonths ?? 0 })}
      </span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {r.method ? t(`method_${r.method}`) : ''} · {r.purpose ? t(`purpose_${r.purpose}`) : ''}
      </Typography.Text>
    </Space>
  );
}

/** One application: the scorecard's inputs, the bureau's, the score's make-up, reasons, reviews, and deciding. */
function ApplicationDrawer(props: { id: string; me: Me; onClose: () => void }) {
  const { t, english } = useCreditOpsT();
  const detail = useQuery({
    queryKey: ['ops', 'credit', 'application', props.id],
    queryFn: () => api.get<StaffApplication>(`${OPS_CREDIT}/applications/${encodeURIComponent(props.id)}`),
  });
  const a = detail.data;
  const i = a?.inputs;
  return (
    <Drawer open size="large" title={`${t('tabApplications')} · ${props.id}`} onClose={props.onClose} destroyOnHidden>
      <ErrorAlert error={detail.error} />
      {a && i ? (
        <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="credit-app-detail">
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('applicant')}>
              {a.holder.name} · {a.holder.phone}
            </Descriptions.Item>
            <Descriptions.Item label={t('holderId')}>{a.holder.userId}</Descriptions.Item>
            <Descriptions.Item label={t('productCol')}>{t(`product_${a.product}`)}</Descriptions.Item>
            <Descriptions.Item label={t('requested')}>
              <Requested application={a} />
            </Descriptions.Item>
            <Descriptions.Item label={t('score')}>
              <strong data-testid="credit-app-score">{a.score ?? '—'}</strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('scorecardVersion')}>{a.scorecardVersion}</Descriptions.Item>
            <Descriptions.Item label={t('outcome')}>
              {a.decision.outcome ? t(`outcome_${a.decision.outcome}`) : t('outcome_refer')}
            </Descriptions.Item>
            <Descriptions.Item label={t('status')}>{t(`appStatus_${a.status}`)}</Descriptions.Item>
          </Descriptions>
          <Row gutter={16}>
            <Col span={12}>
              <Descriptions title={t('decisionInputs')} column={1} size="small" bordered>
                <Descriptions.Item label={t('inputTier')}>{t(`tier_${i.tier}`)}</Descriptions.Item>
                <Descriptions.Item label={t('inputAccountAge')}>{i.accountAgeDays}</Descriptions.Item>
                <Descriptions.Item label={t('inputIncome')}>
                  {money(i.monthlyIncome ?? yuanToFen(i.monthlyIncomeYuan))}
                </Descriptions.Item>
                <Descriptions.Item label={t('inputBalance')}>
                  {money(i.walletBalance ?? yuanToFen(i.walletBalanceYuan))}
                </Descriptions.Item>
                {i.walletActivity !== undefined ? (
                  <Descriptions.Item label={t('inputActivity')}>{i.walletActivity}</Descriptions.Item>
                ) : null}
                {i.debtToIncomePct !== undefined ? (
                  <Descriptions.Item label={t('inputDti')}>{`${i.debtToIncomePct}%`}</Descriptions.Item>
                ) : null}
                <Descriptions.Item label={t('inputOnTime')}>{i.onTimeRepayments}</Descriptions.Item>
                <Descriptions.Item label={t('inputLate')}>{i.lateRepayments}</Descriptions.Item>
                <Descriptions.Item label={t('inputRiskFlags')}>
                  {Array.isArray(i.riskFlags)
                    ? i.riskFlags.length
                      ? i.riskFlags.map((f) => <Tag key={f}>{f}</Tag>)
                      : t('none')
                    : i.riskFlags || t('none')}
                </Descriptions.Item>
              </Descriptions>
            </Col>
            <Col span={12}>
              <Descriptions title={t('bureau')} column={1} size="small" bordered>
                <Descriptions.Item label={t('bureauScore')}>{i.bureau.score ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('bureauDebts')}>{money(i.bureau.debts)}</Descriptions.Item>
                <Descriptions.Item label={t('bureauMonthly')}>{money(i.bureau.monthlyDebtPayments)}</Descriptions.Item>
                <Descriptions.Item label={t('bureauOverdue')}>{i.bureau.overdueMonths24}</Descriptions.Item>
                <Descriptions.Item label={t('bureauInquiries')}>{i.bureau.inquiries3m}</Descriptions.Item>
                <Descriptions.Item label={t('bureauDefault')}>
                  {i.bureau.pastDefault ? <Tag color="red">✓</Tag> : '—'}
                </Descriptions.Item>
              </Descriptions>
            </Col>
          </Row>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('components')}
          </Typography.Title>
          <Table
            rowKey="factor"
            size="small"
            pagination={false}
            dataSource={a.components}
            columns={[
              {
                title: t('factor'),
                dataIndex: 'factor',
                render: (v: string) => {
                  const label = t(`factor_${v}`);
                  return label === `factor_${v}` ? v : label;
                },
              },
              { title: t('value'), dataIndex: 'value' },
              {
                title: t('points'),
                dataIndex: 'points',
                align: 'right',
                render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : undefined}>{v}</Typography.Text>,
              },
            ]}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('protectedNote')}
          </Typography.Text>
          {a.decision.reasons.length ? (
            <Alert
              type={a.decision.outcome === 'decline' ? 'error' : 'warning'}
              title={t('reasonsTitle')}
              description={
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {a.decision.reasons.map((r) => (
                    <li key={r.code}>{english ? r.text.en : r.text.zh}</li>
                  ))}
                </ul>
              }
            />
          ) : null}
          {a.reviews.length ? (
            <Table
              rowKey={(r) => `${r.by}-${r.at}`}
              size="small"
              pagination={false}
              dataSource={a.reviews}
              title={() => t('reviews')}
              columns={[
                { title: t('time'), dataIndex: 'at', render: (v: string) => when(v, english) },
                { title: t('requestedBy'), dataIndex: 'by' },
                { title: t('decide'), dataIndex: 'decision', render: (v: string) => t(`outcome_${v}`) },
                { title: t('limit'), dataIndex: 'limit', render: (v: number | null) => money(v) },
                { title: t('noteLabel'), dataIndex: 'note' },
                { title: t('approvalId'), dataIndex: 'approvalId', render: (v: string | null) => v ?? '—' },
              ]}
            />
          ) : null}
          {a.status === 'referred' && can(props.me, 'credit.decide') ? <DecideForm application={a} /> : null}
        </Space>
      ) : null}
    </Drawer>
  );
}

function DecideForm(props: { application: StaffApplication }) {
  const { t } = useCreditOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const a = props.application;
  const [form] = Form.useForm<{
    decision: 'approve' | 'decline';
    limitYuan?: number;
    annualRateBp?: number;
    note: string;
  }>();
  const decision = Form.useWatch('decision', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ application: StaffApplication; approval: { id: string } | null }>(
        `${OPS_CREDIT}/applications/${encodeURIComponent(a.id)}/decide`,
        {
          decision: values.decision,
          note: values.note.trim(),
          ...(values.decision === 'approve'
            ? {
                limit: Math.round((values.limitYuan ?? 0) * 100),
                ...(values.annualRateBp ? { annualRateBp: values.annualRateBp } : {}),
              }
            : {}),
        },
      );
      void message.success(answer.approval ? t('decidedPending') : t('decidedNow'));
      await queryClient.invalidateQueries({ queryKey: ['ops'] });
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const requestedYuan = a.requested.amount !== null ? Number(a.requested.amount) / 100 : undefined;
  return (
    <Card size="small" title={t('decide')} data-testid="credit-decide">
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: 'approve', limitYuan: requestedYuan, annualRateBp: a.offer?.annualRateBp }}
      >
        <Form.Item name="decision">
          <Radio.Group optionType="button" buttonStyle="solid">
            <Radio.Button value="approve">{t('decideApprove')}</Radio.Button>
            <Radio.Button value="decline">{t('decideDecline')}</Radio.Button>
          </Radio.Group>
        </Form.Item>
        {decision !== 'decline' ? (
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="limitYuan" label={t('limit')} rules={[{ required: true, type: 'number', min: 0.01 }]}>
                <InputNumber min={0.01} precision={2} style={{ width: '100%' }} data-testid="credit-decide-limit" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="annualRateBp" label={t('rateBp')}>
                <InputNumber min={1} max={2400} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
        <Form.Item name="note" label={t('noteLabel')} rules={[{ required: true, min: 2, whitespace: true }]}>
          <Input.TextArea rows={2} maxLength={500} showCount data-testid="credit-decide-note" />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('decideHint')}</Typography.Paragraph>
        {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="credit-decide-submit">
          {t('confirm')}
        </Button>
      </Form>
    </Card>
  );
}
