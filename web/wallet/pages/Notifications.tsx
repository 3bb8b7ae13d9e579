import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Empty, InfiniteScroll, List } from 'antd-mobile';
import { useEffect } from 'react';
import { SetOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, query } from '../../shared/api';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  read: boolean;
}

interface Page {
  items: Notification[];
  unread: number;
  nextBefore: string | null;
}

/** Messages from the bank, newest first; opening the list marks them read. */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications', 'list', i18n.language],
    queryFn: ({ pageParam }) => api.get<Page>(`/api/v1/notifications${query({ before: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const unread = list.data?.pages[0]?.unread ?? 0;
  useEffect(() => {
    if (unread > 0) {
      void api
        .post('/api/v1/notifications/read', { all: true })
        .then(() => client.invalidateQueries({ queryKey: ['notifications', 'unread'] }));
    }
  }, [unread, client]);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="tb-page">
      <PageHeader
        title={t('notifications.title')}
        right={
          <Link to="/notifications/settings" className="tb-on-brand" aria-label={t('support.prefs.title')}>
            <SetOutline aria-hidden fontSize={20} />
          </Link>
        }
      />
      <div className="tb-page-body tb-flush">
        {list.error ? <ProblemView error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && items.length === 0 ? <Empty description={t('notifications.empty')} /> : null}
        <List>
          {items.map((item) => (
            <List.Item
              key={item.id}
              description={item.body}
              extra={<time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>}
            >
              <span className={item.read ? '' : 'tb-unread'}>{item.title}</span>
            </List.Item>
          ))}
        </List>
        {items.length > 0 ? (
          <InfiniteScroll loadMore={async () => void (await list.fetchNextPage())} hasMore={Boolean(list.hasNextPage)}>
            {list.hasNextPage ? t('common.loading') : t('common.noMore')}
          </InfiniteScroll>
        ) : null}
      </div>
    </div>
  );
}
