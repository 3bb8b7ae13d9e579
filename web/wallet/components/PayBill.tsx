import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import type { BillPayment, Biller, PreparedBillPayment } from '../bills-api';
import { confirmWithPasskey } from '../passkey';
import { confirmWithPin } from '../wallet-api';
import { billerName } from './Bills';
import { ErrorBanner } from './ErrorBanner';
import { PinSheet } from './PinSheet';

/**
 * Pays one bill (postpaid: its current total; prepaid: the amount typed) like every other payment:
 * prepare with an Idempotency-Key, approve with the PIN pad or a passkey, submit, then show the
 * payment (which polls while the biller has not answered). Small bills inside the password-free
 * allowance are paid at once, without the pad.
 */
export function PayBill(props: {
  biller: Biller;
  accountNumber: string;
  savedAccountId?: string | null;
  billRef?: string;
  amountFen: bigint | null;
  label?: string;
  /** The bill changed under us (late fee grew, paid meanwhile): refresh it. */
  onStale?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [prepared, setPrepared] = useState<PreparedBillPayment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ create: idempotencyKey(), submit: idempotencyKey() }));
  const english = i18n.language === 'en';

  const finish = async (payment: BillPayment) => {
    setPrepared(null);
    await client.invalidateQueries({ queryKey: ['balance'] });
    await client.invalidateQueries({ queryKey: ['bills'] });
    navigate(`/bills/payments/${encodeURIComponent(payment.id)}`, { replace: false });
  };

  const prepare = async () => {
    if (props.amountFen === null) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<PreparedBillPayment | BillPayment>(
        '/api/v1/bills/payments',
        {
          billerId: props.biller.id,
          accountNumber: props.accountNumber,
          billRef: props.billRef,
          amount: fenToJson(props.amountFen),
          currency: 'CNY',
          savedAccountId: props.savedAccountId ?? undefined,
        },
        { idempotencyKey: `${keys.create}-${props.billRef ?? 'prepaid'}-${props.amountFen}` },
      );
      if ('payment' in answer) setPrepared(answer);
      else await finish(answer);
    } catch (failure) {
      setError(failure);
      if (
        failure instanceof ApiError &&
        ['BILL_AMOUNT_MISMATCH', 'BILL_ALREADY_PAID', 'BILL_NOT_FOUND'].includes(failure.code)
      )
        props.onStale?.();
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!prepared) return;
    const done = await api.post<BillPayment>(
      `/api/v1/bills/payments/${encodeURIComponent(prepared.payment.id)}/submit`,
      undefined,
      { idempotencyKey: `${keys.submit}-${prepared.payment.id}` },
    );
    await finish(done);
  };

  return (
    <>
      <ErrorBanner message={error ? errorMessage(error) : null} />
      <Button
        block
        color="primary"
        size="large"
        disabled={props.amountFen === null}
        loading={busy}
        onClick={() => void prepare()}
        data-testid="bill-pay"
      >
        {props.amountFen === null ? t('bills.pay') : t('bills.payAmount', { amount: formatFen(props.amountFen) })}
      </Button>
      <PinSheet
        visible={Boolean(prepared)}
        title={t('bills.payTitle')}
        amount={prepared?.payment.amount}
        payee={`${billerName(props.biller, english)}${props.label ? ` · ${props.label}` : ''} ${props.accountNumber}`}
        onClose={() => setPrepared(null)}
        onPasskey={async () => {
          if (!prepared) return;
          await confirmWithPasskey(prepared.confirmation.id);
          await submit();
        }}
        onSubmit={async (pin) => {
          if (!prepared) return;
          await confirmWithPin(prepared.confirmation.id, pin);
          await submit();
        }}
      />
    </>
  );
}
