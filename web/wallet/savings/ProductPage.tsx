import { Button, Collapse, List } from 'antd-mobile';
import { FileOutline } from 'antd-mobile-icons';
import { Suspense, lazy, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatFen } from '../../shared/money';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { Segments } from '../components/Segments';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { type YieldRange, formatPct, formatPer10k, useHoldings, useLocalized, useProduct, useYields } from './api';
import { RateFigure, RiskTag, RiskWarning } from './components';
import { useTermLabel } from './SavingsHome';
import './savings.css';

// ECharts is loaded only when a chart is drawn: neither home nor this page's own chunk carries it.
const YieldChart = lazy(() => import('./YieldChart'));

const RANGES: YieldRange[] = ['7d', '1m', '3m'];

/** Markdown of the manual as plain paragraphs: headings lose their marks, lists keep a bullet. */
export function manualText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => line.replace(/^#{1,6}\s+/, '').replace(/^[-*]\s+/, '• '))
    .join('\n')
    .trim();
}

/** A product: the figures, the yield chart (funds), rates (deposits), fees, manual, risk warning, buy. */
export default function ProductPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const termLabel = useTermLabel();
  const loc = useLocalized();
  const product = useProduct(id);
  const holdings = useHoldings();
  const [range, setRange] = useState<YieldRange>('7d');
  const p = product.data;
  const fund = p?.kind === 'fund';
  const yields = useYields(id, range, fund);
  const points = useMemo(
    () => (yields.data?.points ?? []).map((point) => ({ day: point.day, value: Number(point.yield7dPct) })),
    [yields.data],
  );
  const format = useCallback((value: number) => `${value.toFixed(3)}%`, []);
  const held = holdings.data?.funds.find((f) => f.productId === id);

  if (product.isPending) return <Loading />;
  if (!p) return <ProblemView error={product.error} onRetry={() => void product.refetch()} />;
  return (
    <div className="tb-page">
      <PageHeader title={loc(p.name)} />
      <section className="tb-product-hero" aria-label={loc(p.name)}>
        <div className="tb-product-hero-name">
          <span>{loc(p.name)}</span>
          <span className="tb-muted tb-small">{p.code}</span>
        </div>
        <RateFigure
          big
          value={fund ? p.latestYield?.yield7dPct : p.annualRatePct}
          label={fund ? t('savings.latestYield') : t('savings.annualRate')}
        />
        <div className="tb-product-hero-facts">
          <RiskTag level={p.riskLevel} />
          {fund && p.latestYield ? (
            <span className="tb-small">
              {t('savings.per10k')} {formatPer10k(p.latestYield.per10k)} ·{' '}
              {t('savings.yieldAsOf', { day: p.latestYield.day })}
            </span>
          ) : null}
          {!fund && p.termMonths ? (
            <span className="tb-small">
              {t('savings.term')} {termLabel(p.termMonths)}
            </span>
          ) : null}
        </div>
      </section>

      {fund ? (
        <section className="tb-section" aria-labelledby="yield-chart-title">
          <div className="tb-section-head">
            <h2 id="yield-chart-title" className="tb-section-title">
              {t('savings.yieldChart')}
            </h2>
          </div>
          <div className="tb-chart-body">
            <Segments
              label={t('savings.yieldChart')}
              value={range}
              onChange={setRange}
              options={RANGES.map((value) => ({ value, label: t(`savings.ranges.${value}`) }))}
              data-testid="yield-range"
            />
            {yields.isPending ? (
              <div className="tb-chart-placeholder">{t('savings.chartLoading')}</div>
            ) : points.length ? (
              <Suspense fallback={<div className="tb-chart-placeholder">{t('savings.chartLoading')}</div>}>
                <YieldChart points={points} label={t('savings.yieldChart')} format={format} />
              </Suspense>
            ) : (
              <div className="tb-chart-placeholder">{t('savings.noYields')}</div>
            )}
          </div>
        </section>
      ) : null}

      <section className="tb-section">
        <List>
          <List.Item extra={formatFen(p.minimumAmount)}>{t('savings.minimumLabel')}</List.Item>
          {!fund ? <List.Item extra={formatPct(p.annualRatePct)}>{t('savings.annualRate')}</List.Item> : null}
          {!fund ? <List.Item extra={formatPct(p.demandRatePct)}>{t('savings.demandRate')}</List.Item> : null}
          <List.Item extra={<RiskTag level={p.riskLevel} />}>{t('savings.riskLevel')}</List.Item>
          <List.Item description={loc(p.fees)}>{t('savings.fees')}</List.Item>
          <List.Item extra={t(`savings.tiers.${p.minTier}`, { defaultValue: p.minTier })}>
            {t('savings.minTier')}
          </List.Item>
          <List.Item
            extra={`v${p.version}`}
            description={t('savings.effective', { time: formatDateTime(p.effectiveAt) })}
          >
            {t('savings.version')}
          </List.Item>
          <List.Item
            prefix={<FileOutline aria-hidden />}
            onClick={() => window.open(`/api/v1/savings/products/${encodeURIComponent(p.id)}/manual.pdf`, '_blank')}
            data-testid="product-manual"
          >
            {t('savings.manual')}
          </List.Item>
        </List>
        {!fund ? <p className="tb-fineprint tb-padded-x">{t('savings.interestRule')}</p> : null}
      </section>

      <Collapse className="tb-section tb-manual">
        <Collapse.Panel key="manual" title={t('savings.manualTitle')}>
          <div className="tb-manual-text">{manualText(loc(p.manual))}</div>
        </Collapse.Panel>
      </Collapse>

      <div className="tb-section-pad">
        <RiskWarning text={p.riskWarning} />
      </div>

      <div className="tb-action-bar">
        {held && BigInt(held.shares) > 0n ? (
          <Button
            size="large"
            fill="outline"
            color="primary"
            onClick={() => navigate(`/savings/funds/${p.id}/redeem`)}
            data-testid="product-redeem"
          >
            {t('savings.redeem')}
          </Button>
        ) : null}
        <Button
          block
          size="large"
          color="primary"
          disabled={p.status !== 'on_sale'}
          onClick={() => navigate(`/savings/products/${p.id}/buy`)}
          data-testid="product-buy"
        >
          {p.status !== 'on_sale' ? t('savings.closed') : fund ? t('savings.buy') : t('savings.openDeposit')}
        </Button>
      </div>
    </div>
  );
}
