import { ConfigProvider, DotLoading, TabBar } from 'antd-mobile';
import { AppOutline, BillOutline, ScanningOutline, UserOutline } from 'antd-mobile-icons';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { type MerchantMe, can, useMerchantMe } from './api';
import { useMerchantT } from './i18n';
import { ChargePage } from './pages/Charge';
import { CounterPage } from './pages/Counter';
import { DisputeDetailPage, DisputesPage } from './pages/Disputes';
import { LoginPage } from './pages/Login';
import { MorePage } from './pages/More';
import { PaymentsPage } from './pages/Payments';
import { WebhookDetailPage } from './pages/WebhookDetail';
import { WebhooksPage } from './pages/Webhooks';
import { SandboxBanner } from '../shared/SandboxBanner';

export function App() {
  const { english } = useMerchantT();
  const me = useMerchantMe();
  return (
    <ConfigProvider locale={english ? enUS : zhCN}>
      <div className="mc-app">
        <SandboxBanner />
        {me.isPending ? (
          <div role="status" className="mc-center" style={{ paddingTop: 120 }}>
            <DotLoading color="primary" />
          </div>
        ) : me.data ? (
          <Shell me={me.data} />
        ) : (
          <LoginPage />
        )}
      </div>
    </ConfigProvider>
  );
}

function Shell(props: { me: MerchantMe }) {
  const { t } = useMerchantT();
  const navigate = useNavigate();
  const location = useLocation();
  const tabs = [
    { key: '/', title: t('tabCounter'), icon: <AppOutline /> },
    { key: '/charge', title: t('tabCharge'), icon: <ScanningOutline /> },
    { key: '/payments', title: t('tabPayments'), icon: <BillOutline /> },
    { key: '/more', title: t('tabMore'), icon: <UserOutline /> },
  ];
  return (
    <>
      <main className="mc-body">
        <Routes>
          <Route index element={<CounterPage me={props.me} />} />
          <Route path="/charge" element={<ChargePage />} />
          <Route path="/payments" element={<PaymentsPage me={props.me} />} />
          <Route path="/more" element={<MorePage me={props.me} />} />
          <Route path="/disputes" element={<DisputesPage />} />
          <Route path="/disputes/:id" element={<DisputeDetailPage me={props.me} />} />
          {can(props.me, 'settings') && (
            <>
              <Route path="/webhooks" element={<WebhooksPage />} />
              <Route path="/webhooks/notify/:id" element={<WebhookDetailPage notify />} />
              <Route path="/webhooks/:id" element={<WebhookDetailPage />} />
            </>
          )}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
      <nav className="mc-tabbar" aria-label={t('appName')}>
        <TabBar
          activeKey={
            location.pathname === ''
              ? '/'
              : /^\/(disputes|webhooks)/.test(location.pathname)
                ? '/more'
                : location.pathname
          }
          onChange={(key) => navigate(key)}
        >
          {tabs.map((tab) => (
            <TabBar.Item key={tab.key} icon={tab.icon} title={tab.title} aria-label={tab.title} />
          ))}
        </TabBar>
      </nav>
    </>
  );
}
