import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { maskPhone } from '../../shared/mask';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { useBalance } from '../balance';
import { AmountField } from '../components/AmountField';
import { RefusalBanner } from '../components/support/RefusalBanner';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { MaintenanceView, maintenanceOf } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { confirmWithPasskey } from '../passkey';
import { confirmWithPin } from '../wallet-api';

interface Payee {
  name: string;
  phone: string;
  walletId: string;
}

export interface Transfer {
  id: string;
  status: string;
  direction: 'outgoing' | 'incoming';
  amount: number | string;
  currency: string;
  note: string;
  counterparty: { name: string; phone: string };
  failureCode: string | null;
  confirmation: { id: string; payee: string } | null;
  createdAt: string;
  completedAt: string | null;
}

/** A short ASCII digest of free text, for an Idempotency-Key (headers are printable ASCII only). */
function textHash(text: string): string {
  let hash = 5381;
  for (const char of text) hash = ((hash * 33) ^ (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(36);
}

/** Send money to another holder: look the payee up (masked name), amount and note, approve with the PIN. */
export default function TransferPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const balance = useBalance();
  const [form] = Form.useForm<{ phone: string; note?: string }>();
  const phone: string = Form.useWatch('phone', form) ?? '';
  const note: string = Form.useWatch('note', form) ?? '';
  const [payee, setPayee] = useState<Payee | null>(null);
  const [amount, setAmount] = useState('');
  const [prepared, setPrepared] = useState<Transfer | null>(null);
  const [receipt, setReceipt] = useState<Transfer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ prepare: idempotencyKey(), complete: idempotencyKey() }));
  const fen = parseYuan(amount);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const lookup = () =>
    run(async () =>
      setPayee(await api.post<Payee>('/api/v1/transfers/payee-lookup', { payee: { phone: phone.trim() } })),
    );
  const prepare = () =>
    run(async () => {
      if (!payee || fen === null) return;
      const body = {
        payee: { walletId: payee.walletId },
        amount: fenToJson(fen),
        currency: 'CNY',
        note: note.trim() || undefined,
      };
      setPrepared(
        await api.post<Transfer>('/api/v1/transfers', body, {
          idempotencyKey: `${keys.prepare}-${payee.walletId}-${fen}-${textHash(note.trim())}`,
        }),
      );
    });

  const maintenance = maintenanceOf(error);
  if (maintenance) {
    return (
      <div className="tb-page">
        <PageHeader title={t('tiles.transfer')} />
        <MaintenanceView announcement={maintenance} />
      </div>
    );
  }

  return (
    <div className="tb-page">
      <PageHeader title={t('tiles.transfer')} />
      <div className="tb-page-body">
        <RefusalBanner error={error} amount={fen} />
        {receipt ? (
          <Result
            status={receipt.status === 'completed' ? 'success' : 'waiting'}
            title={
              <span data-testid="transfer-status">
                {t(`transfer.status.${receipt.status}`, { defaultValue: receipt.status })}
              </span>
            }
            description={
              <>
                <div className="tb-amount-big">{formatFen(receipt.amount)}</div>
                <List className="tb-receipt">
                  <List.Item extra={`${receipt.counterparty.name} ${receipt.counterparty.phone}`}>
                    {t('transfer.payee')}
                  </List.Item>
                  {receipt.note ? <List.Item extra={receipt.note}>{t('records.note')}</List.Item> : null}
                  <List.Item extra={formatDateTime(receipt.completedAt ?? receipt.createdAt)}>
                    {t('records.time')}
                  </List.Item>
                  <List.Item extra={t('receipt.balance')}>{t('receipt.paidWith')}</List.Item>
                </List>
                <Button
                  block
                  size="large"
                  color="primary"
                  className="tb-done-button"
                  onClick={() => navigate('/')}
                  data-testid="done"
                >
                  {t('receipt.done')}
                </Button>
              </>
            }
          />
        ) : !payee ? (
          <Form
            form={form}
            layout="vertical"
            onFinish={() => void lookup()}
            footer={
              <Button
                block
                type="submit"
                color="primary"
                size="large"
                loading={busy}
                disabled={phone.trim().length < 11}
                data-testid="payee-next"
              >
                {t('common.next')}
              </Button>
            }
          >
            <Form.Item label={t('transfer.payeePhone')} name="phone">
              <Input type="tel" inputMode="numeric" placeholder={t('transfer.payeePhonePlaceholder')} clearable />
            </Form.Item>
            <p className="tb-fineprint">{t('transfer.safety')}</p>
            <Button block fill="none" color="primary" onClick={() => navigate('/requests')}>
              {t('requests.title')}
            </Button>
          </Form>
        ) : (
          <>
            <div className="tb-payee" data-testid="payee">
              <div className="tb-avatar tb-avatar-small" aria-hidden>
                {payee.name.slice(-1)}
              </div>
              <div>
                <div className="tb-payee-name">{payee.name}</div>
                <div className="tb-muted">{maskPhone(payee.phone)}</div>
              </div>
              <Button size="mini" fill="none" onClick={() => (setPayee(null), setPrepared(null))}>
                {t('transfer.change')}
              </Button>
            </div>
            <p className="tb-fineprint">{t('transfer.checkName')}</p>
            <AmountField value={amount} onChange={setAmount} label={t('transfer.amount')} autoFocus />
            {balance.data ? (
              <p className="tb-muted">{t('withdraw.available', { amount: formatFen(balance.data.available) })}</p>
            ) : null}
            <Form form={form} layout="vertical">
              <Form.Item label={t('transfer.note')} name="note">
                <Input maxLength={50} placeholder={t('transfer.notePlaceholder')} />
              </Form.Item>
            </Form>
            <Button
              block
              color="primary"
              size="large"
              disabled={fen === null}
              loading={busy}
              onClick={() => void prepare()}
              data-testid="transfer-submit"
            >
              {t('transfer.submit')}
            </Button>
          </>
        )}
        <PinSheet
          visible={Boolean(prepared?.confirmation) && !receipt}
          amount={prepared?.amount}
          payee={prepared ? `${prepared.counterparty.name} ${prepared.counterparty.phone}` : undefined}
          onClose={() => setPrepared(null)}
          onPasskey={async () => {
            if (!prepared?.confirmation) return;
            await confirmWithPasskey(prepared.confirmation.id);
            setReceipt(
              await api.post<Transfer>(
                `/api/v1/transfers/${prepared.id}/complete`,
                { confirmationId: prepared.confirmation.id },
                { idempotencyKey: `${keys.complete}-${prepared.id}` },
              ),
            );
            await client.invalidateQueries({ queryKey: ['balance'] });
          }}
          onSubmit={async (pin) => {
            if (!prepared?.confirmation) return;
            await confirmWithPin(prepared.confirmation.id, pin);
            const done = await api.post<Transfer>(
              `/api/v1/transfers/${prepared.id}/complete`,
              { confirmationId: prepared.confirmation.id },
              { idempotencyKey: `${keys.complete}-${prepared.id}` },
            );
            setReceipt(done);
            await client.invalidateQueries({ queryKey: ['balance'] });
          }}
        />
      </div>
    </div>
  );
}
