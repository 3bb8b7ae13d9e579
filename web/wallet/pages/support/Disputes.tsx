import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, List, Selector, Steps, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { fenToJson, formatFen, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { AmountField } from '../../components/AmountField';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { ContactFooter } from '../../components/support/ContactFooter';
import { formatDateTime } from '../../format';
import { DISPUTE_REASONS, openDispute, useDispute } from '../../support-api';
import '../../support.css';

/** Dispute a merchant payment: the reason, the amount to get back and what happened. */
export function NewDisputePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [search] = useSearchParams();
  const paymentId = search.get('paymentId') ?? '';
  const paid = Number(search.get('amount'));
  const maxFen = Number.isSafeInteger(paid) && paid > 0 ? paid : null;
  const [reason, setReason] = useState<string>('not_received');
  const [amount, setAmount] = useState(maxFen ? (maxFen / 100).toFixed(2) : '');
  const [text, setText] = useState('');
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fen = parseYuan(amount);
  const tooHigh = fen !== null && maxFen !== null && fen > BigInt(maxFen);

  const submit = async () => {
    if (fen === null || tooHigh || !text.trim()) return;
    setBusy(true);
    setBanner(null);
    try {
      const dispute = await openDispute({ paymentId, reason, claimedAmount: fenToJson(fen), text: text.trim() });
      await client.invalidateQueries({ queryKey: ['support'] });
      navigate(`/support/disputes/${dispute.id}`, { replace: true });
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.disputes.title')} />
      <div className="tb-page-body">
        <p className="tb-step-hint tb-flat-hint">{t('support.disputes.explain')}</p>
        <ErrorBanner message={banner} />
        <Form layout="vertical" className="tb-form-card">
          <Form.Item label={t('support.disputes.reason')}>
            <Selector
              columns={1}
              value={[reason]}
              onChange={(value) => value[0] && setReason(value[0])}
              options={DISPUTE_REASONS.map((value) => ({ value, label: t(`support.disputes.reasons.${value}`) }))}
            />
          </Form.Item>
        </Form>
        <AmountField value={amount} onChange={setAmount} label={t('support.disputes.amount')} testId="dispute-amount" />
        {maxFen ? (
          <p className={`tb-fineprint${tooHigh ? ' tb-error-text' : ''}`}>
            {t('support.disputes.amountHint', { max: formatFen(maxFen) })}
          </p>
        ) : null}
        <Form layout="vertical" className="tb-form-card">
          <Form.Item label={t('support.disputes.text')}>
            <TextArea
              value={text}
              onChange={setText}
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('support.disputes.textPlaceholder')}
            />
          </Form.Item>
        </Form>
        <div className="tb-space-top">
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            disabled={fen === null || tooHigh || !text.trim() || !paymentId}
            onClick={() => void submit()}
            data-testid="dispute-submit"
          >
            {t('support.disputes.submit')}
          </Button>
        </div>
      </div>
    </div>
  );
}

const STEP_OF: Record<string, number> = {
  awaiting_merchant: 0,
  merchant_answered: 1,
  merchant_refunded: 2,
  refunded: 2,
  rejected: 2,
};

/** A dispute's progress: the merchant's deadline and answer, the bank's decision and the refund. */
export default function DisputePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const dispute = useDispute(id);
  const item = dispute.data;
  return (
    <div className="tb-page">
      <PageHeader title={t('support.disputes.detail')} />
      {dispute.isPending ? <Loading /> : null}
      {dispute.error ? <ProblemView error={dispute.error} onRetry={() => void dispute.refetch()} /> : null}
      {item ? (
        <div className="tb-page-body tb-flush">
          <div className="tb-sup-alert">
            <Steps current={STEP_OF[item.status] ?? 0}>
              <Steps.Step title={t('support.disputes.status.awaiting_merchant')} />
              <Steps.Step title={t('support.disputes.merchantAnswer')} />
              <Steps.Step
                title={t(`support.disputes.status.${item.status === 'awaiting_merchant' ? 'refunded' : item.status}`, {
                  defaultValue: item.status,
                })}
                status={item.status === 'rejected' ? 'error' : undefined}
              />
            </Steps>
            <p className="tb-center" data-testid="dispute-status">
              <strong>{t(`support.disputes.status.${item.status}`, { defaultValue: item.status })}</strong>
            </p>
            {item.status === 'awaiting_merchant' ? (
              <p className="tb-center tb-muted">
                {t('support.disputes.merchantDue', { time: formatDateTime(item.merchantDueAt) })}
              </p>
            ) : null}
          </div>
          <List>
            <List.Item extra={item.merchantName ?? item.merchantId} data-testid="dispute-merchant">
              {t('support.disputes.merchant')}
            </List.Item>
            <List.Item extra={formatFen(item.paymentAmount)}>{t('support.disputes.payment')}</List.Item>
            <List.Item extra={formatFen(item.claimedAmount)}>{t('support.disputes.claimed')}</List.Item>
            <List.Item extra={t(`support.disputes.reasons.${item.reason}`, { defaultValue: item.reason })}>
              {t('support.disputes.reason')}
            </List.Item>
            <List.Item description={item.text}>{t('support.disputes.text')}</List.Item>
            {item.merchantAnswer ? (
              <List.Item
                description={
                  <>
                    {item.merchantAnswer.text}
                    {item.merchantAnswer.evidence ? (
                      <div>
                        {t('support.disputes.evidence')}: {item.merchantAnswer.evidence}
                      </div>
                    ) : null}
                  </>
                }
                extra={formatDateTime(item.merchantAnswer.answeredAt)}
              >
                {t('support.disputes.merchantAnswer')}
              </List.Item>
            ) : null}
            {item.decision ? (
              <List.Item description={item.decision.note} extra={formatDateTime(item.decision.decidedAt)}>
                {t('support.disputes.decision')}
              </List.Item>
            ) : null}
          </List>
          {item.refund ? (
            <p className="tb-sup-refund" data-testid="dispute-refund">
              {t('support.disputes.refund', { amount: formatFen(item.refund.amount) })}
            </p>
          ) : null}
          <div className="tb-padded">
            <Link to={`/support/tickets/${item.ticketId}`}>{t('support.disputes.ticket')} ›</Link>
          </div>
          <ContactFooter />
        </div>
      ) : null}
    </div>
  );
}
