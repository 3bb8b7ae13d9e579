import { useQuery } from '@tanstack/react-query';
import { Button, Selector } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, idempotencyKey } from '../../../shared/api';
import { fenToJson, formatFen, parseYuan, toFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { AmountField } from '../../components/AmountField';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import {
  type Application,
  type Method,
  METHODS,
  PURPOSES,
  type Schedule,
  TERMS,
  creditPath,
  useCreditProducts,
} from '../../credit-api';
import { AprFigure, ScheduleList, ScheduleSummary } from './components';
import './credit.css';

/** The value after it stopped changing for a moment: the quote is asked for once typing pauses. */
function useSettled<T>(value: T, delayMs = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/**
 * A loan application: amount, term (3/6/12/24), repayment method, purpose and declared income,
 * with a live quote from the server (APR first, then each installment and the total interest).
 * Applying asks the bureau and decides in seconds; the application page shows the decision.
 */
export default function LoanApplyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const products = useCreditProducts();
  const [amount, setAmount] = useState('10000');
  const [term, setTerm] = useState<number>(12);
  const [method, setMethod] = useState<Method>('equal_installment');
  const [purpose, setPurpose] = useState<string>('consumption');
  const [income, setIncome] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(idempotencyKey);
  const fen = parseYuan(amount);
  const incomeFen = parseYuan(income);
  const loan = products.data?.loan;
  const inRange = fen !== null && loan !== undefined && fen >= toFen(loan.minAmount) && fen <= toFen(loan.maxAmount);
  const settled = useSettled({ fen: fen?.toString() ?? null, term, method });
  const quote = useQuery({
    queryKey: ['credit', 'quote', settled],
    queryFn: () =>
      api.post<Schedule>(creditPath('loans', 'quote'), {
        amount: fenToJson(BigInt(settled.fen ?? '0')),
        currency: 'CNY',
        termMonths: settled.term,
        method: settled.method,
      }),
    enabled: settled.fen !== null && inRange,
    retry: false,
    placeholderData: (previous) => previous,
  });

  if (products.isPending) return <Loading />;
  if (!loan) return <ProblemView error={products.error} onRetry={() => void products.refetch()} />;

  const submit = async () => {
    if (fen === null || incomeFen === null) return;
    setBusy(true);
    setError(null);
    try {
      const application = await api.post<Application>(
        creditPath('applications'),
        {
          product: 'loan',
          amount: fenToJson(fen),
          currency: 'CNY',
          termMonths: term,
          method,
          purpose,
          monthlyIncome: fenToJson(incomeFen),
        },
        { idempotencyKey: `${key}-${fen}-${term}-${method}-${purpose}-${incomeFen}` },
      );
      navigate(`/credit/applications/${application.id}`, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const terms = loan.terms.length ? loan.terms : [...TERMS];
  const methods = loan.methods.length ? loan.methods : METHODS;
  const purposes = loan.purposes.length ? loan.purposes : [...PURPOSES];
  const schedule = inRange ? quote.data : undefined;
  return (
    <div className="tb-page">
      <PageHeader title={t('credit.loanTitle')} back="/credit" />
      <div className="tb-page-body">
        <AmountField value={amount} onChange={setAmount} label={t('credit.amount')} testId="loan-amount" />
        <p className={fen !== null && !inRange ? 'tb-error-text tb-credit-hint' : 'tb-muted tb-credit-hint'}>
          {t('credit.amountHint', { min: formatFen(loan.minAmount), max: formatFen(loan.maxAmount) })}
        </p>

        <div className="tb-credit-card">
          <p className="tb-sheet-label">{t('credit.term')}</p>
          <Selector
            columns={4}
            value={[term]}
            onChange={(value) => value[0] && setTerm(value[0])}
            options={terms.map((n) => ({ value: n, label: t('credit.termOption', { count: n }) }))}
            data-testid="loan-term"
          />
          <p className="tb-sheet-label">{t('credit.method')}</p>
          <Selector
            columns={3}
            value={[method]}
            onChange={(value) => value[0] && setMethod(value[0])}
            options={methods.map((m) => ({ value: m, label: t(`credit.methods.${m}`) }))}
            data-testid="loan-method"
          />
          <p className="tb-muted tb-credit-hint">{t(`credit.methodHints.${method}`)}</p>
          <p className="tb-sheet-label">{t('credit.purpose')}</p>
          <Selector
            columns={3}
            value={[purpose]}
            onChange={(value) => value[0] && setPurpose(value[0])}
            options={purposes.map((p) => ({ value: p, label: t(`credit.purposes.${p}`, { defaultValue: p }) }))}
            data-testid="loan-purpose"
          />
        </div>

        <AmountField value={income} onChange={setIncome} label={t('credit.income')} testId="loan-income" />
        <p className="tb-muted tb-credit-hint">{t('credit.incomeHint')}</p>

        <section className="tb-credit-card tb-quote" aria-labelledby="quote-title" data-testid="loan-quote">
          <h2 id="quote-title" className="tb-credit-card-title">
            {t('credit.quoteTitle')}
          </h2>
          {quote.error && inRange ? <ErrorBanner message={errorMessage(quote.error)} /> : null}
          {schedule ? (
            <>
              <AprFigure aprBp={schedule.aprBp} />
              <ScheduleSummary schedule={schedule} />
              <ScheduleList schedule={schedule} collapsedCount={3} />
            </>
          ) : (
            <p className="tb-muted tb-center">{quote.isFetching ? '…' : '—'}</p>
          )}
          <p className="tb-fineprint">{t('credit.aprNote')}</p>
        </section>

        <ErrorBanner message={error ? errorMessage(error) : null} />
        <Button
          block
          color="primary"
          size="large"
          disabled={!inRange || incomeFen === null}
          loading={busy}
          onClick={() => void submit()}
          data-testid="loan-submit"
        >
          {t('credit.submit')}
        </Button>
        <p className="tb-fineprint">{t('credit.quoteNote')}</p>
      </div>
    </div>
  );
}
