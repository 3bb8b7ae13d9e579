import { List } from 'antd-mobile';
import { BankcardOutline } from 'antd-mobile-icons';
import { lazy, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatFen } from '../../../shared/money';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatDateTime } from '../../format';
import { useAssets } from '../../insights-api';
import { ChartSlot } from './components';
import './insights.css';

const TrendChart = lazy(() => import('./charts').then((m) => ({ default: m.TrendChart })));

/** 我的资产: everything the holder has here, what they owe, net worth over the last year; each line opens its page. */
export default function AssetsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const assets = useAssets();
  const data = assets.data;
  const english = i18n.language === 'en';
  const points = useMemo(
    () =>
      (data?.history ?? []).map((h) => ({
        label: english ? h.month.slice(2).replace('-', '/') : `${Number(h.month.slice(5))}月`,
        fen: h.netWorth,
      })),
    [data, english],
  );
  const format = useCallback((fen: number) => formatFen(fen), []);

  return (
    <div className="tb-page tb-ins-page">
      <PageHeader title={t('insights.assets.title')} />
      <section className="tb-ins-band tb-ins-assets-band" aria-labelledby="assets-total-label">
        <div id="assets-total-label" className="tb-ins-band-label">
          {t('insights.assets.total')}
        </div>
        <div className="tb-ins-total" data-testid="assets-total">
          {data ? formatFen(data.total) : '…'}
        </div>
        {data ? (
          <div className="tb-ins-band-row">
            <span className="tb-ins-change">
              <span className="tb-ins-change-label">{t('insights.assets.netWorth')}</span>
              <strong data-testid="assets-net-worth">{formatFen(data.netWorth)}</strong>
            </span>
            <span className="tb-ins-change">
              <span className="tb-ins-change-label">{t('insights.assets.owed')}</span>
              <strong>{formatFen(data.owed)}</strong>
            </span>
          </div>
        ) : null}
      </section>
      {assets.error ? <ProblemView error={assets.error} onRetry={() => void assets.refetch()} /> : null}
      {data ? (
        <>
          <section className="tb-section" aria-labelledby="assets-lines">
            <h2 id="assets-lines" className="tb-visually-hidden">
              {t('insights.assets.title')}
            </h2>
            <List>
              {data.lines.map((line) => (
                <List.Item
                  key={line.key}
                  onClick={line.path ? () => navigate(line.path as string) : undefined}
                  arrow={line.path ? undefined : false}
                  extra={<span className="tb-ins-amount">{formatFen(line.amount)}</span>}
                  data-testid={`asset-${line.key}`}
                >
                  {t(`insights.assets.lines.${line.key}`, { defaultValue: line.key })}
                </List.Item>
              ))}
            </List>
          </section>
          {points.length > 1 ? (
            <section className="tb-section" aria-labelledby="assets-trend">
              <div className="tb-section-head">
                <h2 id="assets-trend" className="tb-section-title">
                  {t('insights.assets.trend')}
                </h2>
              </div>
              <div className="tb-ins-chart-pad">
                <ChartSlot height={170}>
                  <TrendChart points={points} label={t('insights.assets.trend')} format={format} />
                </ChartSlot>
              </div>
            </section>
          ) : null}
          <section className="tb-section" aria-labelledby="assets-cards">
            <div className="tb-section-head">
              <h2 id="assets-cards" className="tb-section-title">
                {t('insights.assets.cards')}
              </h2>
            </div>
            <List>
              {data.cards.map((card) => (
                <List.Item key={card.id} prefix={<BankcardOutline aria-hidden />} onClick={() => navigate(card.path)}>
                  {t('insights.assets.cardLine', {
                    bank: english ? card.bankNameEn : card.bankName,
                    last4: card.last4,
                  })}
                </List.Item>
              ))}
              {!data.cards.length ? (
                <List.Item onClick={() => navigate('/cards/add')}>{t('insights.assets.noCards')}</List.Item>
              ) : null}
            </List>
          </section>
          <p className="tb-fineprint tb-ins-asof">{t('insights.assets.asOf', { time: formatDateTime(data.asOf) })}</p>
        </>
      ) : null}
    </div>
  );
}
