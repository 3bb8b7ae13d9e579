import { Button, Result, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, idempotencyKey } from '../../../shared/api';
import { type FenLike, fenToJson, formatFen, parseYuan, toFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { useBalance } from '../../balance';
import { AmountField } from '../../components/AmountField';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { type Repayment, creditPath, useCreditCard, useLoan } from '../../credit-api';
import { RepaymentPinSheet } from './components';
import './credit.css';

type Mode = 'due' | 'payoff' | 'custom' | 'full' | 'minimum';

interface Target {
  kind: 'loan' | 'card';
  id: string;
  payee: string;
  back: string;
  /** What each fixed mode would pay; null when it is not offered now. */
  amounts: Partial<Record<Mode, FenLike | null>>;
  modes: Mode[];
  max: FenLike;
}

/** Repaying a loan (this installment, pay off early, part prepayment) from the wallet, with the PIN pad. */
export function LoanRepayPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const loan = useLoan(id);
  if (loan.isPending) return <Loading />;
  if (!loan.data) return <ProblemView error={loan.error} onRetry={() => void loan.refetch()} />;
  const l = loan.data;
  const due = l.schedule.installments
    .filter((i) => i.status === 'due' || i.status === 'late_in_grace' || i.status === 'overdue')
    .reduce((sum, i) => sum + toFen(i.total) - toFen(i.paid), 0n);
  return (
    <RepayForm
      target={{
        kind: 'loan',
        id: l.id,
        payee: `${t('credit.loanTitle')} ${formatFen(l.amount)}`,
        back: `/credit/loans/${l.id}`,
        amounts: { due: due > 0n ? due : null, payoff: l.payoffToday },
        modes: ['due', 'payoff', 'custom'],
        max: l.payoffToday,
      }}
      initial={due > 0n ? 'due' : 'payoff'}
    />
  );
}

/** Repaying the credit card: in full (including unbilled), the statement's minimum, or any amount. */
export function CardRepayPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const card = useCreditCard(id);
  if (card.isPending) return <Loading />;
  if (!card.data) return <ProblemView error={card.error} onRetry={() => void card.refetch()} />;
  const c = card.data;
  const s = c.currentStatement;
  const minimum = s ? toFen(s.minimumPayment) - toFen(s.paid) : 0n;
  return (
    <RepayForm
      target={{
        kind: 'card',
        id: c.id,
        payee: `${c.brand} ${c.last4}`,
        back: '/credit/card',
        amounts: { full: c.balance, minimum: minimum > 0n ? minimum : null },
        modes: ['full', 'minimum', 'custom'],
        max: c.balance,
      }}
      initial="full"
    />
  );
}

function RepayForm(props: { target: Target; initial: Mode }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const balance = useBalance();
  const { target } = props;
  const [mode, setMode] = useState<Mode>(props.initial);
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [prepared, setPrepared] = useState<Repayment | null>(null);
  const [done, setDone] = useState<Repayment | null>(null);
  const [key] = useState(idempotencyKey);
  const fixed = target.amounts[mode];
  const amount = mode === 'custom' ? parseYuan(custom) : fixed === null || fixed === undefined ? null : toFen(fixed);
  const tooMuch = amount !== null && amount > toFen(target.max);

  if (done)
    return (
      <div className="tb-page">
        <PageHeader title={t('credit.repayTitle')} back={target.back} />
        <div className="tb-page-body">
          <Result
            status="success"
            title={
              <span data-testid="repay-result" data-status={done.status}>
                {t('credit.repayDone')}
              </span>
            }
            description={
              <>
                <div className="tb-amount-big">{formatFen(done.amount)}</div>
                <p className="tb-muted" data-testid="repay-allocation">
                  {t('credit.allocation', {
                    penalty: formatFen(done.allocation.penalty),
                    interest: formatFen(done.allocation.interest),
                    principal: formatFen(done.allocation.principal),
                  })}
                </p>
              </>
            }
          />
          <Button
            block
            color="primary"
            onClick={() => navigate(target.back, { replace: true })}
            data-testid="repay-back"
          >
            {target.kind === 'loan' ? t('credit.viewLoan') : t('credit.viewCard')}
          </Button>
        </div>
      </div>
    );

  const submit = async () => {
    if (amount === null) return;
    setBusy(true);
    setError(null);
    try {
      const path = creditPath(target.kind === 'loan' ? 'loans' : 'cards', target.id, 'repayments');
      const answer = await api.post<Repayment>(
        path,
        { mode, ...(mode === 'custom' ? { amount: fenToJson(amount) } : {}), currency: 'CNY' },
        { idempotencyKey: `${key}-${mode}-${amount}` },
      );
      if (answer.status === 'completed') setDone(answer);
      else setPrepared(answer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('credit.repayTitle')} back={target.back} />
      <div className="tb-page-body">
        <p className="tb-sheet-label">{t('credit.repayAmount')}</p>
        <Selector
          columns={3}
          value={[mode]}
          onChange={(value) => value[0] && setMode(value[0])}
          options={target.modes.map((m) => ({
            value: m,
            label: t(`credit.repaymentMode.${m}`),
            description: m !== 'custom' && target.amounts[m] ? formatFen(target.amounts[m] ?? 0) : undefined,
            disabled: m !== 'custom' && !target.amounts[m],
          }))}
          data-testid="repay-mode"
        />
        <p className="tb-muted tb-credit-hint">{t(`credit.repaymentModeHints.${mode}`)}</p>
        {mode === 'custom' ? (
          <AmountField value={custom} onChange={setCustom} label={t('credit.repayAmount')} testId="repay-amount" />
        ) : (
          <div className="tb-amount-big" data-testid="repay-fixed-amount">
            {amount === null ? '—' : formatFen(amount)}
          </div>
        )}
        {amount === null && mode !== 'custom' ? <p className="tb-muted tb-center">{t('credit.nothingDue')}</p> : null}
        <p className={tooMuch ? 'tb-error-text tb-credit-hint' : 'tb-muted tb-credit-hint'}>
          {balance.data ? t('credit.repayFrom', { amount: formatFen(balance.data.available) }) : ''}
        </p>
        <p className="tb-fineprint">{t('credit.allocationOrder')}</p>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <Button
          block
          color="primary"
          size="large"
          className="tb-space-top"
          disabled={amount === null || tooMuch}
          loading={busy}
          onClick={() => void submit()}
          data-testid="repay-submit"
        >
          {amount === null ? t('credit.repay') : t('credit.repayButton', { amount: formatFen(amount) })}
        </Button>
      </div>
      <RepaymentPinSheet
        repayment={prepared}
        payee={target.payee}
        onClose={() => setPrepared(null)}
        onDone={(r) => {
          setPrepared(null);
          setDone(r);
        }}
      />
    </div>
  );
}
