import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Selector } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen, parseYuan, toFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { useBalance } from '../balance';
import { AmountField } from '../components/AmountField';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDate } from '../format';
import {
  type Assessment,
  type Product,
  type SavingsOrder,
  levelNumber,
  useAssessment,
  useHoldings,
  useLocalized,
  useProduct,
  useProducts,
} from './api';
import { OrderPinSheet, RateFigure, RiskTag } from './components';
import { useTermLabel } from './SavingsHome';
import './savings.css';

type MaturityChoice = 'rollover' | 'to_wallet';

/** YYYY-MM-DD plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** principal × rate% × days / 360, half up to the fen, with the rate as an exact decimal string. */
export function depositInterest(principalFen: bigint, ratePct: string, days: number): bigint {
  const [whole, fraction = ''] = ratePct.split('.');
  const scaled = BigInt(whole + fraction.padEnd(6, '0').slice(0, 6)); // rate% × 10^6
  const denominator = 360n * 100n * 1_000_000n;
  const numerator = principalFen * scaled * BigInt(days);
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Where suitability stands before buying: fine, questionnaire needed, acknowledgement needed, or refused. */
export function suitability(
  product: Pick<Product, 'riskLevel'>,
  assessment: Assessment | null | undefined,
): 'ok' | 'questionnaire' | 'expired' | 'ack' | 'refused' {
  if (!assessment) return 'questionnaire';
  if (assessment.expired) return 'expired';
  const risk = levelNumber(product.riskLevel);
  const level = levelNumber(assessment.level);
  if (risk <= level) return 'ok';
  return level <= 1 ? 'refused' : 'ack';
}

/** Buy a fund or open a term deposit: amount (and term and maturity choice), suitability, then the PIN pad. */
export default function BuyPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const termLabel = useTermLabel();
  const loc = useLocalized();
  const product = useProduct(id);
  const products = useProducts();
  const assessment = useAssessment();
  const holdings = useHoldings();
  const balance = useBalance();
  const [amount, setAmount] = useState('');
  const [choice, setChoice] = useState<MaturityChoice>('to_wallet');
  const [acknowledged, setAcknowledged] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [prepared, setPrepared] = useState<SavingsOrder | null>(null);
  const [key] = useState(idempotencyKey);
  const fen = parseYuan(amount);
  const p = product.data;

  if (product.isPending || assessment.isPending) return <Loading />;
  if (!p) return <ProblemView error={product.error} onRetry={() => void product.refetch()} />;
  const fund = p.kind === 'fund';
  const state = suitability(p, assessment.data?.assessment);
  const minimum = toFen(p.minimumAmount);
  const belowMinimum = fen !== null && fen < minimum;
  const review = p.reviewThreshold !== null && fen !== null && fen > toFen(p.reviewThreshold);
  const terms = (products.data?.items ?? [])
    .filter((x) => x.kind === 'term_deposit' && x.status === 'on_sale')
    .sort((a, b) => (a.termMonths ?? 0) - (b.termMonths ?? 0));
  const today = holdings.data?.today;
  const maturity = today && p.termMonths ? addMonths(today, p.termMonths) : null;
  const interest =
    !fund && fen !== null && today && maturity && p.annualRatePct
      ? depositInterest(fen, p.annualRatePct, daysBetween(today, maturity))
      : null;
  const blocked = state === 'questionnaire' || state === 'expired' || state === 'refused';
  const ready = fen !== null && !belowMinimum && !blocked && (state !== 'ack' || acknowledged);

  const submit = async (ack: boolean) => {
    if (fen === null) return;
    setBusy(true);
    setError(null);
    try {
      const order = await api.post<SavingsOrder>(
        '/api/v1/savings/subscriptions',
        {
          productId: p.id,
          amount: fenToJson(fen),
          currency: 'CNY',
          ...(ack ? { acknowledgeRisk: true } : {}),
          ...(fund ? {} : { maturityChoice: choice }),
        },
        { idempotencyKey: `${key}-${p.id}-${fen}-${fund ? '' : choice}-${ack ? 'ack' : ''}` },
      );
      if (order.status === 'awaiting_confirmation' && order.confirmation) setPrepared(order);
      else navigate(`/savings/orders/${order.id}`, { replace: true });
    } catch (failure) {
      // The server knows best: a level that changed elsewhere shows here once the assessment is read again.
      if (failure instanceof ApiError && failure.code.startsWith('SAVINGS_')) {
        setAcknowledged(false);
        void client.invalidateQueries({ queryKey: ['savings', 'assessment'] });
      }
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const level = assessment.data?.assessment;
  const backHere = encodeURIComponent(`/savings/products/${p.id}/buy`);
  return (
    <div className="tb-page">
      <PageHeader title={fund ? t('savings.buy') : t('savings.openDepositTitle')} />
      <div className="tb-page-body">
        <div className="tb-buy-product">
          <div>
            <div className="tb-buy-product-name">{loc(p.name)}</div>
            <RiskTag level={p.riskLevel} />
          </div>
          <RateFigure
            value={fund ? p.latestYield?.yield7dPct : p.annualRatePct}
            label={fund ? t('savings.latestYield') : t('savings.annualRate')}
          />
        </div>

        {!fund && terms.length > 1 ? (
          <>
            <p className="tb-sheet-label">{t('savings.chooseTerm')}</p>
            <Selector
              columns={4}
              value={[p.id]}
              onChange={(value) => value[0] && navigate(`/savings/products/${value[0]}/buy`, { replace: true })}
              options={terms.map((x) => ({ value: x.id, label: termLabel(x.termMonths ?? 0) }))}
              data-testid="term-choice"
            />
          </>
        ) : null}

        <ErrorBanner message={error ? errorMessage(error) : null} />
        <AmountField value={amount} onChange={setAmount} label={t('savings.amount')} />
        <p className={belowMinimum ? 'tb-error-text tb-small' : 'tb-muted tb-small'}>
          {t('savings.belowMinimum', { amount: formatFen(minimum) })}
          {balance.data ? ` · ${t('savings.available', { amount: formatFen(balance.data.available) })}` : ''}
        </p>

        {!fund ? (
          <>
            <p className="tb-sheet-label">{t('savings.maturityChoice')}</p>
            <Selector
              columns={2}
              value={[choice]}
              onChange={(value) => value[0] && setChoice(value[0] as MaturityChoice)}
              options={(['to_wallet', 'rollover'] as const).map((value) => ({
                value,
                label: t(`savings.maturity.${value}`),
              }))}
              data-testid="maturity-choice"
            />
            {maturity ? (
              <p className="tb-muted tb-small" data-testid="deposit-preview">
                {t('savings.deposit.maturesOn')} {maturity}
                {interest !== null ? ` · ${t('savings.expectedInterest', { amount: formatFen(interest) })}` : ''}
              </p>
            ) : null}
          </>
        ) : null}

        {review && p.reviewThreshold !== null ? (
          <p className="tb-savings-note" role="note">
            {t('savings.reviewNotice', { amount: formatFen(p.reviewThreshold) })}
          </p>
        ) : null}

        {state === 'questionnaire' || state === 'expired' ? (
          <div className="tb-savings-callout" role="alert" data-testid="need-questionnaire">
            <p>
              {state === 'expired' && level
                ? t('savings.questionnaireExpired', { day: formatDate(level.expiresAt) })
                : t('savings.needQuestionnaire')}
            </p>
            <Button
              size="small"
              color="primary"
              onClick={() => navigate(`/savings/questionnaire?next=${backHere}`)}
              data-testid="take-questionnaire"
            >
              {state === 'expired' ? t('savings.retakeQuestionnaire') : t('savings.takeQuestionnaire')}
            </Button>
          </div>
        ) : null}
        {state === 'refused' ? (
          <div className="tb-savings-callout" role="alert" data-testid="risk-refused">
            <p>{t('savings.riskRefused')}</p>
          </div>
        ) : null}
        {state === 'ack' && level ? (
          <div className="tb-ack" data-testid="risk-ack">
            <h2>{t('savings.ackTitle')}</h2>
            <p>
              {t('savings.ackText', {
                product: t(`savings.risk.${p.riskLevel}`, { defaultValue: p.riskLevel }),
                level: t(`savings.levels.${level.level}`, { defaultValue: level.level }),
              })}
            </p>
            <Checkbox checked={acknowledged} onChange={setAcknowledged} data-testid="risk-ack-check">
              {t('savings.ackCheckbox')}
            </Checkbox>
          </div>
        ) : null}

        <Button
          block
          color="primary"
          size="large"
          className="tb-space-top"
          disabled={!ready}
          loading={busy}
          onClick={() => void submit(state === 'ack' && acknowledged)}
          data-testid="buy-submit"
        >
          {fund ? t('savings.buy') : t('savings.openDeposit')}
        </Button>
        {fund ? <p className="tb-fineprint">{t('savings.pastPerformance')}</p> : null}
      </div>
      <OrderPinSheet
        order={prepared}
        payee={loc(p.name)}
        onClose={() => setPrepared(null)}
        onDone={(order) => navigate(`/savings/orders/${order.id}`, { replace: true })}
      />
    </div>
  );
}
