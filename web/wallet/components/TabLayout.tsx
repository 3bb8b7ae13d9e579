import { TabBar } from 'antd-mobile';
import { AppOutline, UnorderedListOutline, UserOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';

/** Pages with the bottom tab bar: home, records, me. */
export function TabLayout(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = pathname.startsWith('/records') ? '/records' : pathname.startsWith('/me') ? '/me' : '/';
  return (
    <div className="tb-tab-layout">
      <main className="tb-tab-content">{props.children}</main>
      <nav className="tb-tabbar" aria-label={t('tabs.label')}>
        <TabBar activeKey={active} onChange={(key) => navigate(key)} safeArea>
          <TabBar.Item key="/" icon={<AppOutline />} title={t('tabs.home')} />
          <TabBar.Item key="/records" icon={<UnorderedListOutline />} title={t('tabs.records')} />
          <TabBar.Item key="/me" icon={<UserOutline />} title={t('tabs.me')} />
        </TabBar>
      </nav>
    </div>
  );
}
