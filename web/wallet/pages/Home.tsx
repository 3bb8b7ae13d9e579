import { useQuery } from '@tanstack/react-query';
import { Badge, List, NoticeBar, Tag } from 'antd-mobile';
import {
  BankcardOutline,
  BellOutline,
  BillOutline,
  CheckShieldOutline,
  EyeInvisibleOutline,
  EyeOutline,
  LockOutline,
  ReceivePaymentOutline,
  ScanningOutline,
  UserOutline,
  TransportQRcodeOutline,
  UserContactOutline,
  PieOutline,
  HistogramOutline,
  FolderOutline,
  CollectMoneyOutline,
  ReceiptOutline,
  DownlandOutline,
} from 'antd-mobile-icons';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { setLanguage } from '../../shared/i18n';
import { formatFen, toFen } from '../../shared/money';
import { TabLayout } from '../components/TabLayout';
import { FEATURE_ROUTES } from '../features';
import { useBalance } from '../balance';
import { formatDateTime } from '../format';
import { useHeld, useIncomingRequests, usePendingPayments } from '../pending';
import { useMe } from '../session';
import { useBillsDue } from '../bills-api';
import { useCreditCards, useLoans } from '../credit-api';
import { HomeBudget } from './insights/BudgetBar';
import { NextSteps } from './NextSteps';
import { RecentRecords } from './RecentRecords';

interface Announcement {
  id: string;
  feature: string;
  active: boolean;
  title: string;
  message: string;
  startsAt: string;
  endsAt: string;
}

const HIDE_KEY = 'tb_hide_balance';

function Tile(props: { to: string; icon: ReactNode; label: string; testId: string }) {
  return (
    <Link to={props.to} className="tb-tile" data-testid={props.testId}>
      <span className="tb-tile-icon" aria-hidden>
        {props.icon}
      </span>
      <span className="tb-tile-label">{props.label}</span>
    </Link>
  );
}

export function HomePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const balance = useBalance();
  const [hidden, setHidden] = useState(() => localStorage.getItem(HIDE_KEY) === '1');
  const announcements = useQuery({
    queryKey: ['announcements', i18n.language],
    queryFn: () => api.get<{ items: Announcement[] }>('/api/v1/announcements'),
    staleTime: 60_000,
  });
  const notifications = useQuery({
    queryKey: ['notifications', 'unread'],
    queryFn: () => api.get<{ unread: number }>('/api/v1/notifications?limit=1'),
  });

  const toggleHidden = () => {
    localStorage.setItem(HIDE_KEY, hidden ? '0' : '1');
    setHidden(!hidden);
  };
  const show = (fen: number | string | undefined) => (hidden ? '****' : fen === undefined ? '—' : formatFen(fen));

  return (
    <TabLayout>
      <div className="tb-home-top">
        <div className="tb-home-bar">
          <div className="tb-brand">
            <span className="tb-brand-mark" aria-hidden>
              通
            </span>
            <span>{t('app.name')}</span>
          </div>
          <div className="tb-home-actions">
            <button
              type="button"
              className="tb-lang"
              onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
              aria-label={t('common.switchLanguage')}
            >
              {i18n.language === 'en' ? '中文' : 'EN'}
            </button>
            <button
              type="button"
              className="tb-icon-button tb-on-brand"
              aria-label={t('home.notifications', { count: notifications.data?.unread ?? 0 })}
              onClick={() => navigate('/notifications')}
            >
              <Badge content={notifications.data?.unread ? notifications.data.unread : null}>
                <BellOutline fontSize={22} />
              </Badge>
            </button>
          </div>
        </div>
        <section className="tb-balance-card" aria-labelledby="balance-label">
          <div className="tb-balance-head">
            <span id="balance-label">{t('home.balance')}</span>
            <button
              type="button"
              className="tb-icon-button"
              onClick={toggleHidden}
              aria-pressed={hidden}
              aria-label={hidden ? t('home.showBalance') : t('home.hideBalance')}
            >
              {hidden ? <EyeInvisibleOutline /> : <EyeOutline />}
            </button>
            {me.data?.frozen ? (
              <Tag color="danger" fill="solid" className="tb-frozen-tag">
                {t('home.frozen')}
              </Tag>
            ) : null}
          </div>
          <div className="tb-balance" data-testid="balance">
            {balance.isPending ? '…' : show(balance.data?.balance)}
          </div>
          <div className="tb-balance-sub">
            {t('home.available')}{' '}
            <span data-testid="available">{balance.isPending ? '…' : show(balance.data?.available)}</span>
          </div>
          <div className="tb-balance-buttons">
            <Link to={FEATURE_ROUTES.topUp} className="tb-ghost-button">
              {t('tiles.topUp')}
            </Link>
            <Link to={FEATURE_ROUTES.withdraw} className="tb-ghost-button">
              {t('tiles.withdraw')}
            </Link>
          </div>
        </section>
      </div>

      <PendingConfirmations />

      {announcements.data?.items.length ? (
        <div className="tb-announcements" role="status" data-testid="announcements">
          {announcements.data.items.map((item) => (
            <NoticeBar
              key={item.id}
              color={item.active ? 'alert' : 'info'}
              wrap
              content={
                <>
                  <strong>{item.title}</strong> {item.message}{' '}
                  <span className="tb-notice-time">
                    {item.active
                      ? t('home.maintenanceUntil', { time: formatDateTime(item.endsAt) })
                      : t('home.maintenanceFrom', {
                          from: formatDateTime(item.startsAt),
                          to: formatDateTime(item.endsAt),
                        })}
                  </span>
                </>
              }
            />
          ))}
        </div>
      ) : null}

      {me.data && !me.data.pinSet ? (
        <Link to="/security/pin" className="tb-callout" data-testid="set-pin-callout">
          <CheckShieldOutline aria-hidden /> {t('home.setPinCallout')}
        </Link>
      ) : null}

      <nav className="tb-tiles" aria-label={t('home.services')}>
        <Tile to={FEATURE_ROUTES.scan} icon={<ScanningOutline />} label={t('tiles.scan')} testId="tile-scan" />
        <Tile
          to={FEATURE_ROUTES.payCode}
          icon={<TransportQRcodeOutline />}
          label={t('tiles.payCode')}
          testId="tile-paycode"
        />
        <Tile to={FEATURE_ROUTES.transfer} icon={<UserOutline />} label={t('tiles.transfer')} testId="tile-transfer" />
        <Tile
          to="/requests?box=new"
          icon={<ReceivePaymentOutline />}
          label={t('tiles.receive')}
          testId="tile-receive"
        />
        <Tile to={FEATURE_ROUTES.receive} icon={<DownlandOutline />} label={t('funding.tile')} testId="tile-bank-in" />
        <Tile to={FEATURE_ROUTES.cards} icon={<BankcardOutline />} label={t('tiles.cards')} testId="tile-cards" />
        <Tile to={FEATURE_ROUTES.bills} icon={<BillOutline />} label={t('bills.tile')} testId="tile-bills" />
        <Tile to={FEATURE_ROUTES.verify} icon={<UserContactOutline />} label={t('tiles.verify')} testId="tile-verify" />
        <Tile to="/security" icon={<LockOutline />} label={t('tiles.security')} testId="tile-security" />
        <Tile to={FEATURE_ROUTES.savings} icon={<PieOutline />} label={t('savings.tile')} testId="tile-savings" />
        <Tile
          to={FEATURE_ROUTES.insights}
          icon={<HistogramOutline />}
          label={t('insights.tile')}
          testId="tile-insights"
        />
        <Tile
          to={FEATURE_ROUTES.assets}
          icon={<FolderOutline />}
          label={t('insights.assetsTile')}
          testId="tile-assets"
        />
        <Tile
          to={FEATURE_ROUTES.credit}
          icon={<CollectMoneyOutline />}
          label={t('credit.loanTile')}
          testId="tile-credit"
        />
        <Tile
          to={FEATURE_ROUTES.creditCard}
          icon={<ReceiptOutline />}
          label={t('credit.cardTile')}
          testId="tile-credit-card"
        />
      </nav>

      <HomeBudget />
      <CreditDue />
      <BillsDue />
      <NextSteps />
      <RecentRecords />
    </TabLayout>
  );
}

/** "Was this you?" holds and merchant charges waiting for the holder, shown above everything else. */
function PendingConfirmations() {
  const { t } = useTranslation();
  const held = useHeld();
  const payments = usePendingPayments();
  const requests = useIncomingRequests();
  const items = [
    ...(held.data?.items ?? []).map((item) => ({
      id: item.id,
      to: `/held/${item.id}`,
      amount: item.amount,
      who: item.payeeDisplay,
      title: t('home.pendingTitle'),
    })),
    ...(payments.data?.items ?? [])
      .filter((p) => p.confirmationId)
      .map((p) => ({
        id: p.id,
        to: `/pending/${p.id}`,
        amount: p.amount,
        who: p.merchantName ?? '',
        title: t('home.chargeTitle'),
      })),
    ...(requests.data?.items ?? [])
      .filter((r) => r.status === 'pending')
      .map((r) => ({
        id: r.id,
        to: '/requests',
        amount: r.amount,
        who: r.counterparty.name,
        title: t('home.requestTitle'),
      })),
  ];
  if (!items.length) return null;
  return (
    <div className="tb-pending" role="alert" data-testid="pending">
      {items.map((item) => (
        <Link key={item.id} to={item.to} className="tb-pending-item">
          <strong>{item.title}</strong>
          <span>
            {formatFen(item.amount)} · {item.who}
          </span>
        </Link>
      ))}
    </div>
  );
}

/** What is due on the saved bill accounts (生活缴费): a line per bill, overdue ones first, each to its account. */
function BillsDue() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const due = useBillsDue();
  if (!due.data?.count) return null;
  const english = i18n.language === 'en';
  const items = [...due.data.items].sort((a, b) => Number(b.bill.overdue) - Number(a.bill.overdue)).slice(0, 3);
  return (
    <section className="tb-section" aria-labelledby="bills-due-title" data-testid="home-bills-due">
      <div className="tb-section-head">
        <h2 id="bills-due-title" className="tb-section-title">
          {t('bills.homeDue', { count: due.data.count, amount: formatFen(due.data.total) })}
        </h2>
        <Link to="/bills">{t('bills.title')}</Link>
      </div>
      <List>
        {items.map((item) => (
          <List.Item
            key={item.bill.billRef}
            onClick={() => navigate(`/bills/accounts/${encodeURIComponent(item.savedAccountId)}`)}
            description={`${english ? item.billerNameEn : item.billerName} · ${item.bill.period}`}
            extra={
              <span className={item.bill.overdue ? 'tb-error-text' : undefined}>
                {formatFen(item.bill.total)}
                <br />
                <small>
                  {item.bill.overdue ? t('bills.overdue') : t('bills.dueOn', { date: item.bill.dueDate.slice(5) })}
                </small>
              </span>
            }
          >
            {item.label} · {t(`bills.types.${item.billerType}`, { defaultValue: item.billerType })}
          </List.Item>
        ))}
      </List>
    </section>
  );
}

/**
 * Loan installments and card statements due within a week (or overdue), so the holder repays on
 * time: a line each, to the loan or the card. Nothing shows for a holder without credit.
 */
function CreditDue() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const loans = useLoans();
  const cards = useCreditCards();
  const soon = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const items = [
    ...(loans.data?.items ?? [])
      .filter((l) => l.nextDue && (l.status === 'overdue' || l.nextDue.dueDate <= soon))
      .map((l) => ({
        key: l.id,
        to: `/credit/loans/${l.id}`,
        label: t('credit.homeLoan', { number: l.nextDue?.number ?? 0 }),
        amount: toFen(l.nextDue?.amount ?? 0),
        dueDate: l.nextDue?.dueDate ?? '',
        overdue: l.status === 'overdue',
      })),
    ...(cards.data?.items ?? [])
      .filter((c) => c.currentStatement && ['open', 'overdue'].includes(c.currentStatement.status))
      .map((c) => ({
        key: c.id,
        to: '/credit/card',
        label: t('credit.homeCard'),
        amount: c.currentStatement ? toFen(c.currentStatement.balance) - toFen(c.currentStatement.paid) : 0n,
        dueDate: c.currentStatement?.dueDate ?? '',
        overdue: c.currentStatement?.status === 'overdue',
      })),
  ];
  if (!items.length) return null;
  return (
    <section className="tb-section" aria-labelledby="credit-due-title" data-testid="home-credit-due">
      <div className="tb-section-head">
        <h2 id="credit-due-title" className="tb-section-title">
          {t('credit.homeDue')}
        </h2>
        <Link to="/credit/health">{t('credit.healthTitle')}</Link>
      </div>
      <List>
        {items.map((item) => (
          <List.Item
            key={item.key}
            onClick={() => navigate(item.to)}
            extra={
              <span className={item.overdue ? 'tb-error-text' : undefined}>
                {formatFen(item.amount)}
                <br />
                <small>{item.overdue ? t('bills.overdue') : t('bills.dueOn', { date: item.dueDate.slice(5) })}</small>
              </span>
            }
          >
            {item.label}
          </List.Item>
        ))}
      </List>
    </section>
  );
}
