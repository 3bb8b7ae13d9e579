import { Button, Radio, Space } from 'antd-mobile';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type Card, cardLabel, useCards } from '../wallet-api';

/** Choose one of the linked cards (the default preselected), or go link one. */
export function CardPicker(props: {
  value: string | null;
  onChange: (id: string) => void;
  debitOnly?: boolean;
  back: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const cards = useCards();
  const usable = (cards.data?.items ?? []).filter(
    (card: Card) => card.status === 'active' && (!props.debitOnly || card.cardType === 'debit'),
  );
  useEffect(() => {
    if (!props.value && usable.length) props.onChange((usable.find((card) => card.isDefault) ?? usable[0]).id);
  }, [props, usable]);
  if (cards.isSuccess && usable.length === 0) {
    return (
      <div className="tb-card-empty">
        <p>{props.debitOnly ? t('cards.noDebit') : t('cards.empty')}</p>
        <Button
          color="primary"
          fill="outline"
          onClick={() => navigate(`/cards/add?back=${encodeURIComponent(props.back)}`)}
        >
          {t('cards.add')}
        </Button>
      </div>
    );
  }
  return (
    <fieldset className="tb-card-picker">
      <legend>{t('cards.choose')}</legend>
      <Radio.Group value={props.value} onChange={(value) => props.onChange(String(value))}>
        <Space direction="vertical" block>
          {usable.map((card) => (
            <Radio key={card.id} value={card.id} block>
              {cardLabel(card, i18n.language === 'en')}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
    </fieldset>
  );
}
