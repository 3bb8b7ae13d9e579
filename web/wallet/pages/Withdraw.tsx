import { Button, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { useBalance } from '../balance';
import { AmountField } from '../components/AmountField';
import { CardPicker } from '../components/CardPicker';
import { RefusalBanner } from '../components/support/RefusalBanner';
import { OrderStatus } from '../components/OrderStatus';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { MaintenanceView, maintenanceOf } from '../components/ProblemView';
import { confirmWithPasskey } from '../passkey';
import { type Order, cardLabel, confirmWithPin, useCards } from '../wallet-api';

type Arrival = 'realtime' | 'within_2h' | 'next_day';

/** Withdraw to a linked debit card: prepare, approve with the PIN, then the bank pays out. */
export default function WithdrawPage() {
  const { t, i18n } = useTranslation();
  const balance = useBalance();
  const cards = useCards();
  const [cardId, setCardId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [arrival, setArrival] = useState<Arrival>('realtime');
  const [prepared, setPrepared] = useState<{ withdrawal: Order; confirmation: { id: string } } | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ prepare: idempotencyKey(), submit: idempotencyKey() }));
  const fen = parseYuan(amount);
  const card = cards.data?.items.find((c) => c.id === cardId);

  const prepare = async () => {
    if (!cardId || fen === null) return;
    setBusy(true);
    setError(null);
    try {
      setPrepared(
        await api.post(
          '/api/v1/wallet/withdrawals',
          { cardId, amount: fenToJson(fen), currency: 'CNY', arrival },
          { idempotencyKey: `${keys.prepare}-${cardId}-${fen}-${arrival}` },
        ),
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const maintenance = maintenanceOf(error);
  return (
    <div className="tb-page">
      <PageHeader title={t('tiles.withdraw')} />
      <div className="tb-page-body">
        {order ? (
          <OrderStatus order={order} kind="withdrawals" />
        ) : maintenance ? (
          <MaintenanceView announcement={maintenance} />
        ) : (
          <>
            <RefusalBanner error={error} />
            <CardPicker value={cardId} onChange={setCardId} debitOnly back="/withdraw" />
            <AmountField value={amount} onChange={setAmount} label={t('withdraw.amount')} />
            {balance.data ? (
              <p className="tb-muted">{t('withdraw.available', { amount: formatFen(balance.data.available) })}</p>
            ) : null}
            <p className="tb-sheet-label">{t('withdraw.arrival')}</p>
            <Selector
              columns={3}
              value={[arrival]}
              onChange={(value) => value[0] && setArrival(value[0] as Arrival)}
              options={(['realtime', 'within_2h', 'next_day'] as const).map((value) => ({
                label: t(`withdraw.arrivals.${value}`),
                value,
              }))}
            />
            <Button
              block
              color="primary"
              size="large"
              className="tb-space-top"
              disabled={!cardId || fen === null}
              loading={busy}
              onClick={() => void prepare()}
              data-testid="withdraw-submit"
            >
              {t('withdraw.submit')}
            </Button>
          </>
        )}
        <PinSheet
          visible={Boolean(prepared) && !order}
          amount={prepared?.withdrawal.amount}
          payee={card ? cardLabel(card, i18n.language === 'en') : undefined}
          onClose={() => setPrepared(null)}
          onPasskey={async () => {
            if (!prepared) return;
            await confirmWithPasskey(prepared.confirmation.id);
            setOrder(
              await api.post<Order>(`/api/v1/wallet/withdrawals/${prepared.withdrawal.id}/submit`, undefined, {
                idempotencyKey: `${keys.submit}-${prepared.withdrawal.id}`,
              }),
            );
          }}
          onSubmit={async (pin) => {
            if (!prepared) return;
            await confirmWithPin(prepared.confirmation.id, pin);
            setOrder(
              await api.post<Order>(`/api/v1/wallet/withdrawals/${prepared.withdrawal.id}/submit`, undefined, {
                idempotencyKey: `${keys.submit}-${prepared.withdrawal.id}`,
              }),
            );
          }}
        />
      </div>
    </div>
  );
}
