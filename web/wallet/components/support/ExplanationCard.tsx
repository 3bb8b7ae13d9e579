import { Button } from 'antd-mobile';
import { ExclamationCircleOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatFen } from '../../../shared/money';
import { formatDateTime } from '../../format';
import { type Explanation, pick } from '../../support-api';
import { walletPath } from '../../support-paths';
import { ContactFooter } from './ContactFooter';
import '../../support.css';

/**
 * "Why did this fail?": the cause in words from the server's data (the available amount, the limit,
 * the restriction, the maintenance window, the hold, the bank's reason) and the next step as a button.
 */
export function ExplanationCard(props: { explanation: Explanation }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const english = i18n.language === 'en';
  const { cause, nextSteps } = props.explanation;
  if (!cause) return null;
  const data = cause.data ?? {};
  const facts: [string, string][] = [];
  // Figures the server could not know come as null (no amount asked, no limit set): leave them out.
  if (data.availableAmount != null) facts.push([t('support.explain.available'), formatFen(data.availableAmount)]);
  if (data.shortAmount != null) facts.push([t('support.explain.short'), formatFen(data.shortAmount)]);
  if (data.limitAmount != null)
    facts.push([
      data.limitName === 'daily' ? t('support.explain.dailyLimit') : t('support.explain.limit'),
      formatFen(data.limitAmount),
    ]);
  if (data.usedAmount != null) facts.push([t('support.explain.used'), formatFen(data.usedAmount)]);
  if (data.restriction)
    facts.push([t('support.restrictions.reason'), pick(english, data.restriction.reasonZh, data.restriction.reasonEn)]);
  if (data.maintenance)
    facts.push([
      t('support.explain.window'),
      `${formatDateTime(data.maintenance.startsAt)} – ${formatDateTime(data.maintenance.endsAt)}`,
    ]);
  if (data.expiresAt) facts.push([t('support.explain.expires'), formatDateTime(data.expiresAt)]);
  if (data.networkReason)
    facts.push([
      t('support.explain.network'),
      t(`bankReasons.${data.networkReason}`, { defaultValue: data.networkReason }),
    ]);

  return (
    <section className="tb-sup-alert tb-sup-explain" aria-labelledby="explain-title" data-testid="explanation">
      <div className="tb-sup-explain-head">
        <ExclamationCircleOutline aria-hidden />
        <div>
          <small>{t('support.explain.title')}</small>
          <h2 id="explain-title" data-testid="explanation-title">
            {pick(english, cause.titleZh, cause.titleEn)}
          </h2>
        </div>
      </div>
      <p className="tb-sup-explain-detail">{pick(english, cause.detailZh, cause.detailEn)}</p>
      {facts.length ? (
        <dl className="tb-sup-facts tb-sup-facts-grid">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {nextSteps.length ? (
        <div className="tb-sup-actions">
          {nextSteps.map((step, index) => (
            <Button
              key={`${step.action}:${step.path}`}
              block
              color="primary"
              fill={index === 0 ? 'solid' : 'outline'}
              onClick={() => navigate(walletPath(step.path))}
              data-testid={`next-${step.action}`}
            >
              {pick(english, step.labelZh, step.labelEn)}
            </Button>
          ))}
        </div>
      ) : null}
      <ContactFooter />
    </section>
  );
}
