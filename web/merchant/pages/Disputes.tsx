import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, Input, List, NoticeBar, Tabs, Tag, TextArea, Toast } from 'antd-mobile';
import { BackBar } from '../BackBar';
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError, query } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { type MerchantMe, can, merchantApi, merchantCsrf } from '../api';
import { useDisputeT } from '../disputes-i18n';
import { formatDateTime } from '../../shared/dates';

/** A dispute of one of our payments (server/support/routes-disputes.ts, the merchant's view). */
export interface MerchantDispute {
  id: string;
  paymentId: string;
  reason: string;
  text: string;
  claimedAmount: number;
  paymentAmount: number;
  status: string;
  merchantDueAt: string;
  merchantAnswer: { text: string; evidence: string | null; answeredAt: string } | null;
  decision: { outcome: string; amount: number | null; note: string; decidedAt: string } | null;
  refund: { id: string; amount: number; by: string } | null;
  createdAt: string;
  evidenceFiles?: { id: string; fileName: string; contentType: string; sizeBytes: number; url: string }[];
}

const OPEN = ['awaiting_merchant', 'merchant_answered'];

function statusColor(status: string): 'warning' | 'primary' | 'success' | 'default' {
  if (status === 'awaiting_merchant') return 'warning';
  if (status === 'merchant_answered') return 'primary';
  if (status === 'rejected') return 'default';
  return 'success';
}

/** How long until the merchant's deadline, in words. */
function useTimeLeft() {
  const { t } = useDisputeT();
  return (dueAt: string) => {
    const ms = new Date(dueAt).getTime() - Date.now();
    if (ms <= 0) return t('overdue');
    const hours = Math.floor(ms / 3_600_000);
    return hours >= 24 ? t('daysLeft', { d: Math.floor(hours / 24), h: hours % 24 }) : t('hoursLeft', { h: hours });
  };
}

export function useOpenDisputes() {
  return useQuery({
    queryKey: ['merchant', 'disputes', 'awaiting_merchant'],
    queryFn: () =>
      merchantApi.get<{ items: MerchantDispute[] }>(
        `/api/v1/merchant/disputes${query({ status: 'awaiting_merchant' })}`,
      ),
    staleTime: 30_000,
  });
}

/** The disputes of our payments: the open ones first (with their deadline), or all of them. */
export function DisputesPage() {
  const { t, english } = useDisputeT();
  const navigate = useNavigate();
  const timeLeft = useTimeLeft();
  const [tab, setTab] = useState<'open' | 'all'>('open');
  const list = useQuery({
    queryKey: ['merchant', 'disputes', 'list'],
    queryFn: () => merchantApi.get<{ items: MerchantDispute[] }>(`/api/v1/merchant/disputes${query({ limit: 50 })}`),
  });
  const items = (list.data?.items ?? []).filter((d) => tab === 'all' || OPEN.includes(d.status));
  return (
    <>
      <BackBar to="/more" backLabel={t('back')}>
        {t('disputes')}
      </BackBar>
      <p className="mc-muted" style={{ fontSize: 13, margin: '0 4px 8px' }}>
        {t('disputesHint')}
      </p>
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as 'open' | 'all')}
        style={{ background: '#fff', borderRadius: 12 }}
      >
        <Tabs.Tab title={t('filterOpen')} key="open" />
        <Tabs.Tab title={t('filterAll')} key="all" />
      </Tabs>
      {list.error && <NoticeBar color="error" content={errorMessage(list.error)} wrap />}
      {items.length === 0 && !list.isPending ? (
        <Empty description={t('noDisputes')} />
      ) : (
        <List style={{ borderRadius: 12, overflow: 'hidden', marginTop: 8 }}>
          {items.map((dispute) => (
            <List.Item
              key={dispute.id}
              onClick={() => navigate(`/disputes/${dispute.id}`)}
              data-testid={`dispute-${dispute.id}`}
              description={
                <>
                  <div>{t(`reason_${dispute.reason}`)}</div>
                  <div>
                    {dispute.status === 'awaiting_merchant' ? (
                      <span style={{ color: '#c8102e' }}>
                        {t('dueAt')} {formatDateTime(dispute.merchantDueAt)} · {timeLeft(dispute.merchantDueAt)}
                      </span>
                    ) : (
                      formatDateTime(dispute.createdAt)
                    )}
                  </div>
                </>
              }
              extra={
                <div style={{ textAlign: 'right' }}>
                  <div className="mc-amount">{formatFen(dispute.claimedAmount)}</div>
                  <div style={{ fontSize: 12 }}>
                    {t('paymentAmount')} {formatFen(dispute.paymentAmount)}
                  </div>
                </div>
              }
            >
              <Tag color={statusColor(dispute.status)} fill="outline">
                {t(`dstatus_${dispute.status}`)}
              </Tag>
            </List.Item>
          ))}
        </List>
      )}
    </>
  );
}

/** Sends one file to the dispute as evidence (multipart, the merchant's CSRF token). */
async function uploadEvidence(disputeId: string, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  const csrf = merchantCsrf();
  let response: Response;
  try {
    response = await fetch(`/api/v1/merchant/disputes/${encodeURIComponent(disputeId)}/evidence`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR' });
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError({ status: response.status, code: body?.code ?? 'UNKNOWN', ...body });
  return body;
}

/** One dispute: the customer's claim, the deadline, and what this staff member may do about it. */
export function DisputeDetailPage(props: { me: MerchantMe }) {
  const { t, english } = useDisputeT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const timeLeft = useTimeLeft();
  const detail = useQuery({
    queryKey: ['merchant', 'disputes', 'detail', id],
    queryFn: () => merchantApi.get<MerchantDispute>(`/api/v1/merchant/disputes/${encodeURIComponent(id)}`),
  });
  const dispute = detail.data;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['merchant', 'disputes'] });
  return (
    <>
      <BackBar to="/disputes" backLabel={t('back')}>
        {t('detailTitle')}
      </BackBar>
      {detail.error && <NoticeBar color="error" content={errorMessage(detail.error)} wrap />}
      {dispute && (
        <>
          <section className="mc-card" aria-label={t('detailTitle')}>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
              <Tag color={statusColor(dispute.status)} fill="outline" data-testid="dispute-status">
                {t(`dstatus_${dispute.status}`)}
              </Tag>
              <span className="mc-muted" style={{ fontSize: 12 }}>
                {formatDateTime(dispute.createdAt)}
              </span>
            </div>
            <div className="mc-muted" style={{ marginTop: 12, fontSize: 13 }}>
              {t('claimed')}
            </div>
            <div className="mc-amount" style={{ fontSize: 28 }}>
              {formatFen(dispute.claimedAmount)}
            </div>
            <dl className="mc-facts">
              <dt>{t('paymentAmount')}</dt>
              <dd>{formatFen(dispute.paymentAmount)}</dd>
              <dt>{t('payment')}</dt>
              <dd style={{ fontFamily: 'ui-monospace, monospace', fontSize: 12 }}>{dispute.paymentId}</dd>
              <dt>{t('dueAt')}</dt>
              <dd>
                {formatDateTime(dispute.merchantDueAt)}
                {dispute.status === 'awaiting_merchant' && (
                  <span style={{ color: '#c8102e' }}> · {timeLeft(dispute.merchantDueAt)}</span>
                )}
              </dd>
            </dl>
          </section>
          <section className="mc-card">
            <h3>{t('holderClaim')}</h3>
            <Tag fill="outline" style={{ marginBottom: 6 }}>
              {t(`reason_${dispute.reason}`)}
            </Tag>
            <p style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="holder-claim">
              {dispute.text}
            </p>
          </section>
          {dispute.merchantAnswer && (
            <section className="mc-card">
              <h3>{t('ourAnswer')}</h3>
              <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{dispute.merchantAnswer.text}</p>
              {dispute.merchantAnswer.evidence && (
                <p className="mc-muted" style={{ margin: '6px 0 0' }}>
                  {t('evidenceNote')}：{dispute.merchantAnswer.evidence}
                </p>
              )}
            </section>
          )}
          {(dispute.evidenceFiles ?? []).length > 0 && (
            <List header={t('evidenceFiles')} style={{ borderRadius: 12, overflow: 'hidden', marginBottom: 12 }}>
              {dispute.evidenceFiles?.map((file) => (
                <List.Item
                  key={file.id}
                  onClick={() => window.open(file.url, '_blank', 'noopener')}
                  description={`${file.contentType} · ${Math.ceil(file.sizeBytes / 1024)} KB`}
                >
                  {file.fileName}
                </List.Item>
              ))}
            </List>
          )}
          {dispute.refund && (
            <section className="mc-card">
              <h3>{t('refunded')}</h3>
              <div className="mc-amount">{formatFen(dispute.refund.amount)}</div>
            </section>
          )}
          {dispute.decision && (
            <section className="mc-card">
              <h3>{t('decision')}</h3>
              <p style={{ margin: 0 }}>{dispute.decision.note}</p>
            </section>
          )}
          {OPEN.includes(dispute.status) && can(props.me, 'refund') && (
            <RefundCard me={props.me} dispute={dispute} onDone={refresh} />
          )}
          {dispute.status === 'awaiting_merchant' &&
            (new Date(dispute.merchantDueAt).getTime() < Date.now() ? (
              <NoticeBar content={t('deadlinePassed')} wrap />
            ) : can(props.me, 'disputes') ? (
              <AnswerCard dispute={dispute} onDone={refresh} />
            ) : (
              <NoticeBar content={t('answerNeedsManager')} wrap data-testid="answer-needs-manager" />
            ))}
        </>
      )}
    </>
  );
}

function RefundCard(props: { me: MerchantMe; dispute: MerchantDispute; onDone: () => Promise<void> }) {
  const { t } = useDisputeT();
  const { dispute } = props;
  const cap = can(props.me, 'refund.large')
    ? dispute.claimedAmount
    : Math.min(dispute.claimedAmount, props.me.cashierRefundLimit);
  const [amountText, setAmountText] = useState((cap / 100).toFixed(2));
  const [key, setKey] = useState(() => merchantApi.newKey());
  const amountFen = parseYuan(amountText);
  const valid = amountFen !== null && amountFen > 0n && amountFen <= BigInt(dispute.paymentAmount);
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
              data-testid="dispute-refund-password"
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
        `/api/v1/merchant/disputes/${dispute.id}/refund`,
        { amount: fenToJson(amountFen), password },
        { idempotencyKey: `${key}:${amountFen}` },
      );
      Toast.show({ icon: 'success', content: t('refundDone') });
      await props.onDone();
    } catch (error) {
      if (error instanceof ApiError && error.status > 0) setKey(merchantApi.newKey());
      Toast.show({ icon: 'fail', content: errorMessage(error) });
    }
  };
  return (
    <section className="mc-card" aria-labelledby="dispute-refund-title">
      <h3 id="dispute-refund-title">{t('refundDisputeTitle')}</h3>
      <p className="mc-muted" style={{ margin: '0 0 8px', fontSize: 13 }}>
        {t('refundDisputeHint')}
        {!can(props.me, 'refund.large') && ` ${t('refundCashierLimit')} ${formatFen(props.me.cashierRefundLimit)}`}
      </p>
      <label className="mc-muted" htmlFor="dispute-refund-amount">
        {t('refundAmount')}
      </label>
      <Input
        id="dispute-refund-amount"
        inputMode="decimal"
        value={amountText}
        onChange={setAmountText}
        style={{ '--font-size': '20px', margin: '6px 0 8px' } as React.CSSProperties}
      />
      {!valid && <p style={{ color: '#c8102e', fontSize: 13, margin: '0 0 8px' }}>{t('amountInvalid')}</p>}
      <Button block color="danger" disabled={!valid} onClick={refund} data-testid="dispute-refund-submit">
        {t('refundOfDispute')} {amountFen !== null && valid ? formatFen(amountFen) : ''}
      </Button>
    </section>
  );
}

function AnswerCard(props: { dispute: MerchantDispute; onDone: () => Promise<void> }) {
  const { t } = useDisputeT();
  const { dispute } = props;
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const files = dispute.evidenceFiles ?? [];
  const onFile = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    try {
      await uploadEvidence(dispute.id, file);
      Toast.show({ icon: 'success', content: t('uploaded') });
      await props.onDone();
    } catch (error) {
      Toast.show({ icon: 'fail', content: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setBusy(true);
    try {
      await merchantApi.post(`/api/v1/merchant/disputes/${dispute.id}/answer`, {
        text: text.trim(),
        ...(note.trim() ? { evidence: note.trim() } : {}),
      });
      Toast.show({ icon: 'success', content: t('answerDone') });
      await props.onDone();
    } catch (error) {
      Toast.show({ icon: 'fail', content: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="mc-card" aria-labelledby="dispute-answer-title">
      <h3 id="dispute-answer-title">{t('answerTitle')}</h3>
      <p className="mc-muted" style={{ margin: '0 0 8px', fontSize: 13 }}>
        {t('answerHint')}
      </p>
      <div className="mc-field">
        <TextArea
          aria-label={t('answerText')}
          placeholder={t('answerTextPlaceholder')}
          value={text}
          onChange={setText}
          rows={3}
          maxLength={2000}
          showCount
        />
      </div>
      <div className="mc-field">
        <Input
          aria-label={t('evidenceNote')}
          placeholder={t('evidenceNotePlaceholder')}
          value={note}
          onChange={setNote}
          maxLength={1000}
        />
      </div>
      <input
        ref={fileInput}
        type="file"
        accept="image/jpeg,image/png,application/pdf"
        style={{ display: 'none' }}
        onChange={onFile}
        data-testid="evidence-file"
      />
      <Button
        block
        fill="outline"
        disabled={busy || files.length >= 5}
        onClick={() => fileInput.current?.click()}
        style={{ marginBottom: 8 }}
      >
        {busy ? t('uploading') : `${t('addFile')} (${files.length}/5)`}
      </Button>
      <Button
        block
        color="primary"
        disabled={busy || text.trim().length < 2}
        onClick={submit}
        data-testid="dispute-answer-submit"
      >
        {t('submitAnswer')}
      </Button>
    </section>
  );
}
