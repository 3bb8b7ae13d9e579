import { List } from 'antd-mobile';
import { CheckShieldOutline, ClockCircleOutline, RightOutline, LikeOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatFen } from '../../../shared/money';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { formatBp, useApplications, useCreditProducts, useDay, useLoans } from '../../credit-api';
import { StatusTag } from './components';
import './credit.css';

const OPEN = ['referred', 'approved', 'awaiting_signature'];

/** 借钱: the offer (how much, at what APR), an application under way, my loans, and credit health. */
export default function CreditHomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const day = useDay();
  const products = useCreditProducts();
  const loans = useLoans();
  const applications = useApplications();
  const loan = products.data?.loan;
  const open = applications.data?.items.find((a) => a.product === 'loan' && OPEN.includes(a.status));
  const items = loans.data?.items ?? [];

  return (
    <div className="tb-page">
      <PageHeader title={t('credit.loanTitle')} back="/" />
      <section className="tb-credit-band" aria-labelledby="credit-max-label">
        <div id="credit-max-label" className="tb-credit-band-label">
          {t('credit.maxAmount')}
        </div>
        <div className="tb-credit-band-amount" data-testid="credit-max">
          {loan ? formatFen(loan.maxAmount).replace(/\.00$/, '') : '…'}
        </div>
        <div className="tb-credit-band-apr" data-testid="credit-apr-range">
          {loan
            ? loan.annualRateBpFrom === loan.annualRateBpTo
              ? t('credit.aprFrom', { from: formatBp(loan.annualRateBpFrom) })
              : t('credit.aprRange', { from: formatBp(loan.annualRateBpFrom), to: formatBp(loan.annualRateBpTo) })
            : ''}
        </div>
        <Link to="/credit/loans/apply" className="tb-credit-cta" data-testid="credit-borrow">
          {t('credit.borrowNow')}
        </Link>
        <ul className="tb-credit-features">
          <li>
            <LikeOutline aria-hidden /> {t('credit.features.fast')}
          </li>
          <li>
            <ClockCircleOutline aria-hidden /> {t('credit.features.flexible')}
          </li>
          <li>
            <CheckShieldOutline aria-hidden /> {t('credit.features.early')}
          </li>
        </ul>
      </section>
      <p className="tb-fineprint tb-credit-fine">{t('credit.featuresHint')}</p>

      {products.error ? <ProblemView error={products.error} onRetry={() => void products.refetch()} /> : null}

      {open ? (
        <Link to={`/credit/applications/${open.id}`} className="tb-callout" data-testid="credit-open-application">
          <ClockCircleOutline aria-hidden /> {t('credit.openApplication')} ·{' '}
          {t(`credit.applicationStatus.${open.status}`, { defaultValue: open.status })}
        </Link>
      ) : null}

      <section className="tb-section" aria-labelledby="my-loans">
        <div className="tb-section-head">
          <h2 id="my-loans" className="tb-section-title">
            {t('credit.myLoans')}
          </h2>
        </div>
        {loans.error ? <ProblemView error={loans.error} compact /> : null}
        {loans.data && !items.length ? <p className="tb-muted tb-credit-empty">{t('credit.noLoans')}</p> : null}
        <List>
          {items.map((item) => (
            <List.Item
              key={item.id}
              onClick={() => navigate(`/credit/loans/${item.id}`)}
              description={
                item.nextDue
                  ? t('credit.nextDue', { date: day(item.nextDue.dueDate), amount: formatFen(item.nextDue.amount) })
                  : `${formatFen(item.amount)} · ${t('credit.termMonths', { count: item.termMonths })}`
              }
              extra={
                <span className="tb-credit-extra">
                  <strong>{formatFen(item.outstanding.total)}</strong>
                  <StatusTag
                    status={item.status}
                    label={t(`credit.loanStatus.${item.status}`, { defaultValue: item.status })}
                  />
                </span>
              }
              data-testid="credit-loan"
            >
              {formatFen(item.amount)} · {t(`credit.methods.${item.method}`, { defaultValue: item.method })}
            </List.Item>
          ))}
        </List>
      </section>

      <section className="tb-section">
        <List>
          <List.Item
            onClick={() => navigate('/credit/health')}
            description={t('credit.healthHint')}
            data-testid="credit-health-link"
            arrowIcon={<RightOutline />}
          >
            {t('credit.health')}
          </List.Item>
          <List.Item onClick={() => navigate('/credit/card')} arrowIcon={<RightOutline />}>
            {t('credit.cardTitle')}
          </List.Item>
          {applications.data?.items.length ? (
            <List.Item onClick={() => navigate('/credit/applications')} arrowIcon={<RightOutline />}>
              {t('credit.applications')}
            </List.Item>
          ) : null}
        </List>
      </section>
    </div>
  );
}
