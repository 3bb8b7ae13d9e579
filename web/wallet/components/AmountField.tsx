import { Input } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

/** The big "¥ ____" amount field of payment pages; digits and one decimal point only. */
export function AmountField(props: {
  value: string;
  onChange: (value: string) => void;
  label?: string;
  autoFocus?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="tb-amount-field">
      <span className="tb-amount-label">{props.label ?? t('money.amount')}</span>
      <span className="tb-amount-row">
        <span className="tb-amount-symbol" aria-hidden>
          ¥
        </span>
        <Input
          value={props.value}
          onChange={(value) => props.onChange(value.replace(/[^\d.]/g, '').replace(/^(\d*\.\d{0,2}).*$/, '$1'))}
          inputMode="decimal"
          placeholder="0.00"
          autoFocus={props.autoFocus}
          className="tb-amount-input"
          data-testid={props.testId ?? 'amount'}
        />
      </span>
    </label>
  );
}
