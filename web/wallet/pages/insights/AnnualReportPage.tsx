import { Button, Empty, Toast } from 'antd-mobile';
import { DownlandOutline, LeftOutline, RightOutline } from 'antd-mobile-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatFen } from '../../../shared/money';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { type YearView, categoryColor, changePercent, formatShare, thisMonth, useYearView } from '../../insights-api';
import { useCategoryName } from './components';
import type { ReportPicture } from './report-image';
import './insights.css';

/** "2026-11-11" → "11月11日" / "11 Nov". */
function useDayLabel(): (day: string) => string {
  const { i18n } = useTranslation();
  return (day) =>
    new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day}T00:00:00Z`));
}

/** The report's words, the same for the page and the image. */
function usePicture(data: YearView | undefined, previous: YearView | undefined): ReportPicture | null {
  const { t, i18n } = useTranslation();
  const name = useCategoryName();
  const dayLabel = useDayLabel();
  return useMemo(() => {
    if (!data) return null;
    // Against last year only when last year was recorded for as many months (a holder who joined last December
    // did not spend ten times more this year).
    const monthsWith = (view: YearView) => view.byMonth.filter((m) => m.spent > 0).length;
    const comparable = previous !== undefined && monthsWith(previous) >= monthsWith(data);
    const change = comparable ? changePercent(data.spent, data.facts.previousYearSpent) : null;
    const facts: string[] = [];
    if (data.busiestDay)
      facts.push(
        t('insights.report.factLine', {
          label: t('insights.report.busiestDay'),
          text: t('insights.report.busiestDayText', {
            day: dayLabel(data.busiestDay.day),
            amount: formatFen(data.busiestDay.amount),
            count: data.busiestDay.count,
          }),
        }),
      );
    if (data.biggestPayment)
      facts.push(
        t('insights.report.factLine', {
          label: t('insights.report.biggest'),
          text: t('insights.report.biggestText', {
            day: dayLabel(data.biggestPayment.day),
            who: data.biggestPayment.counterparty ?? name(data.biggestPayment.category),
            amount: formatFen(data.biggestPayment.amount),
          }),
        }),
      );
    if (data.facts.favouriteMerchant)
      facts.push(
        t('insights.report.favourite', {
          name: data.facts.favouriteMerchant.name,
          count: data.facts.favouriteMerchant.count,
        }),
      );
    if (data.facts.activeDays) facts.push(t('insights.report.activeDays', { count: data.facts.activeDays }));
    if (data.facts.merchantCount) facts.push(t('insights.report.merchantCount', { count: data.facts.merchantCount }));
    if (data.facts.averagePerMonth)
      facts.push(t('insights.report.averagePerMonth', { amount: formatFen(data.facts.averagePerMonth) }));
    return {
      title: t('insights.report.title', { year: data.year }),
      subtitle: t('insights.report.subtitle'),
      spentLabel: t('insights.report.spent'),
      spent: formatFen(data.spent),
      countLine: t('insights.report.count', { count: data.spendingCount }),
      compareLine:
        change === null || change === 0
          ? null
          : t(change > 0 ? 'insights.report.vsLastYearMore' : 'insights.report.vsLastYearLess', {
              percent: Math.abs(change),
            }),
      categoriesTitle: t('insights.report.topCategories'),
      categories: data.byCategory.slice(0, 5).map((c) => ({
        label: name(c.category),
        amount: formatFen(c.amount),
        shareBp: c.shareBp,
        color: categoryColor(c.category),
      })),
      monthsTitle: t('insights.report.byMonth'),
      months: data.byMonth.map((m) => ({
        label: i18n.language === 'en' ? String(Number(m.month.slice(5))) : `${Number(m.month.slice(5))}月`,
        fen: m.spent,
      })),
      factsTitle: t('insights.report.facts'),
      facts,
      footer: t('insights.report.footer'),
    };
  }, [data, previous, t, i18n.language, name, dayLabel]);
}

/** 年度账单: the year's spending as a poster, with the top categories and merchants and a few facts; saved as a PNG. */
export default function AnnualReportPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const latestYear = Number(thisMonth().slice(0, 4));
  const year = /^\d{4}$/.test(params.year ?? '') ? Number(params.year) : latestYear;
  const report = useYearView(year);
  const data = report.data;
  const previous = useYearView(year - 1);
  const picture = usePicture(data, previous.data);
  const [saving, setSaving] = useState(false);
  const [image, setImage] = useState<string | null>(null);

  const save = async () => {
    if (!picture) return;
    setSaving(true);
    try {
      const { reportFile } = await import('./report-image');
      const { url, file } = await reportFile(picture, `tongbao-${year}.png`);
      setImage(url);
      const link = document.createElement('a');
      link.href = url;
      link.download = `tongbao-${year}.png`;
      link.click();
      Toast.show({ content: t('insights.report.downloaded') });
      if (file && typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] }))
        await navigator.share({ files: [file], title: picture.title }).catch(() => undefined);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="tb-page tb-report-page">
      <PageHeader title={t('insights.annualReport')} back="/insights" />
      <div className="tb-report-years">
        <button
          type="button"
          className="tb-icon-button"
          aria-label={t('insights.report.previousYear')}
          onClick={() => navigate(`/insights/annual/${year - 1}`, { replace: true })}
        >
          <LeftOutline aria-hidden />
        </button>
        <strong>{year}</strong>
        <button
          type="button"
          className="tb-icon-button"
          aria-label={t('insights.report.nextYear')}
          disabled={year >= latestYear}
          onClick={() => navigate(`/insights/annual/${year + 1}`, { replace: true })}
        >
          <RightOutline aria-hidden />
        </button>
      </div>
      {report.error ? <ProblemView error={report.error} onRetry={() => void report.refetch()} /> : null}
      {data && picture ? (
        <>
          <article className="tb-report" aria-labelledby="report-title" data-testid="annual-report">
            <p className="tb-report-subtitle">{picture.subtitle}</p>
            <h2 id="report-title" className="tb-report-title">
              {picture.title}
            </h2>
            {!data.complete ? <p className="tb-report-note">{t('insights.report.notComplete', { year })}</p> : null}
            <p className="tb-report-label">{picture.spentLabel}</p>
            <p className="tb-report-total" data-testid="report-spent">
              {picture.spent}
            </p>
            <p className="tb-report-sub">
              {picture.countLine}
              {picture.compareLine ? ` · ${picture.compareLine}` : ''} · {t('insights.income')} {formatFen(data.income)}
            </p>
            {data.spent > 0 ? (
              <>
                <section className="tb-report-card" aria-labelledby="report-categories">
                  <h3 id="report-categories">{picture.categoriesTitle}</h3>
                  <ul className="tb-report-cats">
                    {data.byCategory.slice(0, 5).map((c, index) => (
                      <li key={c.category}>
                        <span className="tb-ins-dot" style={{ background: picture.categories[index].color }} />
                        <span className="tb-report-cat-name">{picture.categories[index].label}</span>
                        <span className="tb-report-cat-bar">
                          <span
                            style={{
                              width: `${Math.max(4, (c.shareBp * 100) / Math.max(data.byCategory[0].shareBp, 1))}%`,
                              background: picture.categories[index].color,
                            }}
                          />
                        </span>
                        <span className="tb-report-cat-figure">
                          <strong>{picture.categories[index].amount}</strong>
                          <small>{formatShare(c.shareBp)}</small>
                        </span>
                      </li>
                    ))}
                  </ul>
                </section>
                <section className="tb-report-months" aria-labelledby="report-months">
                  <h3 id="report-months">{picture.monthsTitle}</h3>
                  <MonthBars months={picture.months} />
                </section>
                {data.topMerchants.length ? (
                  <section className="tb-report-card" aria-labelledby="report-merchants">
                    <h3 id="report-merchants">{t('insights.report.topMerchants')}</h3>
                    <ol className="tb-report-merchants">
                      {data.topMerchants.slice(0, 3).map((m, index) => (
                        <li key={`${m.name}-${index}`}>
                          <span className="tb-report-medal" data-rank={index + 1}>
                            {index + 1}
                          </span>
                          <span className="tb-report-merchant-name">{m.name}</span>
                          <span className="tb-muted">{t('insights.times', { count: m.count })}</span>
                          <strong>{formatFen(m.amount)}</strong>
                        </li>
                      ))}
                    </ol>
                  </section>
                ) : null}
                <section className="tb-report-facts" aria-labelledby="report-facts">
                  <h3 id="report-facts">{picture.factsTitle}</h3>
                  <ul>
                    {picture.facts.map((fact) => (
                      <li key={fact}>{fact}</li>
                    ))}
                  </ul>
                </section>
              </>
            ) : (
              <Empty description={t('insights.report.empty')} className="tb-report-empty" />
            )}
            <p className="tb-report-footer">
              <span className="tb-brand-mark" aria-hidden>
                通
              </span>
              {picture.footer}
            </p>
          </article>
          <div className="tb-padded">
            <Button
              block
              color="primary"
              loading={saving}
              onClick={() => void save()}
              disabled={data.spent <= 0}
              data-testid="report-download"
            >
              <DownlandOutline aria-hidden /> {t('insights.report.download')}
            </Button>
            {image ? (
              <img className="tb-report-image" src={image} alt={picture.title} data-testid="report-image" />
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}

/** Twelve gold bars, the biggest month brightest. */
function MonthBars(props: { months: ReportPicture['months'] }) {
  const most = Math.max(...props.months.map((m) => m.fen), 1);
  return (
    <div className="tb-report-bars" aria-hidden>
      {props.months.map((m) => (
        <span key={m.label} className="tb-report-bar">
          <span
            className="tb-report-bar-fill"
            data-top={m.fen === most}
            style={{ height: `${m.fen > 0 ? Math.max(3, (m.fen * 100) / most) : 1}%` }}
          />
          <small>{m.label}</small>
        </span>
      ))}
    </div>
  );
}
