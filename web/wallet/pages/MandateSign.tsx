import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, idempotencyKey } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { type MandateForSigning, mandateForSigning } from '../mandates-api';
import { confirmWithPasskey } from '../passkey';
import { useMe } from '../session';
import { confirmWithPin } from '../wallet-api';

/**
 * The hosted signing page of an agreement payment (`/mandate/{id}`): the shop's verified name, what
 * it charges for and the caps per charge and per month; the holder agrees with the PIN or a passkey
 * (a confirmation bound to the shop and the caps), then goes back to the shop.
 */
export default function MandateSignPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const [confirmation, setConfirmation] = useState<{ id: string } | null>(null);
  const [signed, setSigned] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [keys] = useState(() => ({ sign: idempotencyKey(), complete: idempotencyKey() }));
  const mandate = useQuery({ queryKey: ['mandate-signing', id], queryFn: () => mandateForSigning(id) });
  const signedIn = Boolean(me.data) && !(me.error instanceof ApiError && me.error.status === 401);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await api.post<{ confirmation: { id: string } }>(
        `/api/v1/checkout/mandates/${encodeURIComponent(id)}/sign`,
        {},
        { idempotencyKey: keys.sign },
      );
      setConfirmation(started.confirmation);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const complete = async (confirmationId: string) => {
    await api.post(
      `/api/v1/checkout/mandates/${encodeURIComponent(id)}/complete`,
      { confirmationId },
      { idempotencyKey: `${keys.complete}-${confirmationId}` },
    );
    setSigned(true);
    await client.invalidateQueries({ queryKey: ['mandate-signing', id] });
    await client.invalidateQueries({ queryKey: ['my-mandates'] });
  };

  if (mandate.isPending) return <Loading />;
  if (mandate.error)
    return (
      <div className="tb-page">
        <PageHeader title={t('mandates.signTitle')} />
        <ProblemView error={mandate.error} onRetry={() => void mandate.refetch()} />
      </div>
    );
  const view: MandateForSigning = mandate.data;
  const back = view.returnUrl ? (
    <Button
      block
      color="primary"
      size="large"
      className="tb-space-top"
      onClick={() => window.location.assign(view.returnUrl as string)}
      data-testid="mandate-return"
    >
      {t('mandates.backToShop')}
    </Button>
  ) : null;

  let body;
  if (signed)
    body = (
      <Result
        status="success"
        title={<span data-testid="mandate-status">{t('mandates.signed')}</span>}
        description={
          <>
            <p className="tb-muted">{t('mandates.signedLead', { shop: view.merchantName })}</p>
            {back}
            <Button block fill="none" className="tb-space-top" onClick={() => navigate('/me/mandates')}>
              {t('mandates.manage')}
            </Button>
          </>
        }
      />
    );
  else if (view.status !== 'pending')
    body = (
      <Result
        status="warning"
        title={
          <span data-testid="mandate-status">
            {t('mandates.notPending', { state: t(`mandates.state_${view.status}`) })}
          </span>
        }
        description={back}
      />
    );
  else
    body = (
      <div className="tb-page-body">
        <div className="tb-merchant" data-testid="mandate-merchant">
          <div className="tb-avatar tb-avatar-small" aria-hidden>
            {view.merchantName.slice(0, 1)}
          </div>
          <div>
            <div className="tb-payee-name">{view.merchantName}</div>
            <div className="tb-muted">
              {t('checkout.verified')} · {view.merchantNumber}
            </div>
          </div>
        </div>
        <p className="tb-lead tb-space-top">{t('mandates.signLead', { shop: view.merchantName })}</p>
        <List className="tb-receipt">
          <List.Item extra={view.description}>{t('mandates.purpose')}</List.Item>
          <List.Item extra={<span data-testid="mandate-cap-charge">{formatFen(view.capPerCharge)}</span>}>
            {t('mandates.capPerCharge')}
          </List.Item>
          <List.Item
            extra={<span data-testid="mandate-cap-month">{formatFen(view.capPerMonth)}</span>}
            description={t('mandates.monthNote')}
          >
            {t('mandates.capPerMonth')}
          </List.Item>
        </List>
        <p className="tb-muted">{t('mandates.terms')}</p>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {view.mode === 'test' ? <p className="tb-muted">{t('mandates.testMode')}</p> : null}
        {view.mode === 'live' && signedIn ? (
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void start()}
            data-testid="mandate-agree"
          >
            {t('mandates.agree')}
          </Button>
        ) : null}
        {view.mode === 'live' && !signedIn ? (
          <Button
            block
            color="primary"
            size="large"
            onClick={() => navigate(`/login?next=${encodeURIComponent(`/mandate/${view.id}`)}`)}
            data-testid="mandate-sign-in"
          >
            {t('mandates.signInToSign')}
          </Button>
        ) : null}
        <p className="tb-center tb-muted">{t('mandates.expiresAt', { time: formatDateTime(view.requestExpiresAt) })}</p>
      </div>
    );

  return (
    <div className="tb-page">
      <PageHeader title={t('mandates.signTitle')} />
      {body}
      <PinSheet
        visible={Boolean(confirmation) && !signed}
        title={t('mandates.signTitle')}
        detail={t('mandates.pinDetail', {
          shop: view.merchantName,
          perCharge: formatFen(view.capPerCharge),
          perMonth: formatFen(view.capPerMonth),
        })}
        onClose={() => setConfirmation(null)}
        onPasskey={async () => {
          if (!confirmation) return;
          await confirmWithPasskey(confirmation.id);
          await complete(confirmation.id);
        }}
        onSubmit={async (pin) => {
          if (!confirmation) return;
          await confirmWithPin(confirmation.id, pin);
          await complete(confirmation.id);
        }}
      />
    </div>
  );
}
