import { Button, List } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { fenToJson, parseYuan } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { AmountField } from '../components/AmountField';
import { CardPicker } from '../components/CardPicker';
import { ErrorBanner } from '../components/ErrorBanner';
import { OrderStatus } from '../components/OrderStatus';
import { PageHeader } from '../components/PageHeader';
import { MaintenanceView, maintenanceOf } from '../components/ProblemView';
import type { Order } from '../wallet-api';

/**
 * Top up from a linked card: the bank answers at once, or the order shows "processing" until it does.
 * Below, the other ways in: online banking (网银支付) and a transfer from another bank (转入).
 */
export default function TopUpPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [cardId, setCardId] = useState<string | null>(null);
  const [amount, setAmount] = useState('');
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // One key per attempt: a retry after a lost answer is the same top-up, never a second one.
  const [key, setKey] = useState(idempotencyKey);
  const fen = parseYuan(amount);

  const submit = async () => {
    if (!cardId || fen === null) return;
    setBusy(true);
    setError(null);
    try {
      setOrder(
        await api.post<Order>(
          '/api/v1/wallet/topups',
          { cardId, amount: fenToJson(fen), currency: 'CNY' },
          { idempotencyKey: key },
        ),
      );
    } catch (failure) {
      setError(failure);
      setKey(idempotencyKey());
    } finally {
      setBusy(false);
    }
  };

  const maintenance = maintenanceOf(error);
  return (
    <div className="tb-page">
      <PageHeader title={t('tiles.topUp')} />
      <div className="tb-page-body">
        {order ? (
          <OrderStatus order={order} kind="topups" />
        ) : maintenance ? (
          <MaintenanceView announcement={maintenance} />
        ) : (
          <>
            <ErrorBanner message={error ? errorMessage(error) : null} />
            <CardPicker value={cardId} onChange={setCardId} back="/topup" />
            <AmountField value={amount} onChange={setAmount} label={t('topup.amount')} />
            <Button
              block
              color="primary"
              size="large"
              disabled={!cardId || fen === null}
              loading={busy}
              onClick={() => void submit()}
              data-testid="topup-submit"
            >
              {t('topup.submit')}
            </Button>
            <List className="tb-topup-other">
              <List.Item
                clickable
                description={t('funding.online.entryHint')}
                onClick={() => navigate('/topup/online')}
                data-testid="topup-online"
              >
                {t('funding.online.entry')}
              </List.Item>
              <List.Item clickable onClick={() => navigate('/receive')} data-testid="topup-receive">
                {t('funding.online.receiveEntry')}
              </List.Item>
            </List>
          </>
        )}
      </div>
    </div>
  );
}
