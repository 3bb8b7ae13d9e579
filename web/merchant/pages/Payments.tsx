import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, Input, List, NoticeBar, Popup, Selector, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { query } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { ApiError } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type MerchantMe, type Payment, can, merchantApi } from '../api';
import { useDisputeT } from '../disputes-i18n';
import { useMerchantT } from '../i18n';
import { useOpenDisputes } from './Disputes';
import { formatDateTime } from '../../shared/dates';

const STATUSES = ['completed', 'awaiting_confirmation', 'failed', 'expired', 'declined'];
const SOURCES = ['static_qr', 'dynamic_qr', 'payment_code', 'merchant_number'];

export function PaymentsPage(props: { me: MerchantMe }) {
  const { t, english } = useMerchantT();
  const [status, setStatus] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [selected, setSelected] = useState<Payment | null>(null);
  const navigate = useNavigate();
  const disputeT = useDisputeT().t;
  const openDisputes = useOpenDisputes().data?.items.length ?? 0;
  const list = useInfiniteQuery({
    queryKey: ['merchant', 'payments', status, source],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      merchantApi.get<{ items: Payment[]; nextBefore: string | null }>(
        `/api/v1/merchant/payments${query({ status, source, before: pageParam, limit: 20 })}`,
      ),
    getNextPageParam: (last) => last.nextBefore,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <section className="mc-card" aria-labelledby="payments-title">
        <h2 id="payments-title" style={{ margin: '0 0 10px', fontSize: 18 }}>
          {t('payments')}
        </h2>
        <p className="mc-muted" style={{ margin: '0 0 6px' }}>
          {t('status')}
        </p>
        <Selector
          columns={3}
          value={status ? [status] : []}
          onChange={(value) => setStatus(value[0] ?? null)}
          options={STATUSES.slice(0, 3).map((s) => ({ value: s, label: t(`status_${s}`) }))}
          style={{ '--padding': '6px 8px', marginBottom: 8 } as React.CSSProperties}
        />
        <p className="mc-muted" style={{ margin: '0 0 6px' }}>
          {t('source')}
        </p>
        <Selector
          columns={3}
          value={source ? [source] : []}
          onChange={(value) => setSource(value[0] ?? null)}
          options={SOURCES.slice(0, 3).map((s) => ({ value: s, label: t(`source_${s}`) }))}
          style={{ '--padding': '6px 8px' } as React.CSSProperties}
        />
      </section>
      {openDisputes > 0 && (
        <div onClick={() => navigate('/disputes')} role="link" data-testid="disputes-notice">
          <NoticeBar
            color="alert"
            content={disputeT('disputesOpen', { n: openDisputes })}
            extra={<span>›</span>}
            wrap
          />
        </div>
      )}
      {!can(props.me, 'payments.history') && <NoticeBar content={t('todayOnly')} wrap data-testid="today-only" />}
      {list.error && <NoticeBar color="error" content={errorMessage(list.error)} wrap />}
      {items.length === 0 && !list.isPending ? (
        <Empty description={t('noPayments')} />
      ) : (
        <List
          header={
            <span data-testid="payments-filter">
              {[
                status ? t(`status_${status}`) : t('allStatuses'),
                source ? t(`source_${source}`) : t('allSources'),
              ].join(' · ')}
            </span>
          }
          style={{ borderRadius: 12, overflow: 'hidden' }}
        >
          {items.map((payment) => (
            <List.Item
              key={payment.id}
              onClick={() => setSelected(payment)}
              description={
                `${formatDateTime(payment.createdAt)} · ` +
                `${t(`source_${payment.source}`)}${payment.orderReference ? ` · ${payment.orderReference}` : ''}`
              }
              title={payment.payerName ? <span data-testid="payment-payer">{payment.payerName}</span> : undefined}
              extra={
                <div style={{ textAlign: 'right' }}>
                  <div className="mc-amount">{formatFen(payment.amount)}</div>
                  {payment.refundedAmount > 0 && (
                    <div
                      style={{ fontSize: 12, color: '#c8102e' }}
                    >{`${t('refunded')} ${formatFen(payment.refundedAmount)}`}</div>
                  )}
                </div>
              }
              data-testid={`payment-${payment.id}`}
            >
              <Tag
                color={
                  payment.status === 'completed'
                    ? 'success'
                    : payment.status === 'awaiting_confirmation'
                      ? 'warning'
                      : 'default'
                }
                fill="outline"
              >
                {t(`status_${payment.status}`)}
              </Tag>
            </List.Item>
          ))}
        </List>
      )}
      {list.hasNextPage && (
        <Button
          block
          style={{ marginTop: 8 }}
          loading={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {t('loadMore')}
        </Button>
      )}
      <Popup
        visible={selected !== null}
        onMaskClick={() => setSelected(null)}
        onClose={() => setSelected(null)}
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, padding: 16, boxSizing: 'border-box' }}
      >
        {selected && <PaymentDetail me={props.me} payment={selected} onDone={() => setSelected(null)} />}
      </Popup>
    </>
  );
}

/** What this staff member may still refund of the payment: all of it, or a cashier's share of the cap. */
function refundableBy(me: MerchantMe, payment: Payment): number {
  const remaining = payment.amount - payment.refundedAmount;
  return can(me, 'refund.large')
    ? remaining
    : Math.max(0, Math.min(remaining, me.cashierRefundLimit - payment.refundedAmount));
}

function PaymentDetail(props: { me: MerchantMe; payment: Payment; onDone: () => void }) {
  const { t, english } = useMerchantT();
  const queryClient = useQueryClient();
  const { payment } = props;
  const remaining = payment.amount - payment.refundedAmount;
  const allowed = refundableBy(props.me, payment);
  const [amountText, setAmountText] = useState((allowed / 100).toFixed(2));
  const [reason, setReason] = useState('');
  // One key per attempt the server answered: a refused attempt (a wrong password) moved nothing, and
  // its answer is kept under its key, so the next attempt needs a key of its own.
  const [key, setKey] = useState(() => merchantApi.newKey());
  const amountFen = parseYuan(amountText);
  const valid = amountFen !== null && amountFen <= BigInt(allowed);
  const refund = async () => {
    if (!valid || amountFen === null) return;
    let password = '';
    const confirmed = await Dialog.confirm({
      title: t('refundConfirmText'),
      content: (
        <div>
          <div className="mc-center mc-amount" style={{ fontSize: 24, marginBottom: 12 }}>
            {formatFen(amountFen)}
          </div>
          <p className="mc-muted" style={{ margin: '0 0 6px', fontSize: 13 }}>
            {t('refundPasswordHint')}
          </p>
          <div style={{ borderBottom: '1px solid #d9d9d9', padding: '4px 0' }}>
            <Input
              type="password"
              autoComplete="current-password"
              aria-label={t('refundPassword')}
              placeholder={t('refundPassword')}
              onChange={(value) => (password = value)}
              data-testid="refund-password"
            />
          </div>
        </div>
      ),
      confirmText: t('refundConfirm'),
      cancelText: t('cancel'),
    });
    if (!confirmed) return;
    if (!password) {
      Toast.show({ icon: 'fail', content: t('refundPasswordMissing') });
      return;
    }
    try {
      await merchantApi.post(
        `/api/v1/merchant/payments/${payment.id}/refunds`,
        { amount: fenToJson(amountFen), password, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        { idempotencyKey: `${key}:${amountFen}` },
      );
      Toast.show({ icon: 'success', content: t('refundDone') });
      await queryClient.invalidateQueries({ queryKey: ['merchant'] });
      props.onDone();
    } catch (error) {
      if (error instanceof ApiError && error.status > 0) setKey(merchantApi.newKey());
      Toast.show({ icon: 'fail', content: errorMessage(error) });
    }
  };
  return (
    <div aria-label={t('detail')}>
      <h3 style={{ margin: '0 0 4px' }}>{t('detail')}</h3>
      <div className="mc-amount" style={{ fontSize: 28 }}>
        {formatFen(payment.amount)}
      </div>
      <p className="mc-muted">
        {formatDateTime(payment.createdAt)} · {t(`status_${payment.status}`)} · {t(`source_${payment.source}`)}
        {payment.orderReference ? ` · ${t('order')} ${payment.orderReference}` : ''}
        {payment.refundedAmount > 0 ? ` · ${t('refunded')} ${formatFen(payment.refundedAmount)}` : ''}
      </p>
      {payment.payerName && (
        <p className="mc-muted" data-testid="detail-payer">
          {t('payer')}
          {english ? ': ' : '：'}
          {payment.payerName}
        </p>
      )}
      {payment.status === 'completed' && remaining > 0 && allowed === 0 && (
        <p className="mc-muted" data-testid="refund-ask-manager">
          {t('refundAskManager')}
        </p>
      )}
      {payment.status === 'completed' && allowed > 0 && (
        <>
          {!can(props.me, 'refund.large') && (
            <p className="mc-muted" style={{ margin: '0 0 6px', fontSize: 13 }}>
              {t('refundCashierLimit')} {formatFen(props.me.cashierRefundLimit)}
            </p>
          )}
          <label className="mc-muted" htmlFor="refund-amount">
            {english
              ? `${t('refundAmount')} (${t('refundMax')} ${formatFen(allowed)})`
              : `${t('refundAmount')}（${t('refundMax')} ${formatFen(allowed)}）`}
          </label>
          <Input
            id="refund-amount"
            inputMode="decimal"
            value={amountText}
            onChange={setAmountText}
            style={{ '--font-size': '20px', margin: '6px 0 8px' } as React.CSSProperties}
          />
          {!valid && <p style={{ color: '#c8102e', fontSize: 13, margin: '0 0 8px' }}>{t('amountInvalid')}</p>}
          <Input
            aria-label={t('refundReason')}
            placeholder={t('refundReason')}
            value={reason}
            onChange={setReason}
            maxLength={200}
            style={{ marginBottom: 12 }}
          />
          <Button block color="danger" disabled={!valid} onClick={refund} data-testid="refund-submit">
            {t('refund')}
          </Button>
        </>
      )}
    </div>
  );
}
