import { ExclamationCircleFill } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatFen } from '../../../shared/money';
import { type Budget, type BudgetAlert, useBudgets } from '../../insights-api';
import './budget.css';

/**
 * Budget progress bars and alerts. Light on purpose: the home page imports this file (its budget
 * strip), so it holds no chart code and no antd-mobile component beyond an icon.
 */

/** The budget's name as a person says it: "每月总预算", "餐饮预算". */
export function useBudgetName(): (category: string | null) => string {
  const { t } = useTranslation();
  return (category) =>
    category === null
      ? t('insights.budget.overall')
      : t('insights.budget.forCategory', {
          category: t(`insights.categories.${category}`, { defaultValue: category }),
        });
}

/** One budget: its name, spent of amount, a bar that turns amber at 80 % and red at 100 %. */
export function BudgetBar(props: { budget: Budget; compact?: boolean }) {
  const { t } = useTranslation();
  const name = useBudgetName();
  const b = props.budget;
  const width = Math.min(100, Math.max(0, b.percent));
  return (
    <div className="tb-ins-budget" data-status={b.status} data-testid={`budget-${b.category ?? 'overall'}`}>
      <div className="tb-ins-budget-head">
        <span className="tb-ins-budget-name">{name(b.category)}</span>
        <span className="tb-ins-budget-percent" data-testid="budget-percent">
          {t('insights.budget.percent', { percent: b.percent })}
        </span>
      </div>
      <div
        className="tb-ins-budget-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={width}
        aria-label={name(b.category)}
      >
        <span className="tb-ins-budget-fill" style={{ width: `${width}%` }} />
        <span className="tb-ins-budget-mark" aria-hidden />
      </div>
      <div className="tb-ins-budget-foot">
        <span>{t('insights.budget.spentOf', { spent: formatFen(b.spent), amount: formatFen(b.amount) })}</span>
        <span className={b.remaining < 0 ? 'tb-error-text' : undefined}>
          {b.remaining < 0
            ? t('insights.budget.over', { amount: formatFen(-b.remaining) })
            : t('insights.budget.remaining', { amount: formatFen(b.remaining) })}
        </span>
      </div>
      {props.compact ? null : (
        <p className={`tb-ins-budget-forecast${b.forecast > b.amount ? ' tb-ins-warn-text' : ''}`}>
          {t(b.forecast > b.amount ? 'insights.budget.forecastOver' : 'insights.budget.forecast', {
            amount: formatFen(b.forecast),
          })}
        </p>
      )}
      {!props.compact && b.changedThisMonth && b.previousAmount !== null ? (
        <p className="tb-ins-budget-changed">
          {t('insights.budget.changed', { from: formatFen(b.previousAmount), to: formatFen(b.amount) })}
        </p>
      ) : null}
    </div>
  );
}

/** The month's budget alerts (80 %, 100 %), the newest level per budget, as a banner read out at once. */
export function BudgetAlerts(props: { alerts: BudgetAlert[]; budgets: Budget[] }) {
  const { t } = useTranslation();
  const name = useBudgetName();
  const newest = new Map<string, BudgetAlert>();
  for (const alert of props.alerts) {
    const seen = newest.get(alert.budgetId);
    if (!seen || alert.level > seen.level) newest.set(alert.budgetId, alert);
  }
  if (!newest.size) return null;
  return (
    <div className="tb-ins-alerts" role="alert" data-testid="budget-alert">
      {[...newest.values()].map((alert) => {
        const budget = props.budgets.find((b) => b.id === alert.budgetId);
        const spent = budget?.spent ?? alert.spent;
        const amount = budget?.amount ?? alert.amount;
        return (
          <p key={alert.budgetId} className="tb-ins-alert" data-level={alert.level}>
            <ExclamationCircleFill aria-hidden />
            <span>
              {alert.level >= 100
                ? t('insights.budget.alert100', {
                    name: name(alert.category),
                    spent: formatFen(spent),
                    amount: formatFen(amount),
                  })
                : t('insights.budget.alert80', {
                    name: name(alert.category),
                    percent: budget?.percent ?? Math.floor((spent * 100) / Math.max(amount, 1)),
                    remaining: formatFen(Math.max(0, amount - spent)),
                  })}
            </span>
          </p>
        );
      })}
    </div>
  );
}

/** Home's budget strip: the overall budget (or the first one), its alerts, a link to the analysis page. */
export function HomeBudget() {
  const { t } = useTranslation();
  const budgets = useBudgets(undefined, { quiet: true });
  const items = budgets.data?.items ?? [];
  if (!items.length) return null;
  const main = items.find((b) => b.category === null) ?? items[0];
  return (
    <section className="tb-section tb-ins-home-budget" aria-labelledby="home-budget-title" data-testid="home-budget">
      <div className="tb-section-head">
        <h2 id="home-budget-title" className="tb-section-title">
          {t('insights.budget.homeTitle')}
        </h2>
        <Link to="/insights">{t('insights.title')}</Link>
      </div>
      <div className="tb-ins-home-budget-body">
        <BudgetAlerts alerts={budgets.data?.alerts ?? []} budgets={items} />
        <Link to="/insights/budgets" className="tb-ins-plain-link">
          <BudgetBar budget={main} compact />
        </Link>
      </div>
    </section>
  );
}
