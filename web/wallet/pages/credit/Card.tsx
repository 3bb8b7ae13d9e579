import { Button, List } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
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
  type CreditCard,
  creditPath,
  formatBp,
  useApplications,
  useCardTransactions,
  useCreditCards,
  useCreditProducts,
  useDay,
  useStatement,
  useStatements,
} from '../../credit-api';
import { formatDateTime } from '../../format';
import { CardControlsBar, type Shown, spaced, useShown } from './CardControls';
import { Row, StatusTag } from './components';
import './credit.css';

/** 信用卡: my card (limit, what this statement asks, repay, statements, transactions), or the offer to apply. */
export default function CardPage() {
  const { t } = useTranslation();
  const cards = useCreditCards();
  const card = cards.data?.items.find((c) => c.status !== 'closed');
  return (
    <div className="tb-page">
      <PageHeader title={t('credit.cardTitle')} back="/" />
      {cards.isPending ? <Loading /> : null}
      {cards.error ? <ProblemView error={cards.error} onRetry={() => void cards.refetch()} /> : null}
      {cards.data ? card ? <MyCard card={card} /> : <CardOffer /> : null}
    </div>
  );
}

function CardFace(props: { card: CreditCard; shown?: Shown | null; left?: number }) {
  const { t } = useTranslation();
  const c = props.card;
  const shown = props.shown ?? null;
  return (
    <div className="tb-cc-face" data-testid="credit-card-face">
      <div className="tb-cc-top">
        <span className="tb-cc-bank">{c.brand || t('credit.card.bankName')}</span>
        {c.status === 'frozen' ? <span className="tb-cc-frozen">{t('credit.card.frozen')}</span> : null}
      </div>
      <div className="tb-cc-chip" aria-hidden />
      <div className="tb-cc-number" data-testid="credit-card-number">
        {shown ? spaced(shown.number) : c.maskedNumber}
      </div>
      {shown ? (
        <div className="tb-cc-shown" data-testid="credit-card-shown">
          <span>
            {t('credit.card.controls.cvv')} <strong data-testid="credit-card-cvv">{shown.cvv}</strong>
          </span>
          <span>{t('credit.card.controls.hidesIn', { seconds: props.left ?? 0 })}</span>
        </div>
      ) : null}
      <div className="tb-cc-bottom">
        <span>
          {t('credit.card.expiry')} {c.expiry}
        </span>
        <span>
          {t('credit.card.available')} <strong data-testid="credit-card-available">{formatFen(c.available)}</strong>
        </span>
      </div>
    </div>
  );
}

function MyCard(props: { card: CreditCard }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const day = useDay();
  const c = props.card;
  const s = c.currentStatement;
  const statements = useStatements(c.id);
  const transactions = useCardTransactions(c.id);
  const remaining = s ? toFen(s.balance) - toFen(s.paid) : 0n;
  const [shown, setShown, left] = useShown();
  return (
    <div className="tb-page-body">
      <CardFace card={c} shown={shown} left={left} />
      <CardControlsBar card={c} shown={shown !== null} onShow={setShown} />
      <section
        className="tb-credit-card tb-cc-statement"
        aria-labelledby="cc-current"
        data-testid="credit-card-statement"
      >
        <div className="tb-cc-statement-head">
          <h2 id="cc-current" className="tb-credit-card-title">
            {t('credit.card.currentStatement')}
          </h2>
          {s ? (
            <StatusTag status={s.status} label={t(`credit.card.status.${s.status}`, { defaultValue: s.status })} />
          ) : null}
        </div>
        {s ? (
          <>
            <div className="tb-cc-due-amount" data-testid="statement-remaining">
              {formatFen(remaining > 0n ? remaining : 0n)}
            </div>
            <div className="tb-muted tb-center">
              {t('credit.card.dueDate')} {day(s.dueDate)} · {t('credit.card.minimumPayment')}{' '}
              {formatFen(s.minimumPayment)}
            </div>
          </>
        ) : (
          <p className="tb-muted tb-center">{t('credit.card.noStatement')}</p>
        )}
        <div className={s ? 'tb-cc-actions' : 'tb-cc-actions tb-cc-actions-one'}>
          <Button
            color="primary"
            block
            disabled={toFen(c.balance) <= 0n}
            onClick={() => navigate(`/credit/cards/${c.id}/repay`)}
            data-testid="card-repay"
          >
            {t('credit.repay')}
          </Button>
          {s ? (
            <Button fill="outline" color="primary" block onClick={() => navigate(`/credit/statements/${s.id}`)}>
              {t('credit.card.viewStatement')}
            </Button>
          ) : null}
        </div>
        <dl className="tb-credit-rows">
          <Row label={t('credit.card.limit')} value={formatFen(c.limit)} />
          <Row label={t('credit.card.balance')} value={formatFen(c.balance)} />
          <Row label={t('credit.card.unbilled')} value={formatFen(c.unbilled)} />
          <Row label={t('credit.aprSimple')} value={formatBp(c.annualRateBp)} />
          <Row label={t('credit.card.statementDay')} value={t('credit.card.dayOfMonth', { day: c.statementDay })} />
          <Row label={t('credit.card.dueDay')} value={t('credit.card.dayOfMonth', { day: c.dueDay })} />
        </dl>
        <p className="tb-fineprint">{t('credit.card.statementNote')}</p>
      </section>

      <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="cc-statements">
        <h2 id="cc-statements" className="tb-credit-card-title">
          {t('credit.card.statements')}
        </h2>
        {statements.data && !statements.data.items.length ? (
          <p className="tb-muted tb-credit-empty">{t('credit.card.noStatements')}</p>
        ) : null}
        <List>
          {statements.data?.items.map((item) => (
            <List.Item
              key={item.id}
              onClick={() => navigate(`/credit/statements/${item.id}`)}
              description={t('credit.card.period', { from: day(item.periodFrom), to: day(item.periodTo) })}
              extra={
                <span className="tb-credit-extra">
                  <strong>{formatFen(item.balance)}</strong>
                  <StatusTag
                    status={item.status}
                    label={t(`credit.card.status.${item.status}`, { defaultValue: item.status })}
                  />
                </span>
              }
              data-testid="card-statement"
            >
              {t('credit.card.statementTitle', { date: day(item.statementDate) })}
            </List.Item>
          ))}
        </List>
      </section>

      <section className="tb-credit-card tb-credit-card-flush" aria-labelledby="cc-transactions">
        <h2 id="cc-transactions" className="tb-credit-card-title">
          {t('credit.card.transactions')}
        </h2>
        {transactions.data && !transactions.data.items.length ? (
          <p className="tb-muted tb-credit-empty">{t('credit.card.noTransactions')}</p>
        ) : null}
        <TransactionList items={transactions.data?.items ?? []} />
      </section>
    </div>
  );
}

function TransactionList(props: { items: import('../../credit-api').CardTransaction[] }) {
  const { t } = useTranslation();
  return (
    <List>
      {props.items.map((tx) => {
        const credit = tx.kind === 'repayment' || tx.kind === 'refund' || tx.kind === 'interest_reversal';
        return (
          <List.Item
            key={tx.id}
            description={formatDateTime(tx.postedAt)}
            extra={
              <span className={credit ? 'tb-in' : 'tb-out'}>
                {credit ? '-' : ''}
                {formatFen(tx.amount)}
              </span>
            }
            data-testid="card-transaction"
          >
            {tx.merchantName ?? t(`credit.card.kinds.${tx.kind}`, { defaultValue: tx.kind })}
            {tx.merchantName ? (
              <span className="tb-record-sub"> · {t(`credit.card.kinds.${tx.kind}`, { defaultValue: tx.kind })}</span>
            ) : null}
          </List.Item>
        );
      })}
    </List>
  );
}

/** No card yet: what the card offers (interest-free days, APR, minimum), and applying with one's income. */
function CardOffer() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const products = useCreditProducts();
  const applications = useApplications();
  const [income, setIncome] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [key] = useState(idempotencyKey);
  const incomeFen = parseYuan(income);
  const card = products.data?.card;
  const open = applications.data?.items.find(
    (a) => a.product === 'card' && ['referred', 'approved', 'awaiting_signature'].includes(a.status),
  );
  const apply = async () => {
    if (incomeFen === null) return;
    setBusy(true);
    setError(null);
    try {
      const application = await api.post<Application>(
        creditPath('applications'),
        { product: 'card', monthlyIncome: fenToJson(incomeFen) },
        { idempotencyKey: `${key}-${incomeFen}` },
      );
      navigate(`/credit/applications/${application.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="tb-page-body">
      <div className="tb-cc-face tb-cc-face-offer" aria-hidden>
        <div className="tb-cc-top">
          <span className="tb-cc-bank">{card?.brand || t('credit.card.bankName')}</span>
        </div>
        <div className="tb-cc-chip" />
        <div className="tb-cc-number">{card ? `${card.bin.slice(0, 4)} ${card.bin.slice(4)}** **** ****` : ''}</div>
      </div>
      <h2 className="tb-cc-offer-title">{t('credit.card.offerTitle')}</h2>
      <p className="tb-muted tb-center">{t('credit.card.offerLead')}</p>
      {card ? (
        <ul className="tb-cc-perks">
          <li>
            <strong>{card.interestFreeDaysMax}</strong>
            <span>{t('credit.card.interestFree', { days: card.interestFreeDaysMax })}</span>
          </li>
          <li>
            <strong data-testid="card-apr">{formatBp(card.annualRateBp)}</strong>
            <span>{t('credit.aprSimple')}</span>
          </li>
          <li>
            <strong>{card.minimumPaymentPct}%</strong>
            <span>{t('credit.card.minimumPct', { pct: card.minimumPaymentPct })}</span>
          </li>
        </ul>
      ) : null}
      {open ? (
        <Link to={`/credit/applications/${open.id}`} className="tb-callout tb-callout-flush">
          {t('credit.openApplication')} · {t(`credit.applicationStatus.${open.status}`, { defaultValue: open.status })}
        </Link>
      ) : (
        <>
          <AmountField value={income} onChange={setIncome} label={t('credit.income')} testId="card-income" />
          <p className="tb-muted tb-credit-hint">{t('credit.incomeHint')}</p>
          <ErrorBanner message={error ? errorMessage(error) : null} />
          <Button
            block
            color="primary"
            size="large"
            disabled={incomeFen === null}
            loading={busy}
            onClick={() => void apply()}
            data-testid="card-apply"
          >
            {t('credit.card.apply')}
          </Button>
          <p className="tb-fineprint">{t('credit.quoteNote')}</p>
        </>
      )}
    </div>
  );
}

/** One statement: the period, balance, minimum, due date, its transactions and the PDF. */
export function StatementPage() {
  const { t } = useTranslation();
  const day = useDay();
  const { id = '' } = useParams();
  const statement = useStatement(id);
  const s = statement.data;
  return (
    <div className="tb-page">
      <PageHeader
        title={s ? t('credit.card.statementTitle', { date: day(s.statementDate) }) : t('credit.cardTitle')}
        back="/credit/card"
      />
      {statement.isPending ? <Loading /> : null}
      {statement.error ? <ProblemView error={statement.error} onRetry={() => void statement.refetch()} /> : null}
      {s ? (
        <div className="tb-page-body">
          <section className="tb-credit-card" data-testid="statement-detail">
            <div className="tb-cc-statement-head">
              <span className="tb-muted">
                {t('credit.card.period', { from: day(s.periodFrom), to: day(s.periodTo) })}
              </span>
              <StatusTag status={s.status} label={t(`credit.card.status.${s.status}`, { defaultValue: s.status })} />
            </div>
            <div className="tb-cc-due-amount">{formatFen(s.balance)}</div>
            <dl className="tb-credit-rows">
              <Row label={t('credit.card.minimumPayment')} value={formatFen(s.minimumPayment)} />
              <Row label={t('credit.card.dueDate')} value={day(s.dueDate)} strong />
              <Row label={t('credit.paid')} value={formatFen(s.paid)} />
              <Row label={t('credit.card.interestCharged')} value={formatFen(s.interest)} />
            </dl>
            <a
              className="adm-button adm-button-primary adm-button-fill-outline adm-button-block tb-link-button"
              href={`${creditPath('statements', s.id)}/pdf`}
              download={`tongbao-statement-${s.statementDate}.pdf`}
              data-testid="statement-pdf"
            >
              {t('credit.card.downloadPdf')}
            </a>
          </section>
          <section className="tb-credit-card tb-credit-card-flush">
            <h2 className="tb-credit-card-title">{t('credit.card.transactions')}</h2>
            <TransactionList items={s.transactions ?? []} />
          </section>
        </div>
      ) : null}
    </div>
  );
}
