import { Button, Checkbox, Popup, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatFen } from '../../../shared/money';
import { ErrorBanner } from '../../components/ErrorBanner';
import { errorMessage } from '../../../shared/problems';
import { formatDateTime } from '../../format';
import {
  CATEGORIES,
  type Movement,
  categoriseMovement,
  categoryColor,
  createRule,
  useRefreshInsights,
} from '../../insights-api';
import { useCategoryName } from './components';

/**
 * A movement's sheet: what it was, its category and where that came from; pick another category,
 * and optionally make a rule for its payee ("payments to 张*三 are rent"), which the server
 * applies to the past too.
 */
export function RecategoriseSheet(props: { movement: Movement | null; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useCategoryName();
  const refresh = useRefreshInsights();
  const m = props.movement;
  const [picked, setPicked] = useState<string | null>(null);
  const [asRule, setAsRule] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPicked(m?.category ?? null);
    setAsRule(false);
    setError(null);
  }, [m]);

  const save = async (category: string | null) => {
    if (!m) return;
    setBusy(true);
    setError(null);
    try {
      if (asRule && category && m.counterparty) {
        const rule = await createRule({ category, fromMovementId: m.id });
        Toast.show({ content: t('insights.movement.ruleSaved', { count: rule.matched }) });
      } else {
        await categoriseMovement(m.id, category);
        Toast.show({ content: t('insights.movement.saved', { category: name(category) }) });
      }
      await refresh();
      props.onClose();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Popup visible={m !== null} onMaskClick={props.onClose} bodyClassName="tb-sheet" destroyOnClose>
      {m ? (
        <div className="tb-sheet-body tb-ins-sheet" data-testid="recategorise-sheet">
          <h2>{m.counterparty ?? t(`insights.kinds.${m.kind}`, { defaultValue: m.kind })}</h2>
          <p className="tb-ins-sheet-amount">{formatFen(m.amount, { sign: true })}</p>
          <p className="tb-muted tb-center tb-ins-small">
            {formatDateTime(m.time)} · {t(`insights.kinds.${m.kind}`, { defaultValue: m.kind })} ·{' '}
            <Link to={`/records/${encodeURIComponent(m.id)}`}>{t('insights.movement.open')}</Link>
          </p>
          <p className="tb-ins-sheet-now">
            {t('insights.movement.currentCategory', {
              category: name(m.category),
              source: t(`insights.sources.${m.categorySource}`, { defaultValue: m.categorySource }),
            })}
          </p>
          {m.categorisable ? (
            <>
              <span className="tb-sheet-label">{t('insights.movement.pickCategory')}</span>
              <div className="tb-ins-category-grid" role="radiogroup" aria-label={t('insights.movement.pickCategory')}>
                {CATEGORIES.map((category) => (
                  <button
                    key={category}
                    type="button"
                    role="radio"
                    aria-checked={picked === category}
                    className="tb-ins-category-choice"
                    onClick={() => setPicked(category)}
                    data-testid={`pick-${category}`}
                  >
                    <span className="tb-ins-dot" style={{ background: categoryColor(category) }} aria-hidden />
                    {name(category)}
                  </button>
                ))}
              </div>
              {m.counterparty ? (
                <Checkbox className="tb-ins-rule-check" checked={asRule} onChange={setAsRule} data-testid="make-rule">
                  {t('insights.movement.makeRule', { who: m.counterparty })}
                </Checkbox>
              ) : null}
              <ErrorBanner message={error} />
              <div className="tb-sheet-buttons">
                <Button fill="outline" disabled={busy || m.categorySource !== 'manual'} onClick={() => void save(null)}>
                  {t('insights.movement.resetAuto')}
                </Button>
                <Button
                  color="primary"
                  loading={busy}
                  disabled={!picked || (picked === m.category && !asRule)}
                  onClick={() => void save(picked)}
                  data-testid="recategorise-save"
                >
                  {t('common.save')}
                </Button>
              </div>
            </>
          ) : (
            <p className="tb-muted tb-center">{t('insights.movement.notCategorisable')}</p>
          )}
        </div>
      ) : null}
    </Popup>
  );
}
