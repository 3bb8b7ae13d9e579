import { Button, Dialog, Input, List, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { CATEGORIES, categoryColor, createRule, deleteRule, useRefreshInsights, useRules } from '../../insights-api';
import { CategoryDot, useCategoryName } from './components';
import './insights.css';

/** 分类规则: "payments to 张*三 are housing"; the server applies a new rule to the past too. */
export default function RulesPage() {
  const { t } = useTranslation();
  const name = useCategoryName();
  const rules = useRules();
  const refresh = useRefreshInsights();
  const [match, setMatch] = useState('');
  const [category, setCategory] = useState<string>('housing');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      const rule = await createRule({ match: match.trim(), category });
      setMatch('');
      await refresh();
      Toast.show({ content: t('insights.movement.ruleSaved', { count: rule.matched }) });
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (id: string, text: string) => {
    if (!(await Dialog.confirm({ content: t('insights.rulesPage.confirmDelete', { match: text }) }))) return;
    try {
      await deleteRule(id);
      await refresh();
      Toast.show({ content: t('insights.rulesPage.deleted') });
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  return (
    <div className="tb-page tb-ins-page">
      <PageHeader title={t('insights.rulesPage.title')} back="/insights" />
      <div className="tb-page-body">
        <p className="tb-fineprint">{t('insights.rulesPage.intro')}</p>
        <section className="tb-ins-rule-form" aria-label={t('insights.rulesPage.add')}>
          <label className="tb-sheet-label" htmlFor="rule-match">
            {t('insights.rulesPage.match')}
          </label>
          <Input
            id="rule-match"
            className="tb-ins-input"
            value={match}
            onChange={setMatch}
            maxLength={40}
            placeholder={t('insights.rulesPage.matchPlaceholder')}
            data-testid="rule-match"
          />
          <span className="tb-sheet-label">{t('insights.rulesPage.category')}</span>
          <div className="tb-ins-category-grid" role="radiogroup" aria-label={t('insights.rulesPage.category')}>
            {CATEGORIES.map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={category === c}
                className="tb-ins-category-choice"
                onClick={() => setCategory(c)}
              >
                <span className="tb-ins-dot" style={{ background: categoryColor(c) }} aria-hidden />
                {name(c)}
              </button>
            ))}
          </div>
          <ErrorBanner message={error} />
          <Button
            block
            color="primary"
            loading={busy}
            disabled={!match.trim()}
            onClick={() => void add()}
            data-testid="rule-add"
          >
            {t('insights.rulesPage.add')}
          </Button>
        </section>
        {rules.error ? <ProblemView error={rules.error} compact /> : null}
        {rules.isSuccess && !rules.data.items.length ? (
          <p className="tb-muted tb-center">{t('insights.rulesPage.empty')}</p>
        ) : null}
        {rules.data?.items.length ? (
          <List className="tb-ins-rules">
            {rules.data.items.map((rule) => (
              <List.Item
                key={rule.id}
                prefix={<CategoryDot category={rule.category} />}
                description={t('insights.rulesPage.matched', { count: rule.matched })}
                extra={
                  <Button size="small" fill="outline" onClick={() => void remove(rule.id, rule.match)}>
                    {t('insights.rulesPage.delete')}
                  </Button>
                }
              >
                「{rule.match}」 → {name(rule.category)}
              </List.Item>
            ))}
          </List>
        ) : null}
      </div>
    </div>
  );
}
