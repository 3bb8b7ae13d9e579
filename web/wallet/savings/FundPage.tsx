import { Button, List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatFen } from '../../shared/money';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatPct, formatPer10k, useHoldings, useIncome, useLocalized } from './api';
import './savings.css';

/** My holding in one fund: what I hold, yesterday's and total income, the income by day; buy or redeem. */
export default function FundPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const loc = useLocalized();
  const holdings = useHoldings();
  const income = useIncome(id);
  const fund = holdings.data?.funds.find((f) => f.productId === id);
  if (holdings.isPending) return <Loading />;
  if (holdings.error) return <ProblemView error={holdings.error} onRetry={() => void holdings.refetch()} />;
  return (
    <div className="tb-page">
      <PageHeader title={t('savings.myAssets')} back="/savings" />
      <section className="tb-savings-band" aria-label={t('savings.shares')}>
        <div className="tb-savings-band-label">
          {fund ? `${loc(fund.name)} · ` : ''}
          {t('savings.shares')}
        </div>
        <div className="tb-savings-total" data-testid="fund-shares">
          {formatFen(fund?.shares ?? 0)}
        </div>
        <div className="tb-savings-band-row">
          <div>
            <span className="tb-savings-band-label">{t('savings.yesterdayIncome')}</span>
            <strong data-testid="fund-yesterday">{formatFen(fund?.yesterdayIncome ?? 0, { sign: true })}</strong>
          </div>
          <div>
            <span className="tb-savings-band-label">{t('savings.totalIncome')}</span>
            <strong data-testid="fund-total-income">{formatFen(fund?.totalIncome ?? 0, { sign: true })}</strong>
          </div>
        </div>
      </section>
      <section className="tb-section">
        <List>
          <List.Item extra={formatFen(fund?.earningShares ?? 0)}>{t('savings.earningShares')}</List.Item>
          <List.Item extra={formatFen(fund?.pendingShares ?? 0)}>{t('savings.pendingShares')}</List.Item>
          <List.Item
            extra={formatPct(fund?.latestYield?.yield7dPct)}
            description={fund?.latestYield ? t('savings.yieldAsOf', { day: fund.latestYield.day }) : undefined}
            onClick={() => navigate(`/savings/products/${id}`)}
          >
            {t('savings.latestYield')}
          </List.Item>
        </List>
        <p className="tb-fineprint tb-padded-x">{t('savings.noPayWithShares')}</p>
      </section>
      <section className="tb-section" aria-labelledby="income-title">
        <div className="tb-section-head">
          <h2 id="income-title" className="tb-section-title">
            {t('savings.incomeHistory')}
          </h2>
        </div>
        {income.data && !income.data.items.length ? (
          <p className="tb-muted tb-padded">{t('savings.noIncomeYet')}</p>
        ) : null}
        <List data-testid="income-list">
          {income.data?.items.map((item) => (
            <List.Item
              key={`${item.day}-${item.productId}`}
              description={`${t('savings.per10k')} ${formatPer10k(item.per10k)} · ${formatFen(item.eligibleShares)}`}
              extra={<span className="tb-in">{formatFen(item.amount, { sign: true })}</span>}
            >
              {t('savings.incomeLine', { day: item.day })}
            </List.Item>
          ))}
        </List>
      </section>
      <div className="tb-action-bar">
        <Button
          block
          size="large"
          fill="outline"
          color="primary"
          disabled={!fund || BigInt(fund.shares) <= 0n}
          onClick={() => navigate(`/savings/funds/${id}/redeem`)}
          data-testid="fund-redeem"
        >
          {t('savings.redeem')}
        </Button>
        <Button
          block
          size="large"
          color="primary"
          onClick={() => navigate(`/savings/products/${id}/buy`)}
          data-testid="fund-buy"
        >
          {t('savings.buy')}
        </Button>
      </div>
    </div>
  );
}
