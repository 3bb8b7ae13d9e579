import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert as AntAlert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { REASON_TEXT } from '../../../server/risk/text';
import { api, idempotencyKey, query } from '../../shared/api';
import { type Alert, type Me, can, usePagedList, useStaffNames } from '../api';
import { PendingApprovals } from '../approvals';
import { ErrorAlert, LoadMore, ReasonModal, StatusTag } from '../components';
import { money, when } from '../format';
import { useOpsT } from '../i18n';
import { label } from '../labels';
import { detailPairs } from '../rule-text';

interface AlertDetail {
  alert: Alert;
  holder: { userId: string; name: string; phone: string; tier: string; frozen: boolean } | null;
  assessment: {
    reasons?: { rule: string; code: string; [k: string]: unknown }[];
    outcome?: string;
    amount?: number;
    channel?: string;
    payee_display?: string;
  } | null;
  hold: {
    riskHoldId: string;
    amountFen: number;
    currency: string;
    payeeDisplay: string;
    status: string;
    channel: string;
    expiresAt: string;
  } | null;
  recent: { id: string; channel: string; amount: number; payee_display: string; outcome: string; created_at: string }[];
  restriction: { reasonZh: string; reasonEn: string } | null;
}

// liftFalsePositive is a lift that says the restriction should never have been set (credit then
// treats what it got in the way of as our own fault).
const RESOLUTIONS = ['release', 'void', 'freeze', 'lift', 'liftFalsePositive', 'dismiss'] as const;
type Resolution = (typeof RESOLUTIONS)[number];
const LABEL: Record<Resolution, string> = {
  release: 'release',
  void: 'void',
  freeze: 'freezeWallet',
  lift: 'lift',
  liftFalsePositive: 'liftFalsePositive',
  dismiss: 'dismiss',
};

export default function RiskPage(props: { me: Me }) {
  const { t, english } = useOpsT();
  const [status, setStatus] = useState<'open' | 'claimed' | 'resolved'>('open');
  const [openId, setOpenId] = useState<string | null>(null);
  const list = usePagedList<Alert, { items: Alert[]; nextBefore: string | null }>(
    ['ops', 'risk', status],
    (before) => `/api/v1/staff/risk/alerts${query({ status, before, limit: 50 })}`,
    (page) => page.nextBefore,
  );
  const statusLabel = { open: t('statusOpen'), claimed: t('statusClaimed'), resolved: t('statusResolved') };
  return (
    <Card title={t('nav_risk')} extra={<Button onClick={() => list.refetch()}>{t('refresh')}</Button>}>
      {can(props.me, 'risk.rules') && (
        <PendingApprovals me={props.me} kinds={['risk.rule_change', 'ledger.operator_movement']} />
      )}
      <Segmented
        value={status}
        onChange={(value) => setStatus(value as typeof status)}
        options={(['open', 'claimed', 'resolved'] as const).map((s) => ({ value: s, label: statusLabel[s] }))}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={list.error} />
      <Table<Alert>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        onRow={(row) => ({ onClick: () => setOpenId(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          {
            title: t('alertKind'),
            dataIndex: 'kind',
            render: (v: string) => <Tag data-testid="alert-kind">{label('alertKind', v, english)}</Tag>,
          },
          {
            title: t('holder'),
            dataIndex: 'holderName',
            render: (v: string | null | undefined) => <span data-testid="alert-holder">{v ?? '—'}</span>,
          },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string) => <StatusTag status={v} label={statusLabel[v as keyof typeof statusLabel]} />,
          },
          {
            title: t('resolution'),
            dataIndex: 'resolution',
            render: (v: string | null) => label('resolution', v, english),
          },
          {
            title: '',
            render: (_, row) => (
              <Button size="small" onClick={() => setOpenId(row.id)}>
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      {openId && <AlertDrawer id={openId} me={props.me} onClose={() => setOpenId(null)} />}
    </Card>
  );
}

function AlertDrawer(props: { id: string; me: Me; onClose: () => void }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [resolution, setResolution] = useState<Resolution | null>(null);
  const [claimError, setClaimError] = useState<unknown>(null);
  const staffName = useStaffNames();
  const detail = useQuery({
    queryKey: ['ops', 'risk', 'detail', props.id],
    queryFn: () => api.get<AlertDetail>(`/api/v1/staff/risk/alerts/${props.id}`),
  });
  const data = detail.data;
  const alert = data?.alert;
  const mine = alert?.status === 'claimed' && alert.claimedBy === props.me.staffId;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['ops', 'risk'] });
  const available = RESOLUTIONS.filter((r) =>
    r === 'release' || r === 'void'
      ? data?.hold?.status === 'held' || data?.hold?.status === 'pending'
      : r === 'lift' || r === 'liftFalsePositive'
        ? data?.restriction !== null
        : r === 'freeze'
          ? !data?.holder?.frozen
          : true,
  );
  return (
    <Drawer
      open
      size="large"
      title={`${t('nav_risk')} · ${alert ? label('alertKind', alert.kind, english) : ''}`}
      onClose={props.onClose}
      destroyOnHidden
    >
      <ErrorAlert error={detail.error} />
      <ErrorAlert error={claimError} />
      {data && alert && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('alertKind')}>{label('alertKind', alert.kind, english)}</Descriptions.Item>
            <Descriptions.Item label={t('status')}>
              <StatusTag
                status={alert.status}
                label={t(`status${alert.status[0].toUpperCase()}${alert.status.slice(1)}`)}
              />
            </Descriptions.Item>
            {data.holder && (
              <Descriptions.Item label={t('holder')}>
                {data.holder.name} · {data.holder.phone} · {t(`tier_${data.holder.tier}`)}{' '}
                {data.holder.frozen && <Tag color="red">{t('frozen')}</Tag>}
              </Descriptions.Item>
            )}
            {data.hold && (
              <Descriptions.Item label={t('amount')}>
                <span data-testid="risk-hold">
                  {`${money(data.hold.amountFen)} → ${data.hold.payeeDisplay}`}
                  {english
                    ? ` (${label('channel', data.hold.channel, true)}, ${label('holdStatus', data.hold.status, true)})`
                    : `（${label('channel', data.hold.channel, false)}，${label('holdStatus', data.hold.status, false)}）`}
                </span>
              </Descriptions.Item>
            )}
            {alert.resolution && (
              <Descriptions.Item label={t('resolution')}>
                {`${label('resolution', alert.resolution, english)} · ${alert.resolutionNote ?? ''}`}
              </Descriptions.Item>
            )}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('reasons')}</Typography.Title>
            <ul>
              {(data.assessment?.reasons ?? []).map((reason, i) => (
                <li key={i}>
                  <Tag data-testid="reason-rule">{label('rule', reason.rule, english)}</Tag>
                  {(english
                    ? REASON_TEXT[reason.rule as keyof typeof REASON_TEXT]?.en
                    : REASON_TEXT[reason.rule as keyof typeof REASON_TEXT]?.zh) ?? reason.code}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {detailPairs((reason as { details?: unknown }).details, english)}
                    </Typography.Text>
                  </div>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <Typography.Title level={5}>{t('activity')}</Typography.Title>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.recent}
              columns={[
                { title: t('time'), dataIndex: 'created_at', render: (v: string) => when(v, english) },
                { title: t('kind'), dataIndex: 'channel', render: (v: string) => label('channel', v, english) },
                { title: t('amount'), dataIndex: 'amount', align: 'right', render: (v: number) => money(v) },
                { title: t('holder'), dataIndex: 'payee_display' },
                { title: t('resolution'), dataIndex: 'outcome', render: (v: string) => label('outcome', v, english) },
              ]}
            />
          </div>
          {alert.status === 'open' && (
            <Button
              type="primary"
              onClick={async () => {
                setClaimError(null);
                try {
                  await api.post(`/api/v1/staff/risk/alerts/${props.id}/claim`);
                  await refresh();
                } catch (error) {
                  setClaimError(error);
                }
              }}
            >
              {t('claim')}
            </Button>
          )}
          {mine && (
            <Space wrap>
              {available.map((r) => (
                <Button
                  key={r}
                  danger={r === 'void' || r === 'freeze'}
                  type={r === 'release' ? 'primary' : 'default'}
                  onClick={() => setResolution(r)}
                  data-testid={`resolve-${r}`}
                >
                  {t(LABEL[r])}
                </Button>
              ))}
            </Space>
          )}
          {alert.status === 'claimed' && !mine && (
            <AntAlert type="info" showIcon title={`${t('claimedBy')} ${staffName(alert.claimedBy)}`} />
          )}
        </Space>
      )}
      <ReasonModal
        open={resolution !== null}
        title={resolution ? t(LABEL[resolution]) : ''}
        label={t('note')}
        danger={resolution === 'void' || resolution === 'freeze'}
        onCancel={() => setResolution(null)}
        onSubmit={async (note) => {
          await api.post(
            `/api/v1/staff/risk/alerts/${props.id}/resolve`,
            resolution === 'liftFalsePositive'
              ? { resolution: 'lift', note, falsePositive: true }
              : { resolution, note },
            { idempotencyKey: idempotencyKey() },
          );
          setResolution(null);
          void message.success(t('done'));
          await refresh();
        }}
      />
    </Drawer>
  );
}
