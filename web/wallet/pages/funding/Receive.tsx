import { useQuery } from '@tanstack/react-query';
import { Button, List, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { type IncomingTransfer, type OnlineBank, type ReceivingAccount, groupDigits } from '../../funding-api';

/** 转入: the holder's receiving account number, to give to any other bank, and the recent transfers in. */
export default function ReceivePage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const account = useQuery({
    queryKey: ['funding', 'receiving-account'],
    queryFn: () => api.get<ReceivingAccount>('/api/v1/funding/receiving-account'),
  });
  const incoming = useQuery({
    queryKey: ['funding', 'incoming'],
    queryFn: () => api.get<{ items: IncomingTransfer[] }>('/api/v1/funding/incoming'),
  });

  const banks = useQuery({
    queryKey: ['funding', 'banks'],
    queryFn: () => api.get<{ items: OnlineBank[] }>('/api/v1/funding/online-banking/banks'),
  });
  const bankName = (code: string) => {
    const bank = banks.data?.items.find((item) => item.code === code);
    return bank ? (en ? bank.nameEn : bank.nameZh) : code;
  };

  const copy = async (number: string) => {
    try {
      await navigator.clipboard.writeText(number);
      Toast.show({ content: t('funding.receive.copied') });
    } catch {
      Toast.show({ content: t('funding.receive.copyFailed') });
    }
  };

  const data = account.data;
  return (
    <div className="tb-page">
      <PageHeader title={t('funding.receive.title')} />
      <div className="tb-page-body">
        <ErrorBanner message={account.error ? errorMessage(account.error) : null} />
        {account.isLoading ? <Loading /> : null}
        {data ? (
          <section className="tb-receive-card" aria-label={t('funding.receive.title')}>
            <p className="tb-muted">{t('funding.receive.intro')}</p>
            <dl className="tb-receive-fields">
              <dt>{t('funding.receive.bank')}</dt>
              <dd>{en ? data.bankNameEn : data.bankNameZh}</dd>
              <dt>{t('funding.receive.branch')}</dt>
              <dd>{en ? data.branchEn : data.branchZh}</dd>
              <dt>{t('funding.receive.name')}</dt>
              <dd data-testid="receive-name">{data.holderName}</dd>
              <dt>{t('funding.receive.number')}</dt>
              <dd className="tb-receive-number" data-testid="receive-number" data-number={data.accountNumber}>
                {groupDigits(data.accountNumber)}
              </dd>
            </dl>
            <Button block color="primary" onClick={() => void copy(data.accountNumber)} data-testid="receive-copy">
              {t('funding.receive.copy')}
            </Button>
            <p className="tb-fineprint">{t('funding.receive.limits')}</p>
            <Link to="/topup/online" className="tb-link">
              {t('funding.receive.onlineBanking')}
            </Link>
          </section>
        ) : null}
        <List header={t('funding.receive.recent')}>
          {(incoming.data?.items ?? []).length === 0 ? (
            <List.Item>{t('funding.receive.none')}</List.Item>
          ) : (
            incoming.data?.items.map((item) => (
              <List.Item
                key={item.id}
                description={`${formatDateTime(item.receivedAt)} · ${item.payerAccount}`}
                extra={formatFen(item.amount)}
              >
                {bankName(item.payerBank)} · {t(`funding.receive.status.${item.status}`)}
                {item.returnReason
                  ? ` (${t(`funding.receive.reasons.${item.returnReason}`, { defaultValue: item.returnReason })})`
                  : ''}
              </List.Item>
            ))
          )}
        </List>
      </div>
    </div>
  );
}
