import { useQueryClient } from '@tanstack/react-query';
import { Tag } from 'antd-mobile';
import { ExclamationTriangleOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { PinSheet } from '../components/PinSheet';
import { confirmWithPasskey } from '../passkey';
import { confirmWithPin } from '../wallet-api';
import { type Localized, type SavingsOrder, formatPct } from './api';

const RISK_COLOR: Record<string, string> = {
  R1: '#237804',
  R2: '#1d6fe0',
  R3: '#b35c00',
  R4: '#c8102e',
  R5: '#8a0b20',
};

/** The product's risk level as a coloured tag, its name spelled out ("R3 中风险"). */
export function RiskTag(props: { level: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={RISK_COLOR[props.level] ?? 'default'} fill="outline" className="tb-risk-tag" data-testid="risk-level">
      {t(`savings.risk.${props.level}` as 'savings.risk.R1', { defaultValue: props.level })}
    </Tag>
  );
}

/** The risk warning every product page shows, with "past performance does not guarantee future results". */
export function RiskWarning(props: { text: Localized }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const text = english ? props.text.en : props.text.zh;
  // Every product page says that past performance does not guarantee future results.
  const saysPast = english ? /past performance/i.test(text) : text.includes('过往业绩');
  return (
    <aside className="tb-risk-warning" aria-labelledby="risk-warning-title" data-testid="risk-warning">
      <h2 id="risk-warning-title">
        <ExclamationTriangleOutline aria-hidden /> {t('savings.riskWarningTitle')}
      </h2>
      <p>{text}</p>
      {saysPast ? null : <p>{t('savings.pastPerformance')}</p>}
    </aside>
  );
}

/** A yield or rate as the big red figure of a product card. */
export function RateFigure(props: { value: string | null | undefined; label: string; big?: boolean }) {
  return (
    <div className="tb-rate">
      <span className={props.big ? 'tb-rate-value tb-rate-big' : 'tb-rate-value'}>{formatPct(props.value)}</span>
      <span className="tb-rate-label">{props.label}</span>
    </div>
  );
}

/**
 * The PIN pad for a prepared savings order: approves its confirmation (PIN or passkey), then
 * completes the order. The completion's Idempotency-Key is tied to the order, so a retry cannot
 * move money twice.
 */
export function OrderPinSheet(props: {
  order: SavingsOrder | null;
  title?: string;
  payee?: string;
  onClose: () => void;
  onDone: (order: SavingsOrder) => void;
}) {
  const client = useQueryClient();
  const complete = async () => {
    const order = props.order;
    if (!order?.confirmation) return;
    const done = await api.post<SavingsOrder>(
      `/api/v1/savings/orders/${encodeURIComponent(order.id)}/complete`,
      { confirmationId: order.confirmation.id },
      { idempotencyKey: `savings-complete-${order.id}` },
    );
    await client.invalidateQueries({ queryKey: ['savings'] });
    await client.invalidateQueries({ queryKey: ['balance'] });
    props.onDone(done);
  };
  return (
    <PinSheet
      visible={Boolean(props.order?.confirmation)}
      title={props.title}
      amount={props.order?.amount}
      payee={props.payee}
      onClose={props.onClose}
      onPasskey={async () => {
        if (!props.order?.confirmation) return;
        await confirmWithPasskey(props.order.confirmation.id);
        await complete();
      }}
      onSubmit={async (pin) => {
        if (!props.order?.confirmation) return;
        await confirmWithPin(props.order.confirmation.id, pin);
        await complete();
      }}
    />
  );
}
