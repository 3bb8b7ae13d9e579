import { DatePicker } from 'antd-mobile';
import { DownOutline, LeftOutline, RightOutline } from 'antd-mobile-icons';
import { type ReactNode, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { categoryColor, changePercent, shiftMonth, thisMonth } from '../../insights-api';

/** "2026-11" → "2026年11月" / "11/2026". */
export function useMonthLabel(): (month: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (month: string) => t('insights.monthLabel', { year: month.slice(0, 4), month: String(Number(month.slice(5, 7))) }),
    [t],
  );
}

/** A category code → its name in the current language ("dining" → "餐饮"); null → "未分类". */
export function useCategoryName(): (category: string | null | undefined) => string {
  const { t } = useTranslation();
  return useCallback(
    (category: string | null | undefined) =>
      t(`insights.categories.${category ?? 'none'}`, { defaultValue: category ?? '' }),
    [t],
  );
}

/** The month in view, with arrows to the months either side and a month picker; never past this month. */
export function MonthSwitcher(props: { month: string; onChange: (month: string) => void }) {
  const { t } = useTranslation();
  const label = useMonthLabel();
  const [open, setOpen] = useState(false);
  const latest = thisMonth();
  const { month, onChange } = props;
  return (
    <div className="tb-ins-month">
      <button
        type="button"
        className="tb-icon-button tb-on-brand"
        aria-label={t('insights.previousMonth')}
        onClick={() => onChange(shiftMonth(month, -1))}
        data-testid="month-previous"
      >
        <LeftOutline aria-hidden />
      </button>
      <button
        type="button"
        className="tb-ins-month-label"
        onClick={() => setOpen(true)}
        aria-label={`${t('insights.pickMonth')}: ${label(month)}`}
        data-testid="month-label"
      >
        {label(month)} <DownOutline aria-hidden fontSize={12} />
      </button>
      <button
        type="button"
        className="tb-icon-button tb-on-brand"
        aria-label={t('insights.nextMonth')}
        onClick={() => onChange(shiftMonth(month, 1))}
        disabled={month >= latest}
        data-testid="month-next"
      >
        <RightOutline aria-hidden />
      </button>
      <DatePicker
        title={t('insights.pickMonth')}
        visible={open}
        precision="month"
        min={new Date(2020, 0, 1)}
        max={new Date(Number(latest.slice(0, 4)), Number(latest.slice(5, 7)) - 1, 1)}
        value={new Date(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1)}
        onClose={() => setOpen(false)}
        onConfirm={(value) => onChange(`${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}`)}
      />
    </div>
  );
}

/** A round dot in the category's colour. */
export function CategoryDot(props: { category: string | null }) {
  return <span className="tb-ins-dot" style={{ background: categoryColor(props.category) }} aria-hidden />;
}

/** "较上月 多 12%" / "少 5%" / "持平" / "暂无对比": more spending is amber, less is green. */
export function Change(props: { now: number; before: number; label: string; testId?: string }) {
  const { t } = useTranslation();
  const percent = changePercent(props.now, props.before);
  const text =
    percent === null
      ? t('insights.noComparison')
      : percent === 0
        ? t('insights.same')
        : percent > 0
          ? `↑ ${t('insights.up', { percent })}`
          : `↓ ${t('insights.down', { percent: -percent })}`;
  return (
    <span className="tb-ins-change" data-testid={props.testId}>
      <span className="tb-ins-change-label">{props.label}</span>
      <strong data-trend={percent === null || percent === 0 ? 'flat' : percent > 0 ? 'up' : 'down'}>{text}</strong>
    </span>
  );
}

/** A lazily loaded chart's place while ECharts arrives. */
export function ChartSlot(props: { children: ReactNode; height: number }) {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <div className="tb-ins-chart-wait" style={{ height: props.height }}>
          {t('insights.chartLoading')}
        </div>
      }
    >
      {props.children}
    </Suspense>
  );
}
