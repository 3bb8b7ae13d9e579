import { Empty } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { lazy, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatFen } from '../../../shared/money';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import {
  type MonthView,
  categoryColor,
  formatShare,
  isMonth,
  thisMonth,
  useBudgets,
  useMonthView,
} from '../../insights-api';
import { BudgetAlerts, BudgetBar } from './BudgetBar';
import { CategoryDot, Change, ChartSlot, MonthSwitcher, useCategoryName, useMonthLabel } from './components';
import './insights.css';

const DonutChart = lazy(() => import('./charts').then((m) => ({ default: m.DonutChart })));
const BarsChart = lazy(() => import('./charts').then((m) => ({ default: m.BarsChart })));

/** 收支分析: a month's spending by category and by day, top merchants, comparisons, budgets, income and spending. */
export default function InsightsHomePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const month = isMonth(params.get('month')) ? (params.get('month') as string) : thisMonth();
  const view = useMonthView(month);
  const budgets = useBudgets(month);
  const monthLabel = useMonthLabel();
  const data = view.data;
  const current = month === thisMonth();

  return (
    <div className="tb-page tb-ins-page">
      <PageHeader
        title={t('insights.title')}
        back="/"
        right={
          <Link to="/insights/rules" className="tb-ins-header-link">
            {t('insights.rules')}
          </Link>
        }
      />
      <section className="tb-ins-band" aria-labelledby="ins-spent-label">
        <MonthSwitcher month={month} onChange={(next) => setParams({ month: next }, { replace: true })} />
        <div id="ins-spent-label" className="tb-ins-band-label">
          {current ? t('insights.spent') : t('insights.spentIn', { month: monthLabel(month) })}
        </div>
        <div className="tb-ins-total" data-testid="insights-spent">
          {data ? formatFen(data.spent) : '…'}
        </div>
        {data ? (
          <div className="tb-ins-band-sub">
            {t('insights.spendingCount', { count: data.spendingCount })}
            {data.sixMonthAverage.months
              ? ` · ${t('insights.average', { amount: formatFen(data.sixMonthAverage.spent) })}`
              : ''}
          </div>
        ) : null}
        {data ? (
          <div className="tb-ins-band-row">
            <Change
              now={data.spent}
              before={data.previousMonth.spent}
              label={t('insights.vsLastMonth')}
              testId="vs-last-month"
            />
            <Change
              now={data.spent}
              before={data.sixMonthAverage.months ? data.sixMonthAverage.spent : 0}
              label={t('insights.vsAverage')}
              testId="vs-average"
            />
          </div>
        ) : null}
      </section>

      {view.error ? <ProblemView error={view.error} onRetry={() => void view.refetch()} /> : null}

      <BudgetsCard month={month} budgets={budgets.data} />

      {data ? (
        <>
          <CategoriesCard data={data} />
          <DaysCard data={data} />
          <MerchantsCard data={data} />
          <FlowsCard data={data} />
        </>
      ) : null}

      <nav className="tb-ins-links" aria-label={t('insights.title')}>
        <Link to={`/insights/annual/${month.slice(0, 4)}`} className="tb-ins-report-link" data-testid="annual-link">
          <span>
            <strong>{t('insights.annualReport')}</strong>
            <small>{t('insights.annualReportCta', { year: month.slice(0, 4) })}</small>
          </span>
          <RightOutline aria-hidden />
        </Link>
        <Link to="/assets" className="tb-ins-link" data-testid="assets-link">
          {t('insights.myAssets')} <RightOutline aria-hidden />
        </Link>
      </nav>
    </div>
  );
}

/** The month's budgets: alerts first, then a bar each; none yet says how to set one. */
function BudgetsCard(props: { month: string; budgets: ReturnType<typeof useBudgets>['data'] }) {
  const { t } = useTranslation();
  const items = props.budgets?.items ?? [];
  return (
    <section className="tb-section" aria-labelledby="ins-budgets-title">
      <div className="tb-section-head">
        <h2 id="ins-budgets-title" className="tb-section-title">
          {t('insights.budgets')}
        </h2>
        <Link to="/insights/budgets" data-testid="budgets-link">
          {items.length ? t('insights.budget.edit') : t('insights.budget.set')}
        </Link>
      </div>
      <div className="tb-ins-card-body">
        {props.budgets ? <BudgetAlerts alerts={props.budgets.alerts} budgets={items} /> : null}
        {items.map((budget) => (
          <BudgetBar key={budget.id} budget={budget} compact={budget.category !== null} />
        ))}
        {props.budgets && !items.length ? (
          <Link to="/insights/budgets" className="tb-ins-empty-budget">
            <strong>{t('insights.budget.none')}</strong>
            <span>{t('insights.budget.noneHint')}</span>
          </Link>
        ) : null}
      </div>
    </section>
  );
}

/** The donut with the total in its hole, and a row per category (share, amount) that opens its movements. */
function CategoriesCard(props: { data: MonthView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const name = useCategoryName();
  const { data } = props;
  const slices = useMemo(
    () =>
      data.byCategory
        .filter((c) => c.amount > 0)
        .map((c) => ({ key: c.category, label: name(c.category), fen: c.amount, color: categoryColor(c.category) })),
    [data.byCategory, name],
  );
  const open = useCallback(
    (category: string) => navigate(`/insights/months/${data.month}/categories/${encodeURIComponent(category)}`),
    [navigate, data.month],
  );
  const summary = slices.map((s) => `${s.label} ${formatFen(s.fen)}`).join('，');
  return (
    <section className="tb-section" aria-labelledby="ins-categories-title" data-testid="insights-categories">
      <div className="tb-section-head">
        <h2 id="ins-categories-title" className="tb-section-title">
          {t('insights.byCategory')}
        </h2>
      </div>
      {slices.length ? (
        <>
          <div className="tb-ins-donut-wrap">
            <ChartSlot height={168}>
              <DonutChart slices={slices} label={`${t('insights.byCategory')}: ${summary}`} onSelect={open} />
            </ChartSlot>
            <div className="tb-ins-donut-hole" aria-hidden>
              <small>{t('insights.flow.spending')}</small>
              <strong>{formatFen(data.spent)}</strong>
            </div>
          </div>
          <ul className="tb-ins-category-list">
            {data.byCategory.map((c) => (
              <li key={c.category}>
                <button
                  type="button"
                  className="tb-ins-category-row"
                  onClick={() => open(c.category)}
                  data-testid={`category-${c.category}`}
                >
                  <CategoryDot category={c.category} />
                  <span className="tb-ins-category-name">
                    {name(c.category)}
                    <small>{t('insights.times', { count: c.count })}</small>
                  </span>
                  <span className="tb-ins-share">
                    <span
                      className="tb-ins-share-bar"
                      style={{ width: `${Math.max(2, c.shareBp / 100)}%`, background: categoryColor(c.category) }}
                    />
                  </span>
                  <span className="tb-ins-category-figures">
                    <strong>{formatFen(c.amount)}</strong>
                    <small>{formatShare(c.shareBp)}</small>
                  </span>
                  <RightOutline className="tb-ins-chevron" aria-hidden />
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <div className="tb-ins-empty">
          <Empty description={t('insights.noSpending')} />
          <p className="tb-muted tb-ins-empty-hint">{t('insights.noSpendingHint')}</p>
        </div>
      )}
    </section>
  );
}

/** A bar per day; the biggest day in brand red. */
function DaysCard(props: { data: MonthView }) {
  const { t } = useTranslation();
  const { data } = props;
  const bars = useMemo(() => data.byDay.map((d) => ({ label: String(Number(d.day.slice(8))), fen: d.amount })), [data]);
  const highlight = useMemo(() => {
    let best = -1;
    data.byDay.forEach((d, index) => {
      if (d.amount > 0 && (best < 0 || d.amount > data.byDay[best].amount)) best = index;
    });
    return best;
  }, [data]);
  const format = useCallback((fen: number) => formatFen(fen), []);
  if (!data.spent) return null;
  const peak = highlight >= 0 ? data.byDay[highlight] : null;
  return (
    <section className="tb-section" aria-labelledby="ins-days-title">
      <div className="tb-section-head">
        <h2 id="ins-days-title" className="tb-section-title">
          {t('insights.byDay')}
        </h2>
        {peak ? (
          <span className="tb-muted tb-ins-small">
            {peak.day.slice(5)} · {formatFen(peak.amount)}
          </span>
        ) : null}
      </div>
      <div className="tb-ins-chart-pad">
        <ChartSlot height={150}>
          <BarsChart bars={bars} label={t('insights.byDay')} format={format} highlight={highlight} height={150} />
        </ChartSlot>
      </div>
    </section>
  );
}

/** The merchants paid most this month, ranked. */
function MerchantsCard(props: { data: MonthView }) {
  const { t } = useTranslation();
  const name = useCategoryName();
  const merchants = props.data.topMerchants.slice(0, 5);
  if (!merchants.length) return null;
  const top = merchants[0].amount || 1;
  return (
    <section className="tb-section" aria-labelledby="ins-merchants-title" data-testid="insights-merchants">
      <div className="tb-section-head">
        <h2 id="ins-merchants-title" className="tb-section-title">
          {t('insights.topMerchants')}
        </h2>
      </div>
      <ol className="tb-ins-merchants">
        {merchants.map((m, index) => (
          <li key={`${m.name}-${index}`}>
            <span className="tb-ins-rank" data-top={index < 3}>
              {index + 1}
            </span>
            <span className="tb-ins-merchant">
              <span className="tb-ins-merchant-name">{m.name}</span>
              <small>
                {name(m.category)} · {t('insights.times', { count: m.count })}
              </small>
              <span className="tb-ins-merchant-bar">
                <span style={{ width: `${Math.max(3, (m.amount * 100) / top)}%` }} />
              </span>
            </span>
            <strong className="tb-ins-amount">{formatFen(m.amount)}</strong>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Income against spending, then every other way money came in or went out this month. */
function FlowsCard(props: { data: MonthView }) {
  const { t } = useTranslation();
  const { flows } = props.data;
  const biggest = Math.max(flows.income, flows.spending, 1);
  const balance = flows.income - flows.spending;
  const others = (
    ['transfersIn', 'transfersOut', 'topups', 'withdrawals', 'savingsIn', 'savingsOut', 'refunds'] as const
  )
    .filter((key) => flows[key] > 0)
    .map((key) => ({ key, amount: flows[key] }));
  return (
    <section className="tb-section" aria-labelledby="ins-flows-title" data-testid="insights-flows">
      <div className="tb-section-head">
        <h2 id="ins-flows-title" className="tb-section-title">
          {t('insights.flows')}
        </h2>
        <span className={balance >= 0 ? 'tb-in tb-ins-small' : 'tb-error-text tb-ins-small'}>
          {balance >= 0
            ? t('insights.surplus', { amount: formatFen(balance) })
            : t('insights.deficit', { amount: formatFen(-balance) })}
        </span>
      </div>
      <div className="tb-ins-card-body">
        {(['income', 'spending'] as const).map((key) => (
          <div key={key} className="tb-ins-flow" data-kind={key}>
            <span className="tb-ins-flow-label">{t(`insights.flow.${key}`)}</span>
            <span className="tb-ins-flow-track">
              <span style={{ width: `${Math.max(1, (flows[key] * 100) / biggest)}%` }} />
            </span>
            <strong className="tb-ins-amount">{formatFen(flows[key])}</strong>
          </div>
        ))}
        {others.length ? (
          <dl className="tb-ins-flow-list">
            {others.map((o) => (
              <div key={o.key}>
                <dt>{t(`insights.flow.${o.key}`)}</dt>
                <dd>{formatFen(o.amount)}</dd>
              </div>
            ))}
          </dl>
        ) : null}
      </div>
    </section>
  );
}
