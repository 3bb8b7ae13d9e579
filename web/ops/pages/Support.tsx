import { Card, Tabs } from 'antd';
import { Suspense, lazy } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router';
import { type Me, can } from '../api';
import { useSupportOpsT } from '../support-i18n';
import { ArticleEditor, ArticleList } from './support/Articles';
import { Queue } from './support/Queue';
import { TicketDesk } from './support/TicketDesk';

// The dashboard draws with ECharts, loaded only when the dashboard tab is opened.
const Dashboard = lazy(() => import('./support/Dashboard'));

/** Customer service in the console: the ticket queue, one ticket's desk, the dashboard, help articles. */
export default function SupportPage(props: { me: Me }) {
  const { t } = useSupportOpsT();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tab = pathname.includes('/support/dashboard')
    ? 'dashboard'
    : pathname.includes('/support/articles')
      ? 'articles'
      : 'queue';
  const editsArticles = can(props.me, 'support.articles');
  return (
    <Routes>
      <Route path="tickets/:id" element={<TicketDesk me={props.me} />} />
      {editsArticles && <Route path="articles/:slug" element={<ArticleEditor />} />}
      <Route
        path="*"
        element={
          <Card title={t('nav_support')} styles={{ body: { paddingTop: 0 } }}>
            <Tabs
              activeKey={tab}
              onChange={(key) => navigate(key === 'queue' ? '/support' : `/support/${key}`)}
              items={[
                { key: 'queue', label: t('queue'), children: tab === 'queue' ? <Queue /> : null },
                {
                  key: 'dashboard',
                  label: t('dashboard'),
                  children:
                    tab === 'dashboard' ? (
                      <Suspense fallback={<Card loading />}>
                        <Dashboard />
                      </Suspense>
                    ) : null,
                },
                ...(editsArticles
                  ? [{ key: 'articles', label: t('articles'), children: tab === 'articles' ? <ArticleList /> : null }]
                  : []),
              ]}
            />
          </Card>
        }
      />
    </Routes>
  );
}
