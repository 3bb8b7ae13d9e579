import { List, Tag } from 'antd-mobile';
import { RightOutline, UnorderedListOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatFen } from '../../../shared/money';
import { BILL_TYPES, maskAccount, useBillsDue, useSavedAccounts } from '../../bills-api';
import { BillTypeIcon, DueBadge, billerName } from '../../components/Bills';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';

/** 生活缴费: what is due, the saved accounts with their due badges, and the bill types to add one. */
export default function BillsHomePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const english = i18n.language === 'en';
  const accounts = useSavedAccounts();
  const due = useBillsDue();

  return (
    <div className="tb-page">
      <PageHeader
        title={t('bills.title')}
        right={
          <Link to="/bills/history" className="tb-navbar-link" data-testid="bills-history-link">
            <UnorderedListOutline aria-hidden /> <span className="tb-visually-hidden">{t('bills.history')}</span>
          </Link>
        }
      />
      <div className="tb-page-body">
        {due.data && due.data.count > 0 ? (
          <div
            className={`tb-bills-due-strip${due.data.overdueCount > 0 ? ' tb-bills-due-overdue' : ''}`}
            role="status"
            data-testid="bills-due"
          >
            <strong>{t('bills.homeDue', { count: due.data.count, amount: formatFen(due.data.total) })}</strong>
            {due.data.overdueCount > 0 ? <span>{t('bills.homeOverdue')}</span> : null}
          </div>
        ) : null}

        <h2 className="tb-section-title tb-bills-heading">{t('bills.myAccounts')}</h2>
        {accounts.error ? <ProblemView error={accounts.error} onRetry={() => void accounts.refetch()} /> : null}
        {accounts.isPending ? <Loading /> : null}
        {accounts.data && accounts.data.items.length === 0 ? (
          <p className="tb-bills-empty">{t('bills.noAccounts')}</p>
        ) : null}
        {accounts.data?.items.length ? (
          <List className="tb-bills-accounts" data-testid="bill-accounts">
            {accounts.data.items.map((account) => (
              <List.Item
                key={account.id}
                prefix={
                  <span className={`tb-bill-icon tb-bill-icon-${account.biller.type}`}>
                    <BillTypeIcon type={account.biller.type} />
                  </span>
                }
                onClick={() => navigate(`/bills/accounts/${encodeURIComponent(account.id)}`)}
                description={
                  <>
                    {billerName(account.biller, english)} · {maskAccount(account.accountNumber)}
                    {account.autopay && account.autopay.status !== 'cancelled' ? (
                      <Tag color={account.autopay.status === 'active' ? 'success' : 'default'} className="tb-tag-gap">
                        {account.autopay.status === 'active' ? t('bills.autopayOn') : t('bills.autopayPaused')}
                      </Tag>
                    ) : null}
                  </>
                }
                extra={<DueBadge due={account.due} testId={`due-${account.id}`} />}
                data-testid="bill-account"
              >
                <span className="tb-bill-label">{account.label}</span>{' '}
                <span className="tb-record-sub">
                  {t(`bills.types.${account.biller.type}`, { defaultValue: account.biller.type })}
                </span>
              </List.Item>
            ))}
          </List>
        ) : null}

        <h2 className="tb-section-title tb-bills-heading">{t('bills.newPayment')}</h2>
        <nav className="tb-bill-types" aria-label={t('bills.newPayment')}>
          {BILL_TYPES.map((type) => (
            <Link key={type} to={`/bills/new/${type}`} className="tb-bill-type" data-testid={`bill-type-${type}`}>
              <span className={`tb-bill-icon tb-bill-icon-${type}`}>
                <BillTypeIcon type={type} />
              </span>
              <span>{t(`bills.types.${type}`)}</span>
            </Link>
          ))}
        </nav>

        <List className="tb-bills-links">
          <List.Item arrow={<RightOutline />} onClick={() => navigate('/bills/history')}>
            {t('bills.history')}
          </List.Item>
        </List>
      </div>
    </div>
  );
}
