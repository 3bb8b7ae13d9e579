import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Empty, InfiniteScroll, List, Popup, Selector } from 'antd-mobile';
import { DownlandOutline, FilterOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, query } from '../../shared/api';
import { localBankText } from '../../shared/banks';
import { formatFen, parseYuan } from '../../shared/money';
import { Money } from '../../shared/Money';
import { ProblemView } from '../components/ProblemView';
import { TabLayout } from '../components/TabLayout';
import { formatDateTime, formatMonth, shanghaiMonth } from '../format';
import type { HistoryItem } from '../wallet-api';

const TYPES = ['topup', 'withdraw', 'p2p', 'merchant_payment', 'refund'] as const;

interface Filters {
  type: string;
  from: string;
  to: string;
  minYuan: string;
  maxYuan: string;
}

const EMPTY: Filters = { type: '', from: '', to: '', minYuan: '', maxYuan: '' };

/** Newest first in, month groups out (Asia/Shanghai months), in the same order. */
export function byMonth(items: HistoryItem[]): [string, HistoryItem[]][] {
  const groups = new Map<string, HistoryItem[]>();
  for (const item of items) {
    const month = shanghaiMonth(item.time);
    groups.set(month, [...(groups.get(month) ?? []), item]);
  }
  return [...groups];
}

/** A month's header: its name and the whole month's money in and out, from the server. */
function MonthHead({ month }: { month: string }) {
  const { t } = useTranslation();
  const totals = useQuery({
    queryKey: ['history', 'month', month],
    queryFn: () =>
      api.get<{ income: number | string; spending: number | string }>(`/api/v1/wallet/history/months/${month}`),
    staleTime: 60_000,
  });
  return (
    <h2 className="tb-month-head">
      <strong>{formatMonth(month)}</strong>
      {totals.data ? (
        <span className="tb-month-totals" data-testid="month-totals">
          {t('receipt.monthOut', { amount: formatFen(totals.data.spending) })}
          {'  '}
          {t('receipt.monthIn', { amount: formatFen(totals.data.income) })}
        </span>
      ) : null}
    </h2>
  );
}

function currentMonth(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7);
}

/** Records: every movement, newest first, with filters, a detail page and statement downloads. */
export default function RecordsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filterOpen, setFilterOpen] = useState(false);
  const [statementOpen, setStatementOpen] = useState(false);
  const [month, setMonth] = useState(currentMonth());
  const min = parseYuan(filters.minYuan);
  const max = parseYuan(filters.maxYuan);
  const history = useInfiniteQuery({
    queryKey: ['history', filters, i18n.language],
    queryFn: ({ pageParam }) =>
      api.get<{ items: HistoryItem[]; nextCursor: string | null }>(
        `/api/v1/wallet/history${query({
          type: filters.type,
          from: filters.from,
          to: filters.to,
          minAmount: min === null ? undefined : Number(min),
          maxAmount: max === null ? undefined : Number(max),
          cursor: pageParam,
          limit: 20,
        })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = history.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = JSON.stringify(filters) !== JSON.stringify(EMPTY);

  return (
    <TabLayout>
      <header className="tb-navbar">
        <span className="tb-navbar-side">
          <Link to="/insights" className="tb-navbar-link" data-testid="records-insights">
            {t('insights.analysis')}
          </Link>
        </span>
        <h1 className="tb-navbar-title">{t('records.title')}</h1>
        <span className="tb-navbar-side tb-navbar-right">
          <button
            type="button"
            className="tb-icon-button tb-on-brand"
            aria-label={t('records.statements')}
            onClick={() => setStatementOpen(true)}
          >
            <DownlandOutline />
          </button>
        </span>
      </header>
      <div className="tb-records-bar">
        <Selector
          columns={4}
          value={[filters.type]}
          onChange={(value) => setFilters({ ...filters, type: value[0] ?? '' })}
          options={[
            { label: t('records.all'), value: '' },
            ...(['topup', 'p2p', 'merchant_payment'] as const).map((type) => ({
              label: t(`records.types.${type}`),
              value: type,
            })),
          ]}
          showCheckMark={false}
        />
        <button
          type="button"
          className={`tb-filter-button${filtered ? ' tb-filter-on' : ''}`}
          onClick={() => (setDraft(filters), setFilterOpen(true))}
        >
          <FilterOutline aria-hidden /> {t('records.filter')}
        </button>
      </div>
      {history.error ? <ProblemView error={history.error} onRetry={() => void history.refetch()} /> : null}
      {history.isSuccess && items.length === 0 ? (
        <Empty description={filtered ? t('records.noMatch') : t('records.empty')} />
      ) : null}
      <div className="tb-records" data-testid="records">
        {byMonth(items).map(([month, monthItems]) => (
          <section key={month} aria-label={formatMonth(month)} data-testid={`month-${month}`}>
            <MonthHead month={month} />
            <List>
              {monthItems.map((item) => (
                <List.Item
                  key={item.id}
                  onClick={() => navigate(`/records/${encodeURIComponent(item.id)}`)}
                  description={
                    formatDateTime(item.time) +
                    (item.status !== 'succeeded'
                      ? ` · ${t(`records.status.${item.status}`, { defaultValue: item.status })}`
                      : '')
                  }
                  extra={<Money fen={item.amount} />}
                >
                  {t(`records.types.${item.type}`, { defaultValue: item.type })}
                  {item.counterparty || item.note ? (
                    <span className="tb-record-sub">
                      {' '}
                      · {localBankText(item.counterparty ?? item.note ?? '', i18n.language === 'en')}
                    </span>
                  ) : null}
                </List.Item>
              ))}
            </List>
          </section>
        ))}
      </div>
      {items.length > 0 ? (
        <InfiniteScroll
          loadMore={async () => void (await history.fetchNextPage())}
          hasMore={Boolean(history.hasNextPage)}
        >
          {history.hasNextPage ? t('common.loading') : t('common.noMore')}
        </InfiniteScroll>
      ) : null}

      <Popup visible={filterOpen} onMaskClick={() => setFilterOpen(false)} bodyClassName="tb-sheet">
        <div role="dialog" aria-labelledby="filter-title" className="tb-sheet-body">
          <h2 id="filter-title">{t('records.filter')}</h2>
          <p className="tb-sheet-label">{t('records.type')}</p>
          <Selector
            columns={3}
            value={[draft.type]}
            onChange={(value) => setDraft({ ...draft, type: value[0] ?? '' })}
            options={[
              { label: t('records.all'), value: '' },
              ...TYPES.map((type) => ({ label: t(`records.types.${type}`), value: type })),
            ]}
          />
          <div className="tb-sheet-row">
            <label>
              {t('records.from')}
              <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
            </label>
            <label>
              {t('records.to')}
              <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
            </label>
          </div>
          <div className="tb-sheet-row">
            <label>
              {t('records.minAmount')}
              <input
                inputMode="decimal"
                value={draft.minYuan}
                onChange={(e) => setDraft({ ...draft, minYuan: e.target.value })}
              />
            </label>
            <label>
              {t('records.maxAmount')}
              <input
                inputMode="decimal"
                value={draft.maxYuan}
                onChange={(e) => setDraft({ ...draft, maxYuan: e.target.value })}
              />
            </label>
          </div>
          <div className="tb-sheet-buttons">
            <Button onClick={() => (setDraft(EMPTY), setFilters(EMPTY), setFilterOpen(false))}>
              {t('records.reset')}
            </Button>
            <Button color="primary" onClick={() => (setFilters(draft), setFilterOpen(false))}>
              {t('common.confirm')}
            </Button>
          </div>
        </div>
      </Popup>

      <Popup visible={statementOpen} onMaskClick={() => setStatementOpen(false)} bodyClassName="tb-sheet">
        <div role="dialog" aria-labelledby="statement-title" className="tb-sheet-body">
          <h2 id="statement-title">{t('records.statements')}</h2>
          <label className="tb-sheet-label">
            {t('records.month')}
            <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
          </label>
          <div className="tb-sheet-buttons">
            <a
              className="adm-button adm-button-default adm-button-shape-default tb-link-button"
              href={`/api/v1/wallet/statements?month=${month}&format=csv`}
              download
            >
              {t('records.downloadCsv')}
            </a>
            <a
              className="adm-button adm-button-primary adm-button-shape-default tb-link-button"
              href={`/api/v1/wallet/statements?month=${month}&format=pdf`}
              download
            >
              {t('records.downloadPdf')}
            </a>
          </div>
        </div>
      </Popup>
    </TabLayout>
  );
}
