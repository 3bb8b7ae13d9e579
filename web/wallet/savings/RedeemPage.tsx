import { Button, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen, parseYuan, toFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { AmountField } from '../components/AmountField';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { type SavingsOrder, useHoldings, useLocalized, useProduct } from './api';
import { OrderPinSheet } from './components';
import './savings.css';

type Speed = 'fast' | 'ordinary';

/** Redeem fund shares to the wallet: fast (now, ¥10,000 a day) or ordinary (next business day, no cap). */
export default function RedeemPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const loc = useLocalized();
  const holdings = useHoldings();
  const product = useProduct(id);
  const [amount, setAmount] = useState('');
  const [speed, setSpeed] = useState<Speed>('fast');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [prepared, setPrepared] = useState<SavingsOrder | null>(null);
  const [key] = useState(idempotencyKey);
  const fund = holdings.data?.funds.find((f) => f.productId === id);
  const fen = parseYuan(amount);
  if (holdings.isPending || product.isPending) return <Loading />;
  if (!fund || !product.data) return <ProblemView error={holdings.error ?? product.error} />;
  const fastOffered = product.data.fastRedeem;
  const chosen: Speed = fastOffered ? speed : 'ordinary';
  const shares = toFen(fund.shares);
  const remaining = toFen(fund.fastRedeemRemainingToday);
  const limit = chosen === 'fast' && remaining < shares ? remaining : shares;
  const tooMuch = fen !== null && fen > limit;

  const submit = async () => {
    if (fen === null) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api.post<SavingsOrder>(
        '/api/v1/savings/redemptions',
        { productId: fund.productId, amount: fenToJson(fen), currency: 'CNY', speed: chosen },
        { idempotencyKey: `${key}-${fund.productId}-${fen}-${chosen}` },
      );
      if (order.status === 'awaiting_confirmation' && order.confirmation) setPrepared(order);
      else navigate(`/savings/orders/${order.id}`, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('savings.redeem')} />
      <div className="tb-page-body">
        <div className="tb-buy-product">
          <div className="tb-buy-product-name">{loc(fund.name)}</div>
          <span className="tb-savings-amount">{formatFen(shares)}</span>
        </div>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <p className="tb-sheet-label">{t('savings.speed')}</p>
        <Selector
          columns={1}
          value={[chosen]}
          onChange={(value) => value[0] && setSpeed(value[0] as Speed)}
          options={(fastOffered ? (['fast', 'ordinary'] as const) : (['ordinary'] as const)).map((value) => ({
            value,
            label: t(`savings.speeds.${value}`),
          }))}
          data-testid="redeem-speed"
        />
        <AmountField value={amount} onChange={setAmount} label={t('savings.amount')} />
        <div className="tb-redeem-facts">
          <span className={tooMuch ? 'tb-error-text tb-small' : 'tb-muted tb-small'}>
            {t('savings.redeemable', { amount: formatFen(shares) })}
          </span>
          <button
            type="button"
            className="tb-text-button"
            onClick={() => setAmount((Number(limit) / 100).toFixed(2))}
            disabled={limit <= 0n}
          >
            {t('savings.redeemAll')}
          </button>
        </div>
        {chosen === 'fast' ? (
          <p className={tooMuch ? 'tb-error-text tb-small' : 'tb-muted tb-small'} data-testid="fast-remaining">
            {t('savings.fastRemaining', { amount: formatFen(remaining) })}
          </p>
        ) : null}
        <Button
          block
          color="primary"
          size="large"
          className="tb-space-top"
          disabled={fen === null || tooMuch}
          loading={busy}
          onClick={() => void submit()}
          data-testid="redeem-submit"
        >
          {t('savings.redeem')}
        </Button>
        <p className="tb-fineprint">{t('savings.noPayWithShares')}</p>
      </div>
      <OrderPinSheet
        order={prepared}
        title={t('savings.redeemTitle', { name: loc(fund.name) })}
        onClose={() => setPrepared(null)}
        onDone={(order) => navigate(`/savings/orders/${order.id}`, { replace: true })}
      />
    </div>
  );
}
