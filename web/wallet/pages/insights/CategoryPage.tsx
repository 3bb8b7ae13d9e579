import { Empty, InfiniteScroll, List } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { formatFen } from '../../../shared/money';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatDateTime } from '../../format';
import { type Movement, isMonth, thisMonth, useMonthView, useMovements } from '../../insights-api';
import { CategoryDot, useCategoryName, useMonthLabel } from './components';
import { RecategoriseSheet } from './RecategoriseSheet';
import './insights.css';

/** One category's movements in a month, newest first; tap one to change its category or make a rule. */
export default function CategoryPage() {
  const { t } = useTranslation();
  const params = useParams();
  const month = isMonth(params.month) ? params.month : thisMonth();
  const category = params.category ?? 'other';
  const name = useCategoryName();
  const monthLabel = useMonthLabel();
  const view = useMonthView(month);
  const movements = useMovements(month, { category });
  const [open, setOpen] = useState<Movement | null>(null);
  const items = movements.data?.pages.flatMap((page) => page.items) ?? [];
  const figure = view.data?.byCategory.find((c) => c.category === category);

  return (
    <div className="tb-page tb-ins-page">
      <PageHeader
        title={t('insights.category.title', { category: name(category), month: monthLabel(month) })}
        back={`/insights?month=${month}`}
      />
      <section className="tb-ins-category-band">
        <CategoryDot category={category} />
        <span>{name(category)}</span>
        <strong data-testid="category-total">{formatFen(figure?.amount ?? 0)}</strong>
        <small className="tb-muted">{t('insights.times', { count: figure?.count ?? 0 })}</small>
      </section>
      {movements.error ? <ProblemView error={movements.error} onRetry={() => void movements.refetch()} /> : null}
      {movements.isSuccess && !items.length ? <Empty description={t('insights.category.empty')} /> : null}
      <List className="tb-ins-movements">
        {items.map((m) => (
          <List.Item
            key={m.id}
            onClick={() => setOpen(m)}
            description={
              <span>
                {formatDateTime(m.time)} ·{' '}
                {m.refundOf
                  ? t('insights.category.refundOf')
                  : t(`insights.sources.${m.categorySource}`, { defaultValue: m.categorySource })}
              </span>
            }
            extra={
              <span className={m.amount > 0 ? 'tb-in tb-ins-amount' : 'tb-ins-amount'}>
                {formatFen(m.amount, { sign: true })}
              </span>
            }
            data-testid="movement"
          >
            {m.counterparty ?? t(`insights.kinds.${m.kind}`, { defaultValue: m.kind })}
          </List.Item>
        ))}
      </List>
      {items.length ? (
        <InfiniteScroll
          loadMore={async () => void (await movements.fetchNextPage())}
          hasMore={Boolean(movements.hasNextPage)}
        >
          {movements.hasNextPage ? t('common.loading') : t('common.noMore')}
        </InfiniteScroll>
      ) : null}
      <RecategoriseSheet movement={open} onClose={() => setOpen(null)} />
    </div>
  );
}
