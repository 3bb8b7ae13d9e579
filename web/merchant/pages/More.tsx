import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, Input, List, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useState } from 'react';
import { setLanguage } from '../../shared/i18n';
import { localBankText } from '../../shared/banks';
import { formatFen } from '../../shared/money';
import { type MerchantMe, can, merchantApi } from '../api';
import { useMerchantT } from '../i18n';
import { shopName } from '../shop-name';
import { useDisputeT } from '../disputes-i18n';
import { useWebhookT } from '../webhooks-i18n';
import { ApiKeysCard } from './ApiKeys';
import { useOpenDisputes } from './Disputes';
import { formatDate } from '../../shared/dates';

interface Payout {
  id: string;
  day: string;
  amount: number;
  status: string;
  failureReason: string | null;
  createdAt: string;
}

/** Today as an Asia/Shanghai calendar day, `YYYY-MM-DD`. */
function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export function MorePage(props: { me: MerchantMe }) {
  const { t, english } = useMerchantT();
  const disputeT = useDisputeT().t;
  const webhookT = useWebhookT().t;
  const navigate = useNavigate();
  const openDisputes = useOpenDisputes().data?.items.length ?? 0;
  const queryClient = useQueryClient();
  const payouts = useQuery({
    queryKey: ['merchant', 'payouts'],
    queryFn: () => merchantApi.get<{ items: Payout[] }>('/api/v1/merchant/payouts'),
    enabled: can(props.me, 'payouts'),
  });
  const [from, setFrom] = useState(shanghaiToday());
  const [to, setTo] = useState(shanghaiToday());
  const signOut = async () => {
    await merchantApi.post('/api/v1/merchant/auth/logout').catch(() => undefined);
    await queryClient.invalidateQueries({ queryKey: ['merchant', 'me'] });
  };
  return (
    <>
      <section className="mc-card">
        <h3>{shopName(props.me.merchant, english)}</h3>
        <p className="mc-muted" style={{ margin: 0 }}>
          {t('merchantNumber')} {props.me.merchant.merchantNumber} · {t('role')} {t(`role_${props.me.role}`)}
        </p>
        {props.me.balance !== undefined && (
          <>
            <p style={{ margin: '8px 0 0' }}>
              {t('balance')} <span className="mc-amount">{formatFen(props.me.balance)}</span>
            </p>
            <p className="mc-muted" style={{ margin: '4px 0 0' }}>
              {localBankText(props.me.merchant.payoutBankName, english)} {props.me.merchant.payoutAccount}
            </p>
          </>
        )}
      </section>
      <List style={{ borderRadius: 12, overflow: 'hidden', marginBottom: 12 }}>
        <List.Item
          onClick={() => navigate('/disputes')}
          extra={openDisputes > 0 ? <Badge content={openDisputes} /> : null}
          description={openDisputes > 0 ? disputeT('disputesOpen', { n: openDisputes }) : undefined}
          data-testid="disputes-link"
        >
          {disputeT('disputes')}
        </List.Item>
        {can(props.me, 'settings') && (
          <List.Item onClick={() => navigate('/webhooks')} data-testid="webhooks-link">
            {webhookT('webhooks')}
          </List.Item>
        )}
      </List>
      {can(props.me, 'reports') && (
        <section className="mc-card" aria-labelledby="report-title">
          <h3 id="report-title">{t('report')}</h3>
          <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
            <label className="mc-muted">
              {t('from')}
              <Input type="date" value={from} onChange={setFrom} aria-label={t('from')} />
            </label>
            <label className="mc-muted">
              {t('to')}
              <Input type="date" value={to} onChange={setTo} aria-label={t('to')} />
            </label>
          </div>
          <a className="mc-link-button" href={`/api/v1/merchant/reports/payments.csv?from=${from}&to=${to}`} download>
            {t('download')}
          </a>
        </section>
      )}
      {can(props.me, 'payouts') && (
        <List header={t('payouts')} style={{ borderRadius: 12, overflow: 'hidden', marginBottom: 12 }}>
          {(payouts.data?.items ?? []).length === 0 ? (
            <List.Item>
              <Empty description={t('noPayouts')} />
            </List.Item>
          ) : (
            payouts.data?.items.map((payout) => (
              <List.Item
                key={payout.id}
                description={payout.failureReason ?? formatDate(payout.createdAt)}
                extra={<span className="mc-amount">{formatFen(payout.amount)}</span>}
              >
                {payout.day} <Tag fill="outline">{payout.status}</Tag>
              </List.Item>
            ))
          )}
        </List>
      )}
      {can(props.me, 'settings') && <ApiKeysCard />}
      <Button block onClick={() => setLanguage(english ? 'zh-CN' : 'en')} style={{ marginBottom: 8 }}>
        {t('language')}
      </Button>
      <Button block color="danger" fill="outline" onClick={signOut}>
        {t('signOut')}
      </Button>
    </>
  );
}
