import { Button, Dialog, Input, Popup, Toast } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fenToJson, formatFen, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import {
  type Budget,
  CATEGORIES,
  categoryColor,
  deleteBudget,
  setBudget,
  useBudgets,
  useRefreshInsights,
} from '../../insights-api';
import { BudgetAlerts, BudgetBar } from './BudgetBar';
import { useCategoryName } from './components';
import './insights.css';

/** The editor's subject: a new budget (category to choose) or an existing one (category fixed). */
type Editing = { budget: Budget | null } | null;

/** 预算: this month's budgets with progress, forecast and alerts; add, change or delete one. */
export default function BudgetsPage() {
  const { t } = useTranslation();
  const budgets = useBudgets();
  const [editing, setEditing] = useState<Editing>(null);
  const items = budgets.data?.items ?? [];
  return (
    <div className="tb-page tb-ins-page">
      <PageHeader title={t('insights.budget.title')} />
      <div className="tb-page-body">
        {budgets.error ? <ProblemView error={budgets.error} onRetry={() => void budgets.refetch()} /> : null}
        {budgets.data ? <BudgetAlerts alerts={budgets.data.alerts} budgets={items} /> : null}
        {budgets.isSuccess && !items.length ? (
          <div className="tb-ins-empty-budget tb-ins-empty-budget-big">
            <strong>{t('insights.budget.none')}</strong>
            <span>{t('insights.budget.noneHint')}</span>
          </div>
        ) : null}
        <ul className="tb-ins-budget-list">
          {items.map((budget) => (
            <li key={budget.id}>
              <button
                type="button"
                className="tb-ins-budget-button"
                onClick={() => setEditing({ budget })}
                aria-label={t('insights.budget.edit')}
              >
                <BudgetBar budget={budget} />
              </button>
            </li>
          ))}
        </ul>
        <Button
          block
          color="primary"
          fill={items.length ? 'outline' : 'solid'}
          onClick={() => setEditing({ budget: null })}
          data-testid="budget-add"
        >
          <AddOutline aria-hidden /> {items.length ? t('insights.budget.add') : t('insights.budget.setOverall')}
        </Button>
        <p className="tb-fineprint">{t('insights.budget.honest')}</p>
      </div>
      <BudgetEditor
        editing={editing}
        taken={items.map((b) => b.category ?? 'overall')}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}

/** The sheet that sets a budget: what it covers (new ones only) and the monthly amount. */
function BudgetEditor(props: { editing: Editing; taken: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useCategoryName();
  const refresh = useRefreshInsights();
  const budget = props.editing?.budget ?? null;
  const [scope, setScope] = useState<string>('overall');
  const [yuan, setYuan] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [seen, setSeen] = useState<Editing>(null);
  if (props.editing !== seen) {
    // A new subject: start from its current figures (or the first scope not yet budgeted).
    setSeen(props.editing);
    setScope(
      budget
        ? (budget.category ?? 'overall')
        : (['overall', ...CATEGORIES].find((s) => !props.taken.includes(s)) ?? 'overall'),
    );
    setYuan(budget ? formatFen(budget.amount).replace(/[¥,]/g, '') : '');
    setError(null);
  }
  const fen = parseYuan(yuan);

  const save = async () => {
    if (fen === null) return setError(t('insights.budget.invalidAmount'));
    setBusy(true);
    setError(null);
    try {
      await setBudget(scope === 'overall' ? null : scope, fenToJson(fen));
      await refresh();
      Toast.show({ content: t('insights.budget.saved') });
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!budget || !(await Dialog.confirm({ content: t('insights.budget.confirmDelete') }))) return;
    try {
      await deleteBudget(budget.id);
      await refresh();
      Toast.show({ content: t('insights.budget.deleted') });
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const scopes = ['overall', ...CATEGORIES];
  return (
    <Popup visible={props.editing !== null} onMaskClick={props.onClose} bodyClassName="tb-sheet" destroyOnClose>
      <div className="tb-sheet-body" data-testid="budget-editor">
        <h2>{budget ? t('insights.budget.edit') : t('insights.budget.add')}</h2>
        <span className="tb-sheet-label">{t('insights.budget.pickCategory')}</span>
        {budget ? (
          <p className="tb-ins-sheet-now">{scope === 'overall' ? t('insights.budget.overallOption') : name(scope)}</p>
        ) : (
          <div className="tb-ins-category-grid" role="radiogroup" aria-label={t('insights.budget.pickCategory')}>
            {scopes.map((s) => (
              <button
                key={s}
                type="button"
                role="radio"
                aria-checked={scope === s}
                disabled={props.taken.includes(s)}
                className="tb-ins-category-choice"
                onClick={() => setScope(s)}
                data-testid={`budget-scope-${s}`}
              >
                <span
                  className="tb-ins-dot"
                  style={{ background: s === 'overall' ? '#1f2329' : categoryColor(s) }}
                  aria-hidden
                />
                {s === 'overall' ? t('insights.budget.overallOption') : name(s)}
              </button>
            ))}
          </div>
        )}
        <label className="tb-amount-field tb-ins-amount-field">
          <span className="tb-amount-label">{t('insights.budget.amount')}</span>
          <span className="tb-amount-row">
            <span className="tb-amount-symbol" aria-hidden>
              ¥
            </span>
            <Input
              value={yuan}
              onChange={setYuan}
              inputMode="decimal"
              placeholder="0.00"
              aria-label={t('insights.budget.amount')}
              data-testid="budget-amount"
            />
          </span>
        </label>
        {budget ? (
          <p className="tb-fineprint">
            {t('insights.budget.spentOf', { spent: formatFen(budget.spent), amount: formatFen(budget.amount) })}
          </p>
        ) : null}
        <ErrorBanner message={error} />
        <div className="tb-sheet-buttons">
          {budget ? (
            <Button color="danger" fill="outline" onClick={() => void remove()} data-testid="budget-delete">
              {t('insights.budget.delete')}
            </Button>
          ) : (
            <Button fill="outline" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
          )}
          <Button color="primary" loading={busy} onClick={() => void save()} data-testid="budget-save">
            {t('insights.budget.save')}
          </Button>
        </div>
      </div>
    </Popup>
  );
}
