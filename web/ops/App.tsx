import {
  AccountBookOutlined,
  AlertOutlined,
  AuditOutlined,
  CreditCardOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FundOutlined,
  IdcardOutlined,
  NotificationOutlined,
  SafetyOutlined,
  ShopOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, ConfigProvider, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ComponentType, type ReactNode, Suspense, lazy } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { api } from '../shared/api';
import { setLanguage } from '../shared/i18n';
import { type Me, can, useMe } from './api';
import { Forbidden } from './components';
import { useOpsT } from './i18n';
import { LoginPage } from './pages/Login';
import { SandboxBanner } from '../shared/SandboxBanner';

const page = (load: () => Promise<{ default: ComponentType<{ me: Me }> }>) => lazy(load);
const Overview = page(() => import('./pages/Overview'));
const Customers = page(() => import('./pages/Customers'));
const Kyc = page(() => import('./pages/Kyc'));
const Risk = page(() => import('./pages/Risk'));
const Cases = page(() => import('./pages/Cases'));
const Maintenance = page(() => import('./pages/Maintenance'));
const Merchants = page(() => import('./pages/Merchants'));
const Audit = page(() => import('./pages/Audit'));
const Bills = page(() => import('./pages/Bills'));
const Savings = page(() => import('./pages/Savings'));
const Credit = page(() => import('./pages/Credit'));
const Support = page(() => import('./pages/Support'));

/** Each page, the permission it needs, and its menu entry: a page a role may not use is neither listed nor routed. */
const PAGES: {
  path: string;
  permission: string;
  label: string;
  icon: ReactNode;
  Component: ComponentType<{ me: Me }>;
}[] = [
  // Every staff member has the overview: it shows only the queues their roles may open.
  { path: 'overview', permission: '', label: 'nav_overview', icon: <DashboardOutlined />, Component: Overview },
  {
    path: 'customers',
    permission: 'customers.view',
    label: 'nav_customers',
    icon: <UserOutlined />,
    Component: Customers,
  },
  {
    path: 'support',
    permission: 'support.view',
    label: 'nav_support',
    icon: <CustomerServiceOutlined />,
    Component: Support,
  },
  { path: 'kyc', permission: 'kyc.review', label: 'nav_kyc', icon: <IdcardOutlined />, Component: Kyc },
  { path: 'risk', permission: 'risk.alerts', label: 'nav_risk', icon: <AlertOutlined />, Component: Risk },
  { path: 'cases', permission: 'cases.view', label: 'nav_cases', icon: <SafetyOutlined />, Component: Cases },
  {
    path: 'maintenance',
    permission: 'maintenance.view',
    label: 'nav_maintenance',
    icon: <NotificationOutlined />,
    Component: Maintenance,
  },
  {
    path: 'merchants',
    permission: 'merchants.view',
    label: 'nav_merchants',
    icon: <ShopOutlined />,
    Component: Merchants,
  },
  { path: 'bills', permission: 'bills.view', label: 'nav_bills', icon: <AccountBookOutlined />, Component: Bills },
  { path: 'audit', permission: 'audit.search', label: 'nav_audit', icon: <AuditOutlined />, Component: Audit },
  { path: 'savings', permission: 'savings.view', label: 'nav_savings', icon: <FundOutlined />, Component: Savings },
  { path: 'credit', permission: 'credit.view', label: 'nav_credit', icon: <CreditCardOutlined />, Component: Credit },
];

const THEME = {
  token: {
    colorPrimary: '#1d3c78',
    colorLink: '#1d3c78',
    // Danger buttons and error text: the brand red (5.9:1) instead of antd's #ff4d4f (3.0:1).
    colorError: '#c8102e',
    // Secondary, tertiary and placeholder text at least 4.5:1 on white (antd's 45% and 25% black fail WCAG AA).
    colorTextSecondary: 'rgba(0, 0, 0, 0.7)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextQuaternary: 'rgba(0, 0, 0, 0.56)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    borderRadius: 6,
    fontFamily: 'system-ui, "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
  },
};

export function App() {
  const { english } = useOpsT();
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SandboxBanner />
        <Shell />
      </AntApp>
    </ConfigProvider>
  );
}

function Shell() {
  const me = useMe();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', marginTop: 120 }} />;
  if (!me.data) return <LoginPage />;
  return <Console me={me.data} />;
}

function Console(props: { me: Me }) {
  const { t, english } = useOpsT();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const pages = PAGES.filter((p) => p.permission === '' || can(props.me, p.permission));
  const current = location.pathname.split('/')[1] ?? '';
  const signOut = async () => {
    await api.post('/api/v1/ops/logout').catch(() => undefined);
    queryClient.clear();
    await queryClient.invalidateQueries();
    navigate('/');
    window.location.reload();
  };
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208} theme="dark" style={{ background: '#14294f' }}>
        <div style={{ color: '#fff', padding: '18px 20px', fontSize: 17, fontWeight: 600 }}>{t('appName')}</div>
        <nav aria-label={t('appName')}>
          <Menu
            theme="dark"
            mode="inline"
            style={{ background: 'transparent' }}
            selectedKeys={[current]}
            items={pages.map((p) => ({
              key: p.path,
              icon: p.icon,
              label: t(p.label),
              onClick: () => navigate(`/${p.path}`),
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            borderBottom: '1px solid #eef0f3',
          }}
        >
          <Space wrap>
            {props.me.name && (
              <Typography.Text strong data-testid="staff-name">
                {props.me.name}
              </Typography.Text>
            )}
            <Typography.Text type="secondary">{t('roles')}:</Typography.Text>
            {props.me.roles.map((role) => (
              <Tag key={role} color="blue" data-testid={`role-${role}`}>
                {t(`role_${role}`)}
              </Tag>
            ))}
            <Button type="link" onClick={() => setLanguage(english ? 'zh-CN' : 'en')} lang={english ? 'zh-CN' : 'en'}>
              {t('language')}
            </Button>
            <Button onClick={signOut}>{t('signOut')}</Button>
          </Space>
        </Layout.Header>
        {/* Layout.Content is the page's one <main> landmark. */}
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin />}>
            <Routes>
              {pages.map(({ path, Component }) => (
                <Route key={path} path={`/${path}/*`} element={<Component me={props.me} />} />
              ))}
              {PAGES.filter((p) => p.permission !== '' && !can(props.me, p.permission)).map(({ path }) => (
                <Route key={path} path={`/${path}/*`} element={<Forbidden />} />
              ))}
              <Route path="*" element={pages[0] ? <Navigate to={`/${pages[0].path}`} replace /> : <Forbidden />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
