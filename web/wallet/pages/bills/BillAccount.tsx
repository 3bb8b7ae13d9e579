import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Input, List, Selector, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../../shared/api';
import { formatFen, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { type Inquiry, type SavedAccount, useMandates, useSavedAccounts } from '../../bills-api';
import { AmountField } from '../../components/AmountField';
import { BillCard, BillTypeIcon, OverdueNotice, billerName } from '../../components/Bills';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PayBill } from '../../components/PayBill';
import { MaintenanceView, ProblemView, maintenanceOf } from '../../components/ProblemView';

const REMIND_DAYS = [1, 3, 5, 7];

/** One saved account (户号): its bills as the biller has them now, pay, autopay, reminders, label, remove. */
export default function BillAccountPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const english = i18n.language === 'en';
  const { id } = useParams();
  const accounts = useSavedAccounts();
  const mandates = useMandates();
  const account = accounts.data?.items.find((item) => item.id === id);
  const inquiry = useQuery({
    queryKey: ['bills', 'inquiry', account?.billerId, account?.accountNumber],
    queryFn: () =>
      api.post<Inquiry>('/api/v1/bills/inquiries', {
        billerId: account?.billerId,
        accountNumber: account?.accountNumber,
      }),
    enabled: Boolean(account),
    retry: false,
  });
  const [label, setLabel] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);

  if (accounts.isPending) return <Loading />;
  if (accounts.error) return <ProblemView error={accounts.error} onRetry={() => void accounts.refetch()} />;
  if (!account)
    return (
      <div className="tb-page">
        <PageHeader title={t('bills.account.title')} back="/bills" />
        <ProblemView error={new ApiError({ status: 404, code: 'BILL_ACCOUNT_NOT_FOUND' })} />
      </div>
    );

  const update = async (body: Partial<Pick<SavedAccount, 'label' | 'reminderDaysBefore'>>) => {
    setError(null);
    try {
      await api.patch(`/api/v1/bills/accounts/${encodeURIComponent(account.id)}`, body);
      await client.invalidateQueries({ queryKey: ['bills', 'accounts'] });
      Toast.show({ icon: 'success', content: t('bills.saved') });
      setLabel(null);
    } catch (failure) {
      setError(failure);
    }
  };
  const remove = async () => {
    const yes = await Dialog.confirm({
      content: t('bills.account.confirmRemove', { name: account.label }),
      confirmText: t('bills.account.remove'),
      cancelText: t('common.cancel'),
    });
    if (!yes) return;
    try {
      await api.delete(`/api/v1/bills/accounts/${encodeURIComponent(account.id)}`);
      await client.invalidateQueries({ queryKey: ['bills'] });
      Toast.show({ content: t('bills.account.removed') });
      navigate('/bills', { replace: true });
    } catch (failure) {
      setError(failure);
    }
  };

  const mandate = mandates.data?.items.find((m) => m.savedAccountId === account.id && m.status !== 'cancelled');
  const bills = inquiry.data?.bills ?? account.bills;
  const maintenance = maintenanceOf(inquiry.error);
  const offline = inquiry.error instanceof ApiError && inquiry.error.code === 'BILLER_UNAVAILABLE';
  return (
    <div className="tb-page">
      <PageHeader title={account.label} back="/bills" />
      <div className="tb-page-body">
        <div className="tb-bill-head" data-testid="bill-account-head">
          <span className={`tb-bill-icon tb-bill-icon-${account.biller.type}`}>
            <BillTypeIcon type={account.biller.type} />
          </span>
          <div>
            <div className="tb-payee-name">
              {account.label}{' '}
              <Tag color="primary" fill="outline">
                {t(`bills.types.${account.biller.type}`, { defaultValue: account.biller.type })}
              </Tag>
            </div>
            <div className="tb-muted">
              {billerName(account.biller, english)} · {account.accountNumber}
              {inquiry.data?.holderName ? ` · ${inquiry.data.holderName}` : ''}
            </div>
          </div>
        </div>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {maintenance ? <MaintenanceView announcement={maintenance} /> : null}
        {offline ? (
          <ErrorBanner message={t('bills.billerOffline', { name: billerName(account.biller, english) })} />
        ) : inquiry.error && !maintenance ? (
          <ErrorBanner message={errorMessage(inquiry.error)} />
        ) : null}
        {inquiry.isFetching && !inquiry.data ? <Loading /> : null}

        {account.biller.mode === 'prepaid' && inquiry.data?.prepaid ? (
          <section className="tb-bill-card">
            <div className="tb-bill-card-head">
              <span>{t('bills.prepaid')}</span>
              {inquiry.data.prepaid.balance !== null ? (
                <span className="tb-muted">
                  {t('bills.balanceOnMeter', { amount: formatFen(inquiry.data.prepaid.balance) })}
                </span>
              ) : null}
            </div>
            <AmountField value={amount} onChange={setAmount} label={t('bills.prepaidAmount')} />
            <p className="tb-fineprint">{t('bills.prepaidHint', { min: formatFen(inquiry.data.prepaid.minimum) })}</p>
            <PayBill
              biller={account.biller}
              accountNumber={account.accountNumber}
              savedAccountId={account.id}
              amountFen={parseYuan(amount)}
              label={account.label}
            />
          </section>
        ) : account.biller.mode !== 'prepaid' && inquiry.isSuccess && bills.length === 0 ? (
          <p className="tb-bills-empty" data-testid="bill-nothing-due">
            {t('bills.noBill')}
          </p>
        ) : (
          bills.map((bill) => (
            <div key={bill.billRef}>
              {bill.overdue ? <OverdueNotice bill={bill} /> : null}
              <BillCard bill={bill}>
                {bill.status === 'processing' ? (
                  <p className="tb-muted">{t('bills.processing')}</p>
                ) : (
                  <PayBill
                    biller={account.biller}
                    accountNumber={account.accountNumber}
                    savedAccountId={account.id}
                    billRef={bill.billRef}
                    amountFen={BigInt(bill.total)}
                    label={account.label}
                    onStale={() => void inquiry.refetch()}
                  />
                )}
              </BillCard>
            </div>
          ))
        )}

        <List className="tb-bill-settings">
          {account.biller.autopay ? (
            <List.Item
              onClick={() => navigate(`/bills/accounts/${encodeURIComponent(account.id)}/autopay`)}
              extra={
                <span data-testid="autopay-status">
                  {mandate
                    ? t(`bills.autopay.status.${mandate.status}`, { defaultValue: mandate.status })
                    : t('bills.autopay.none')}
                </span>
              }
              description={mandate ? null : t('bills.autopay.intro')}
              data-testid="autopay-entry"
            >
              {t('bills.autopay.title')}
            </List.Item>
          ) : null}
          <List.Item description={t('bills.account.remindHint')}>
            {t('bills.account.reminders')}
            <Selector
              className="tb-space-top-small"
              columns={4}
              value={[account.reminderDaysBefore]}
              onChange={(value) => value[0] !== undefined && void update({ reminderDaysBefore: value[0] })}
              options={REMIND_DAYS.map((days) => ({ value: days, label: t('bills.account.remindDays', { days }) }))}
            />
          </List.Item>
          <List.Item>
            {t('bills.label')}
            <div className="tb-bill-label-edit">
              <Input
                value={label ?? account.label}
                onChange={(value) => setLabel(value.slice(0, 20))}
                aria-label={t('bills.label')}
                className="tb-bill-label-input"
              />
              <Button
                size="small"
                disabled={label === null || !label.trim() || label === account.label}
                onClick={() => void update({ label: (label ?? '').trim() })}
              >
                {t('common.save')}
              </Button>
            </div>
          </List.Item>
        </List>
        <Button block fill="none" color="danger" className="tb-space-top" onClick={() => void remove()}>
          {t('bills.account.remove')}
        </Button>
      </div>
    </div>
  );
}
