import { Badge, Button, Empty, InfiniteScroll, List, Tabs, Tag } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatDateTime } from '../../format';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { StatusTag } from '../../components/support/TicketBits';
import { useTickets } from '../../support-api';
import '../../support.css';

/** My tickets: the open ones (with their status and deadline) and the closed ones. */
export default function TicketsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [tab, setTab] = useState<'open' | 'closed'>('open');
  const tickets = useTickets(tab);
  const items = tickets.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="tb-page">
      <PageHeader
        title={t('support.tickets.title')}
        back="/me"
        right={
          <button
            type="button"
            className="tb-sup-header-link"
            onClick={() => navigate('/support/tickets/new')}
            data-testid="new-ticket"
          >
            {t('support.tickets.new')}
          </button>
        }
      />
      <Tabs activeKey={tab} onChange={(key) => setTab(key as 'open' | 'closed')} className="tb-sup-white">
        <Tabs.Tab key="open" title={t('support.tickets.open')} />
        <Tabs.Tab key="closed" title={t('support.tickets.closed')} />
      </Tabs>
      <div className="tb-page-body tb-flush">
        {tickets.error ? <ProblemView error={tickets.error} onRetry={() => void tickets.refetch()} /> : null}
        {tickets.isSuccess && items.length === 0 ? (
          <div className="tb-padded">
            <Empty description={`${t('support.tickets.empty')} · ${t('support.tickets.emptyBody')}`} />
            <Button block color="primary" onClick={() => navigate('/support/tickets/new')}>
              {t('support.tickets.new')}
            </Button>
          </div>
        ) : null}
        {items.length ? (
          <List>
            {items.map((ticket) => (
              <List.Item
                key={ticket.id}
                onClick={() => navigate(`/support/tickets/${ticket.id}`)}
                description={
                  <span className="tb-sup-ticket-sub">
                    {t(`support.tickets.categories.${ticket.category}`, { defaultValue: ticket.category })}
                    {' · '}
                    {formatDateTime(ticket.updatedAt)}
                    {ticket.sla && !ticket.sla.decidedAt && ticket.status !== 'closed' ? (
                      <span className={ticket.sla.breached ? 'tb-error-text' : ''}>
                        {' · '}
                        {ticket.sla.breached
                          ? t('support.tickets.overdue')
                          : t('support.tickets.daysLeft', { count: ticket.sla.daysLeft })}
                      </span>
                    ) : null}
                  </span>
                }
                extra={<StatusTag status={ticket.status} />}
              >
                <Badge content={ticket.unreadForHolder > 0 ? Badge.dot : null}>
                  <span className="tb-sup-ticket-title">
                    {ticket.complaint ? (
                      <Tag color="warning" fill="outline" className="tb-sup-inline-tag">
                        {t('support.tickets.complaintTag')}
                      </Tag>
                    ) : null}
                    {ticket.subject}
                  </span>
                </Badge>
              </List.Item>
            ))}
          </List>
        ) : null}
        {items.length > 0 ? (
          <InfiniteScroll
            loadMore={async () => void (await tickets.fetchNextPage())}
            hasMore={Boolean(tickets.hasNextPage)}
          >
            {tickets.hasNextPage ? t('common.loading') : t('common.noMore')}
          </InfiniteScroll>
        ) : null}
      </div>
    </div>
  );
}
