import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api, query } from '../../shared/api';
import { type Me, can } from '../api';
import { OPS_CREDIT } from '../credit-api';
import { useOpsT } from '../i18n';
import { formatFen } from '../../shared/money';
import type { Dashboard } from '../support-api';

interface Figure {
  count: number;
  amount: number;
  currency: string;
}
interface Volumes {
  day: string;
  payments: Figure;
  transfers: Figure;
  topups: Figure;
  withdrawals: Figure;
}
const VOLUME_NAMES = ['payments', 'transfers', 'topups', 'withdrawals'] as const;

/** How many wait in a queue: the length of one page of up to 100, "100+" when there are more. */
type Page = { items: unknown[] } & Record<string, unknown>;

function useQueueCount(key: string, url: string, enabled: boolean, more: (page: Page) => boolean) {
  return useQuery({
    queryKey: ['ops', 'overview', key],
    enabled,
    queryFn: async () => {
      const page = await api.get<Page>(url);
      return more(page) ? `${page.items.length}+` : String(page.items.length);
    },
  });
}

/**
 * The console's first page: what waits for the signed-in staff member's roles (verification,
 * risk alerts, complaints and tickets, referred credit applications), complaint deadlines
 * breached, today's ticket volume, and (for risk analysts and admins) today's money volumes in
 * Beijing time. Each queue figure opens its queue; figures a role may not see are not shown.
 */
export default function OverviewPage(props: { me: Me }) {
  const { english } = useOpsT();
  const navigate = useNavigate();
  const words = english ? EN : ZH;
  const kyc = useQueueCount(
    'kyc',
    `/api/v1/staff/kyc/submissions${query({ status: 'queue', limit: 100 })}`,
    can(props.me, 'kyc.review'),
    (page) => page.nextCursor !== null,
  );
  const risk = useQueueCount(
    'risk',
    `/api/v1/staff/risk/alerts${query({ status: 'open', limit: 100 })}`,
    can(props.me, 'risk.alerts'),
    (page) => page.items.length === 100,
  );
  const credit = useQueueCount(
    'credit',
    `${OPS_CREDIT}/applications${query({ status: 'referred', limit: 100 })}`,
    can(props.me, 'credit.view'),
    (page) => page.nextBefore !== null && page.nextBefore !== undefined,
  );
  const support = useQuery({
    queryKey: ['ops', 'overview', 'support'],
    enabled: can(props.me, 'support.view'),
    queryFn: () => api.get<Dashboard>(`/api/v1/staff/support/dashboard${query({ days: 1 })}`),
  });
  const volumes = useQuery({
    queryKey: ['ops', 'overview', 'volumes'],
    enabled: can(props.me, 'volumes.view'),
    queryFn: () => api.get<Volumes>('/api/v1/ops/overview/volumes'),
  });
  const tiles: { key: string; title: string; value: string | number | undefined; to: string; alarm?: boolean }[] = [];
  if (can(props.me, 'kyc.review')) tiles.push({ key: 'kyc', title: words.kyc, value: kyc.data, to: '/kyc' });
  if (can(props.me, 'risk.alerts')) tiles.push({ key: 'risk', title: words.risk, value: risk.data, to: '/risk' });
  if (support.data) {
    tiles.push({ key: 'tickets', title: words.tickets, value: support.data.open, to: '/support' });
    tiles.push({
      key: 'complaints',
      title: words.complaints,
      value: support.data.sla.complaintsOpen,
      to: '/support',
    });
    tiles.push({
      key: 'breached',
      title: words.breached,
      value: support.data.sla.breached,
      to: '/support',
      alarm: support.data.sla.breached > 0,
    });
    tiles.push({
      key: 'today',
      title: words.today,
      value: support.data.daily.at(-1)?.opened ?? 0,
      to: '/support',
    });
  }
  if (can(props.me, 'credit.view'))
    tiles.push({ key: 'credit', title: words.credit, value: credit.data, to: '/credit' });
  return (
    <Card title={words.title}>
      <Typography.Paragraph type="secondary">{words.hint}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {tiles.map((tile) => (
          <Col key={tile.key} xs={24} sm={12} lg={8} xl={6}>
            <Card
              hoverable
              size="small"
              onClick={() => navigate(tile.to)}
              data-testid={`overview-${tile.key}`}
              role="link"
              tabIndex={0}
              onKeyDown={(event) => event.key === 'Enter' && navigate(tile.to)}
            >
              <Statistic
                title={tile.title}
                value={tile.value ?? '…'}
                valueStyle={tile.alarm ? { color: '#c8102e' } : undefined}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {can(props.me, 'volumes.view') ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {words.volumes}
            {volumes.data ? ` · ${volumes.data.day}` : ''}
          </Typography.Title>
          <Row gutter={[16, 16]}>
            {VOLUME_NAMES.map((name) => (
              <Col key={name} xs={24} sm={12} lg={6}>
                <Card size="small" data-testid={`volume-${name}`}>
                  <Statistic
                    title={words[name]}
                    value={volumes.data ? formatFen(volumes.data[name].amount) : '…'}
                    suffix={
                      volumes.data ? (
                        <Typography.Text type="secondary" style={{ fontSize: 14 }}>
                          {words.count(volumes.data[name].count)}
                        </Typography.Text>
                      ) : null
                    }
                  />
                </Card>
              </Col>
            ))}
          </Row>
        </>
      ) : null}
    </Card>
  );
}

const ZH = {
  title: '工作概览',
  hint: '您的角色需要处理的事项。点击数字进入对应队列。',
  kyc: '待审核的实名认证',
  risk: '待处理的风险预警',
  tickets: '待处理的工单',
  complaints: '处理中的投诉',
  breached: '已超时的投诉',
  today: '今日新工单',
  credit: '待人工审批的信贷申请',
  volumes: '今日资金（北京时间）',
  payments: '商户付款',
  transfers: '转账',
  topups: '充值',
  withdrawals: '提现',
  count: (n: number) => `${n} 笔`,
};

const EN: typeof ZH = {
  title: 'Overview',
  hint: 'What waits for your roles. Open a figure to go to its queue.',
  kyc: 'Verifications to review',
  risk: 'Open risk alerts',
  tickets: 'Open tickets',
  complaints: 'Complaints in progress',
  breached: 'Complaints past their deadline',
  today: 'Tickets opened today',
  credit: 'Credit applications referred to staff',
  volumes: "Today's money (Beijing time)",
  payments: 'Payments to merchants',
  transfers: 'Transfers',
  topups: 'Top-ups',
  withdrawals: 'Withdrawals',
  count: (n: number) => (n === 1 ? '1 movement' : `${n} movements`),
};
