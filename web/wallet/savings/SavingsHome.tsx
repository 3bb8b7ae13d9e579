import { List, Tag } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatFen } from '../../shared/money';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDate } from '../format';
import {
  type Product,
  OPEN_ORDER_STATUSES,
  useAssessment,
  useHoldings,
  useLocalized,
  useOrders,
  useProducts,
} from './api';
import { RateFigure, RiskTag } from './components';
import './savings.css';

/** 理财: my assets and income, my risk level, what I hold, applications under way, and the products. */
export default function SavingsHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const loc = useLocalized();
  const holdings = useHoldings();
  const assessment = useAssessment();
  const orders = useOrders();
  const products = useProducts();
  const data = holdings.data;
  const yesterday = data?.funds.reduce((sum, f) => sum + BigInt(f.yesterdayIncome), 0n) ?? 0n;
  const total = data?.funds.reduce((sum, f) => sum + BigInt(f.totalIncome), 0n) ?? 0n;
  const open = orders.data?.items.filter((o) => OPEN_ORDER_STATUSES.includes(o.status)) ?? [];
  const mmf = products.data?.items.find((p) => p.kind === 'fund' && p.fastRedeem) ?? products.data?.items[0];

  return (
    <div className="tb-page">
      <PageHeader title={t('savings.title')} back="/" />
      <section className="tb-savings-band" aria-labelledby="savings-total-label">
        <div id="savings-total-label" className="tb-savings-band-label">
          {t('savings.totalAssets')}
        </div>
        <div className="tb-savings-total" data-testid="savings-total">
          {data ? formatFen(data.totalAssets) : '…'}
        </div>
        <div className="tb-savings-band-row">
          <div>
            <span className="tb-savings-band-label">{t('savings.yesterdayIncome')}</span>
            <strong data-testid="savings-yesterday">{data ? formatFen(yesterday, { sign: true }) : '…'}</strong>
          </div>
          <div>
            <span className="tb-savings-band-label">{t('savings.totalIncome')}</span>
            <strong data-testid="savings-total-income">{data ? formatFen(total, { sign: true }) : '…'}</strong>
          </div>
        </div>
      </section>

      {holdings.error ? <ProblemView error={holdings.error} onRetry={() => void holdings.refetch()} /> : null}

      <Link to="/savings/questionnaire" className="tb-savings-level" data-testid="risk-profile">
        <span className="tb-muted">{t('savings.myLevel')}</span>
        {assessment.data?.assessment ? (
          <>
            <strong>
              {t(`savings.levels.${assessment.data.assessment.level}`, {
                defaultValue: assessment.data.assessment.level,
              })}
            </strong>
            {assessment.data.assessment.expired ? (
              <Tag color="danger">{t('savings.expired')}</Tag>
            ) : (
              <span className="tb-muted tb-small">
                {t('savings.validUntil', { day: formatDate(assessment.data.assessment.expiresAt) })}
              </span>
            )}
          </>
        ) : (
          <strong className="tb-brand-text">
            {assessment.isPending ? '…' : `${t('savings.notAssessed')} · ${t('savings.takeQuestionnaire')}`}
          </strong>
        )}
        <RightOutline className="tb-savings-chevron" aria-hidden />
      </Link>

      {open.length ? (
        <section className="tb-section" aria-labelledby="savings-applications">
          <div className="tb-section-head">
            <h2 id="savings-applications" className="tb-section-title">
              {t('savings.applications')}
            </h2>
          </div>
          <List>
            {open.map((order) => (
              <List.Item
                key={order.id}
                onClick={() => navigate(`/savings/orders/${order.id}`)}
                description={
                  t(`savings.orderTypes.${order.type}`, { defaultValue: order.type }) + ` · ${loc(order.productName)}`
                }
                extra={
                  <Tag color="warning">{t(`savings.orderStatus.${order.status}`, { defaultValue: order.status })}</Tag>
                }
                data-testid="savings-application"
              >
                {formatFen(order.amount)}
              </List.Item>
            ))}
          </List>
        </section>
      ) : null}

      <section className="tb-section" aria-labelledby="savings-holdings">
        <div className="tb-section-head">
          <h2 id="savings-holdings" className="tb-section-title">
            {t('savings.holdings')}
          </h2>
          <Link to="/savings/orders">{t('savings.allOrders')}</Link>
        </div>
        {data && !data.funds.length && !data.deposits.length ? (
          <p className="tb-muted tb-padded">{t('savings.noHoldings')}</p>
        ) : null}
        <List>
          {data?.funds.map((fund) => (
            <List.Item
              key={fund.productId}
              onClick={() => navigate(`/savings/funds/${fund.productId}`)}
              description={t('savings.yesterdayIncome') + ' ' + formatFen(fund.yesterdayIncome, { sign: true })}
              extra={<span className="tb-savings-amount">{formatFen(fund.shares)}</span>}
              data-testid={`holding-${fund.productId}`}
            >
              {loc(fund.name)}
            </List.Item>
          ))}
          {data?.deposits.map((deposit) => (
            <List.Item
              key={deposit.id}
              onClick={() => navigate(`/savings/deposits/${deposit.id}`)}
              description={`${t('savings.deposit.maturesOn')} ${deposit.maturesOn} · ${t(
                `savings.maturity.${deposit.maturityChoice}`,
                { defaultValue: deposit.maturityChoice },
              )}`}
              extra={<span className="tb-savings-amount">{formatFen(deposit.principal)}</span>}
              data-testid="holding-deposit"
            >
              {loc(deposit.productName)}
            </List.Item>
          ))}
        </List>
      </section>

      <section className="tb-section" aria-labelledby="savings-featured">
        <div className="tb-section-head">
          <h2 id="savings-featured" className="tb-section-title">
            {t('savings.catalogue')}
          </h2>
          <Link to="/savings/products" data-testid="savings-browse">
            {t('savings.browse')}
          </Link>
        </div>
        {products.error ? <ProblemView error={products.error} compact /> : null}
        {mmf ? <ProductCard product={mmf} /> : null}
      </section>
    </div>
  );
}

/** One product in a list: its name, the big yield or rate, risk level and minimum. */
export function ProductCard(props: { product: Product }) {
  const { t } = useTranslation();
  const termLabel = useTermLabel();
  const loc = useLocalized();
  const p = props.product;
  const fund = p.kind === 'fund';
  return (
    <Link to={`/savings/products/${p.id}`} className="tb-product-card" data-testid={`product-${p.id}`}>
      <div className="tb-product-card-name">
        <span>{loc(p.name)}</span>
        {p.status !== 'on_sale' ? <Tag color="default">{t('savings.closed')}</Tag> : null}
      </div>
      <div className="tb-product-card-body">
        <RateFigure
          value={fund ? p.latestYield?.yield7dPct : p.annualRatePct}
          label={fund ? t('savings.latestYield') : t('savings.annualRate')}
        />
        <div className="tb-product-card-facts">
          <RiskTag level={p.riskLevel} />
          <span className="tb-muted tb-small">
            {fund
              ? t('savings.minimum', { amount: formatFen(p.minimumAmount) })
              : termLabel(p.termMonths ?? 0) +
                ` · ${t('savings.minimumDeposit', { amount: formatFen(p.minimumAmount) })}`}
          </span>
        </div>
      </div>
    </Link>
  );
}

/** 3 → "3个月", 12 → "1年". */
export function useTermLabel(): (months: number) => string {
  const { t } = useTranslation();
  return (months) =>
    months % 12 === 0 ? t('savings.termYears', { count: months / 12 }) : t('savings.termMonths', { count: months });
}
