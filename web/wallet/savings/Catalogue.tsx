import { Tabs } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { useProducts } from './api';
import { ProductCard } from './SavingsHome';
import './savings.css';

/** The product catalogue: funds (daily income) and term deposits, each with its risk level and figures. */
export default function CataloguePage() {
  const { t } = useTranslation();
  const products = useProducts();
  const [params, setParams] = useSearchParams();
  const tab = params.get('kind') === 'term_deposit' ? 'term_deposit' : 'fund';
  const items = (products.data?.items ?? [])
    .filter((p) => p.kind === tab)
    .sort((a, b) => (a.termMonths ?? 0) - (b.termMonths ?? 0));
  return (
    <div className="tb-page">
      <PageHeader title={t('savings.catalogue')} back="/savings" />
      <Tabs activeKey={tab} onChange={(key) => setParams({ kind: key }, { replace: true })} className="tb-savings-tabs">
        <Tabs.Tab title={t('savings.funds')} key="fund" />
        <Tabs.Tab title={t('savings.deposits')} key="term_deposit" />
      </Tabs>
      <div className="tb-page-body">
        {products.isPending ? <Loading /> : null}
        {products.error ? <ProblemView error={products.error} onRetry={() => void products.refetch()} /> : null}
        <div className="tb-product-list" data-testid="catalogue">
          {items.map((product) => (
            <ProductCard key={product.id} product={product} />
          ))}
        </div>
        {tab === 'term_deposit' ? <p className="tb-fineprint">{t('savings.interestRule')}</p> : null}
      </div>
    </div>
  );
}
