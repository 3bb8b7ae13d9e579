import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, SwipeAction, Tag, Toast } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { type Card, useCards } from '../wallet-api';

const BANK_COLORS: Record<string, string> = {
  ICBC: '#c7000b',
  CCB: '#0a4a9c',
  ABC: '#00866a',
  BOC: '#a71e32',
  CMB: '#c8102e',
  BOCOM: '#1b3f8b',
  PSBC: '#00703c',
};

/** Linked bank cards, the default first; add, make default, unlink. */
export default function CardsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const cards = useCards();
  const english = i18n.language === 'en';
  const refresh = () => client.invalidateQueries({ queryKey: ['cards'] });
  const makeDefault = useMutation({
    mutationFn: (card: Card) => api.patch(`/api/v1/wallet/cards/${card.id}`, { isDefault: true }),
    onSuccess: refresh,
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const unbind = useMutation({
    mutationFn: (card: Card) => api.delete(`/api/v1/wallet/cards/${card.id}`),
    onSuccess: refresh,
    onError: (e) => Toast.show({ icon: 'fail', content: errorMessage(e) }),
  });
  const active = cards.data?.items.filter((card) => card.status === 'active') ?? [];

  return (
    <div className="tb-page">
      <PageHeader title={t('cards.title')} />
      <div className="tb-page-body">
        {cards.error ? <ProblemView error={cards.error} onRetry={() => void cards.refetch()} /> : null}
        {cards.isSuccess && active.length === 0 ? <Empty description={t('cards.empty')} /> : null}
        <ul className="tb-card-list" aria-label={t('cards.title')}>
          {active.map((card) => (
            <li key={card.id}>
              <SwipeAction
                rightActions={[
                  ...(card.isDefault
                    ? []
                    : [
                        {
                          key: 'default',
                          text: t('cards.makeDefault'),
                          color: 'primary' as const,
                          onClick: () => makeDefault.mutate(card),
                        },
                      ]),
                  {
                    key: 'unbind',
                    text: t('cards.unbind'),
                    color: 'danger' as const,
                    onClick: async () => {
                      if (
                        await Dialog.confirm({
                          content: t('cards.confirmUnbind', { card: card.masked }),
                          confirmText: t('cards.unbind'),
                          cancelText: t('common.cancel'),
                        })
                      )
                        unbind.mutate(card);
                    },
                  },
                ]}
              >
                <div
                  className="tb-bank-card"
                  style={{ background: BANK_COLORS[card.bankCode] ?? '#3a4a5c' }}
                  data-testid="bank-card"
                >
                  <div className="tb-bank-card-top">
                    <strong>{english ? card.bankNameEn : card.bankName}</strong>
                    {card.isDefault ? (
                      <Tag color="#ffffff" fill="outline">
                        {t('cards.default')}
                      </Tag>
                    ) : null}
                  </div>
                  <div className="tb-bank-card-type">
                    {card.cardType === 'credit' ? t('cards.credit') : t('cards.debit')}
                    {card.nickname ? ` · ${card.nickname}` : ''}
                  </div>
                  <div className="tb-bank-card-number">{card.masked}</div>
                </div>
              </SwipeAction>
              {!card.isDefault ? (
                <div className="tb-card-actions">
                  <Button size="mini" fill="none" onClick={() => makeDefault.mutate(card)}>
                    {t('cards.makeDefault')}
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        <Button
          block
          color="primary"
          fill="outline"
          size="large"
          onClick={() => navigate('/cards/add')}
          data-testid="add-card"
        >
          <AddOutline aria-hidden /> {t('cards.add')}
        </Button>
        <p className="tb-fineprint">{t('cards.swipeHint')}</p>
      </div>
    </div>
  );
}
