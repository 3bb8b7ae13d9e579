import { useQuery } from '@tanstack/react-query';
import { Button, List } from 'antd-mobile';
import { CheckOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey } from '../../../shared/api';
import { fenToJson, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { AmountField } from '../../components/AmountField';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import type { OnlineBank, OnlineBankingOrder } from '../../funding-api';

/** 网银支付: pick a bank and an amount, then pay on the bank's own page; it sends the holder back here. */
export default function OnlineBankingPage() {
  const { t, i18n } = useTranslation();
  const [bankCode, setBankCode] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  const banks = useQuery({
    queryKey: ['funding', 'banks'],
    queryFn: () => api.get<{ items: OnlineBank[] }>('/api/v1/funding/online-banking/banks'),
  });
  const fen = parseYuan(amount);

  const submit = async () => {
    if (!bankCode || fen === null) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api.post<OnlineBankingOrder>(
        '/api/v1/funding/online-banking/orders',
        { bankCode, amount: fenToJson(fen), currency: 'CNY' },
        { idempotencyKey: key },
      );
      if (order.redirectUrl) window.location.assign(order.redirectUrl);
    } catch (failure) {
      setError(failure);
      setKey(idempotencyKey());
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('funding.online.title')} back="/topup" />
      <div className="tb-page-body">
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <List header={t('funding.online.bank')} className="tb-bank-choice">
          {(banks.data?.items ?? []).map((bank) => (
            <List.Item
              key={bank.code}
              clickable
              arrowIcon={false}
              aria-selected={bankCode === bank.code}
              onClick={() => setBankCode(bank.code)}
              extra={bankCode === bank.code ? <CheckOutline className="tb-check" /> : null}
              data-testid={`bank-${bank.code}`}
            >
              {i18n.language === 'en' ? bank.nameEn : bank.nameZh}
            </List.Item>
          ))}
        </List>
        <AmountField value={amount} onChange={setAmount} label={t('funding.online.amount')} />
        <p className="tb-fineprint">{t('funding.online.redirectHint')}</p>
        <Button
          block
          color="primary"
          size="large"
          disabled={!bankCode || fen === null}
          loading={busy}
          onClick={() => void submit()}
          data-testid="online-submit"
        >
          {t('funding.online.submit')}
        </Button>
      </div>
    </div>
  );
}
