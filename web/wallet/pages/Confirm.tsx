import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { PageHeader } from '../components/PageHeader';
import { PinSheet } from '../components/PinSheet';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';

export interface Confirmation {
  id: string;
  reference: string;
  amount: number | string;
  currency: string;
  payee: string;
  challenge: string;
  status: string;
  expiresAt: string;
}

/** A movement waiting for the holder: what, to whom, how much; approve with the PIN. */
export default function ConfirmPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [pinOpen, setPinOpen] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const confirmation = useQuery({
    queryKey: ['confirmation', id],
    queryFn: () => api.get<Confirmation>(`/api/v1/confirmations/${encodeURIComponent(id)}`),
  });

  return (
    <div className="tb-page">
      <PageHeader title={t('confirm.title')} />
      <div className="tb-page-body">
        {confirmation.error ? <ProblemView error={confirmation.error} /> : null}
        {confirmed ? (
          <Result
            status="success"
            title={t('confirm.done')}
            description={<Button onClick={() => navigate('/')}>{t('common.done')}</Button>}
          />
        ) : confirmation.data ? (
          <>
            <div className="tb-amount-big">{formatFen(confirmation.data.amount)}</div>
            <List>
              <List.Item extra={confirmation.data.payee}>{t('confirm.payee')}</List.Item>
              <List.Item extra={confirmation.data.reference}>{t('confirm.reference')}</List.Item>
              <List.Item extra={formatDateTime(confirmation.data.expiresAt)}>{t('confirm.expires')}</List.Item>
            </List>
            {confirmation.data.status === 'pending' ? (
              <Button block color="primary" size="large" className="tb-space-top" onClick={() => setPinOpen(true)}>
                {t('confirm.approve')}
              </Button>
            ) : (
              <p className="tb-muted">
                {t(`confirm.status.${confirmation.data.status}`, { defaultValue: confirmation.data.status })}
              </p>
            )}
            <PinSheet
              visible={pinOpen}
              amount={confirmation.data.amount}
              payee={confirmation.data.payee}
              onClose={() => setPinOpen(false)}
              onSubmit={async (pin) => {
                await api.post(`/api/v1/confirmations/${encodeURIComponent(id)}/pin`, { pin });
                setPinOpen(false);
                setConfirmed(true);
                await client.invalidateQueries();
              }}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}
