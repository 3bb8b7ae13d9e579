import { List } from 'antd-mobile';
import { AddOutline, BankcardOutline, CheckCircleFill, UserContactOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { toFen } from '../../shared/money';
import { useBalance } from '../balance';
import { FEATURE_ROUTES } from '../features';
import { useMe } from '../session';
import { useCards } from '../wallet-api';

/**
 * A new holder with ¥0 is told what to do next instead of an empty home: verify the identity, link
 * a card, top up. Done steps are ticked; the section goes away once there is money.
 */
export function NextSteps() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const balance = useBalance();
  const cards = useCards();
  if (!me.data || !balance.data || !cards.data) return null;
  if (toFen(balance.data.balance) !== 0n) return null;
  const steps = [
    {
      key: 'verify',
      done: me.data.tier !== 'basic',
      to: FEATURE_ROUTES.verify,
      icon: <UserContactOutline aria-hidden />,
    },
    { key: 'card', done: cards.data.items.length > 0, to: FEATURE_ROUTES.cards, icon: <BankcardOutline aria-hidden /> },
    { key: 'topUp', done: false, to: FEATURE_ROUTES.topUp, icon: <AddOutline aria-hidden /> },
  ] as const;
  return (
    <section className="tb-section" aria-labelledby="next-steps-title" data-testid="next-steps">
      <h2 id="next-steps-title" className="tb-section-title">
        {t('home.nextSteps.title')}
      </h2>
      <List>
        {steps.map((step, index) => (
          <List.Item
            key={step.key}
            prefix={step.done ? <CheckCircleFill className="tb-step-done" aria-hidden /> : step.icon}
            description={t(`home.nextSteps.${step.key}Hint`)}
            extra={step.done ? t('home.nextSteps.done') : undefined}
            arrowIcon={!step.done}
            onClick={step.done ? undefined : () => navigate(step.to)}
            data-testid={`next-step-${step.key}`}
          >
            {index + 1}. {t(`home.nextSteps.${step.key}`)}
          </List.Item>
        ))}
      </List>
    </section>
  );
}
