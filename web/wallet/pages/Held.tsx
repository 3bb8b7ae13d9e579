import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { formatDateTime } from '../format';
import { useHeld } from '../pending';
import { confirmWithPin } from '../wallet-api';

/** "Was this you?": a payment the risk engine held; approve it with the PIN, or say it was not you. */
export default function HeldPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  // The merchant payment that was held, to complete once confirmed (merchant payments wait for it).
  const then = (useLocation().state as { payment?: { id: string; confirmationId: string } } | null)?.payment;
  const client = useQueryClient();
  const held = useHeld();
  // "latest": just held by the payment being made (the PIN sheet sends the holder here).
  const item =
    id === 'latest'
      ? [...(held.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
      : held.data?.items.find((h) => h.id === id);
  const heldId = item?.id ?? id;
  const [confirmation, setConfirmation] = useState<{ confirmationId: string } | null>(null);
  const [outcome, setOutcome] = useState<'confirmed' | 'denied' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(idempotencyKey);

  const approve = async () => {
    setError(null);
    try {
      setConfirmation(await api.post<{ confirmationId: string }>(`/api/v1/risk/confirmations/${heldId}/challenge`));
    } catch (failure) {
      setError(failure);
    }
  };
  const deny = async () => {
    if (
      !(await Dialog.confirm({
        content: t('held.denyConfirm'),
        confirmText: t('held.notMe'),
        cancelText: t('common.cancel'),
      }))
    )
      return;
    try {
      await api.post(`/api/v1/risk/confirmations/${heldId}/deny`, undefined, { idempotencyKey: `${key}-deny` });
      setOutcome('denied');
      await client.invalidateQueries();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('held.title')} />
      <div className="tb-page-body">
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {outcome ? (
          <Result
            status={outcome === 'confirmed' ? 'success' : 'warning'}
            title={outcome === 'confirmed' ? t('held.confirmed') : t('held.denied')}
            description={<Button onClick={() => navigate('/')}>{t('orders.backHome')}</Button>}
          />
        ) : item ? (
          <>
            <p className="tb-lead">{t('held.explain')}</p>
            <div className="tb-amount-big">{formatFen(item.amount)}</div>
            <List>
              <List.Item extra={item.payeeDisplay}>{t('held.payee')}</List.Item>
              <List.Item extra={formatDateTime(item.createdAt)}>{t('records.time')}</List.Item>
              <List.Item extra={formatDateTime(item.expiresAt)}>{t('confirm.expires')}</List.Item>
            </List>
            {item.reasons.length ? (
              <ul className="tb-reasons" aria-label={t('held.why')}>
                {item.reasons.map((reason) => (
                  <li key={reason.code}>{i18n.language === 'en' ? reason.en : reason.zh}</li>
                ))}
              </ul>
            ) : null}
            <Button
              block
              color="primary"
              size="large"
              className="tb-space-top"
              onClick={() => void approve()}
              data-testid="held-approve"
            >
              {t('held.itWasMe')}
            </Button>
            <Button
              block
              color="danger"
              fill="outline"
              size="large"
              className="tb-space-top"
              onClick={() => void deny()}
            >
              {t('held.notMe')}
            </Button>
          </>
        ) : held.isSuccess ? (
          <Result
            status="info"
            title={t('held.gone')}
            description={<Button onClick={() => navigate('/')}>{t('orders.backHome')}</Button>}
          />
        ) : null}
        <PinSheet
          visible={Boolean(confirmation) && !outcome}
          amount={item?.amount}
          payee={item?.payeeDisplay}
          onClose={() => setConfirmation(null)}
          onSubmit={async (pin) => {
            if (!confirmation) return;
            await confirmWithPin(confirmation.confirmationId, pin);
            await api.post(
              `/api/v1/risk/confirmations/${heldId}/confirm`,
              { confirmationId: confirmation.confirmationId },
              { idempotencyKey: `${key}-confirm` },
            );
            if (then)
              await api.post(
                `/api/v1/payments/${then.id}/complete`,
                { confirmationId: then.confirmationId },
                { idempotencyKey: `${key}-complete` },
              );
            setConfirmation(null);
            setOutcome('confirmed');
            await client.invalidateQueries();
          }}
        />
      </div>
    </div>
  );
}
