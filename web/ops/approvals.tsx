import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, query } from '../shared/api';
import { type Me, useStaffNames } from './api';
import { ErrorAlert, ReasonModal } from './components';
import { money, when } from './format';
import { useOpsT } from './i18n';
import { label } from './labels';
import { detailPairs, thresholdSentence } from './rule-text';

/**
 * Requests waiting for a second person (maker-checker, server/approvals): manual tier changes,
 * weakening a risk rule, money moved through the operator API. Shown on the page where each
 * action belongs; the server lists only the kinds the signed-in role may decide.
 */

export interface Approval {
  id: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  payload: Record<string, unknown>;
  reason: string;
  requestedByKind: string;
  requestedBy: string;
  status: string;
  createdAt: string;
}

/** A weakened setting ("minAmountFen", "action", "disabled") in words. */
function weakenedLabel(what: string, english: boolean): string {
  const key = what.replace(/^thresholds\./, '');
  if (key === 'action') return english ? 'action' : '处置方式';
  if (key === 'disabled') return english ? 'switched off' : '停用';
  return detailPairs({ [key]: '' }, english).replace(/[:：]\s*$/, '');
}

/** What is asked for, in a line: the tier, the rule's new settings, or the movement. */
function Change(props: { approval: Approval }) {
  const { t, english } = useOpsT();
  const p = props.approval.payload;
  if (props.approval.kind === 'kyc.tier_change')
    return <span>{`${t(`tier_${p.fromTier}`)} → ${t(`tier_${p.tier}`)}`}</span>;
  if (props.approval.kind === 'risk.rule_change') {
    const weakens = (p.weakens as string[] | undefined) ?? [];
    return (
      <Space direction="vertical" size={0}>
        <span>
          {`${label('rule', props.approval.subjectId, english)} · `}
          {p.enabled === false
            ? t('ruleDisabled')
            : `${t('action')}: ${label('riskAction', String(p.action), english)}`}
        </span>
        {p.thresholds !== undefined && (
          <Typography.Text style={{ fontSize: 12 }} data-testid="rule-sentence">
            {thresholdSentence(props.approval.subjectId, p.thresholds, english)}
          </Typography.Text>
        )}
        {weakens.length > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {`${english ? 'Weaker' : '放宽'}: ` +
              weakens.map((w) => weakenedLabel(w, english)).join(english ? ', ' : '、')}
          </Typography.Text>
        )}
      </Space>
    );
  }
  if (props.approval.kind === 'savings.product_change') {
    const changes = Object.entries((p.changes as Record<string, unknown> | undefined) ?? {}).map(([key, value]) =>
      value && typeof value === 'object'
        ? `${key}: ${JSON.stringify(value).slice(0, 60)}`
        : /Amount$|Threshold$/.test(key) && typeof value === 'number'
          ? `${key}: ${money(value)}`
          : `${key}: ${String(value)}`,
    );
    return (
      <Space direction="vertical" size={0}>
        <span>
          {p.newProduct ? <Tag color="green">{t('approval_savings.product_create')}</Tag> : null}
          {String(p.productId)}
        </span>
        <Typography.Text style={{ fontSize: 12 }}>{changes.join(' · ')}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {`${t('effectiveFrom')} ${when(String(p.effectiveAt), english)}`}
        </Typography.Text>
      </Space>
    );
  }
  if (props.approval.kind === 'credit.referral_decision' || props.approval.kind === 'credit.write_off') {
    // Credit: the decision and limit asked for a referred application, or the loan to write off.
    const parts = [
      p.decision ? String(p.decision) : null,
      typeof p.limit === 'number' ? money(p.limit) : null,
      typeof p.annualRateBp === 'number' ? `${(p.annualRateBp / 100).toFixed(2)}%` : null,
      typeof p.outstanding === 'number' ? money(p.outstanding) : null,
      p.note ? String(p.note) : null,
    ].filter(Boolean);
    return (
      <Space direction="vertical" size={0}>
        <span>{String(p.applicationId ?? p.loanId ?? props.approval.subjectId)}</span>
        <Typography.Text style={{ fontSize: 12 }}>{parts.join(' · ')}</Typography.Text>
      </Space>
    );
  }
  return (
    <Typography.Text code>{`${String(p.type)} ${JSON.stringify(p.legs ?? p.holdId ?? p.entryId)}`}</Typography.Text>
  );
}

export function PendingApprovals(props: { me: Me; kinds: string[]; title?: string }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [deciding, setDeciding] = useState<{ approval: Approval; verb: 'approve' | 'reject' } | null>(null);
  const staffName = useStaffNames();
  const key = ['ops', 'approvals', props.kinds.join(',')];
  const list = useQuery({
    queryKey: key,
    queryFn: async () => {
      const pages = await Promise.all(
        props.kinds.map((kind) =>
          api.get<{ items: Approval[] }>(`/api/v1/staff/approvals${query({ kind, status: 'pending', limit: 50 })}`),
        ),
      );
      return pages.flatMap((page) => page.items).sort((a, b) => (a.id < b.id ? 1 : -1));
    },
  });
  return (
    <Card
      size="small"
      title={props.title ?? t('pendingApprovals')}
      style={{ marginBottom: 16 }}
      data-testid="pending-approvals"
    >
      <ErrorAlert error={list.error} />
      <Table<Approval>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noPendingApprovals')} /> }}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          { title: t('approvalKind'), dataIndex: 'kind', render: (v: string) => <Tag>{t(`approval_${v}`)}</Tag> },
          {
            title: t('approvalSubject'),
            render: (_, row) =>
              row.subjectType === 'risk_rule' ? label('rule', row.subjectId, english) : (row.subjectId ?? '—'),
          },
          { title: t('approvalChange'), render: (_, row) => <Change approval={row} /> },
          { title: t('reason'), dataIndex: 'reason' },
          {
            title: t('requestedBy'),
            render: (_, row) =>
              row.requestedBy === props.me.staffId
                ? t('requestedByMe')
                : row.requestedByKind === 'staff'
                  ? staffName(row.requestedBy)
                  : `${label('actorKind', row.requestedByKind, english)} ${row.requestedBy}`,
          },
          {
            title: '',
            render: (_, row) =>
              row.requestedBy === props.me.staffId && row.requestedByKind === 'staff' ? (
                <Typography.Text type="secondary">{t('waitingForSecond')}</Typography.Text>
              ) : (
                <Space>
                  <Button size="small" type="primary" onClick={() => setDeciding({ approval: row, verb: 'approve' })}>
                    {t('approve')}
                  </Button>
                  <Button size="small" danger onClick={() => setDeciding({ approval: row, verb: 'reject' })}>
                    {t('reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      <ReasonModal
        open={deciding !== null}
        title={deciding?.verb === 'reject' ? t('reject') : t('approve')}
        label={t('note')}
        danger={deciding?.verb === 'reject'}
        minLength={2}
        onCancel={() => setDeciding(null)}
        onSubmit={async (note) => {
          if (!deciding) return;
          await api.post(`/api/v1/staff/approvals/${deciding.approval.id}/${deciding.verb}`, { note });
          setDeciding(null);
          void message.success(t('done'));
          await queryClient.invalidateQueries({ queryKey: ['ops'] });
        }}
      />
    </Card>
  );
}

const TIERS = ['basic', 'verified', 'full'] as const;

/** A reviewer asks to move a holder to another tier; it waits for a second reviewer. */
export function TierChangeButton(props: { userId: string; tier: string }) {
  const { t } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [tier, setTier] = useState<string>(props.tier === 'full' ? 'verified' : 'full');
  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="change-tier">
        {t('changeTier')}
      </Button>
      <ReasonModal
        open={open}
        title={
          <Space>
            {t('changeTier')}
            <Select
              size="small"
              value={tier}
              onChange={setTier}
              style={{ minWidth: 120 }}
              options={TIERS.filter((x) => x !== props.tier).map((x) => ({ value: x, label: t(`tier_${x}`) }))}
            />
          </Space>
        }
        onCancel={() => setOpen(false)}
        onSubmit={async (reason) => {
          await api.post(`/api/v1/staff/users/${props.userId}/tier`, { tier, reason });
          setOpen(false);
          void message.success(t('tierChangeRequested'));
          await queryClient.invalidateQueries({ queryKey: ['ops', 'approvals'] });
        }}
      />
    </>
  );
}
