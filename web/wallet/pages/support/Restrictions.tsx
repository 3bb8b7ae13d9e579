import { Button, List, Result, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FEATURE_ROUTES } from '../../features';
import { formatDateTime } from '../../format';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { ContactFooter } from '../../components/support/ContactFooter';
import { type Restriction, useRestrictions } from '../../support-api';
import '../../support.css';

/** "My restrictions": the one in force, in the holder's words, with the way to lift it as a button. */
export default function RestrictionsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const restrictions = useRestrictions();
  const english = i18n.language === 'en';
  const active = restrictions.data?.active ?? null;
  const history = restrictions.data?.history.filter((item) => item.id !== active?.id) ?? [];
  const reason = (item: Restriction) => (english ? item.reasonEn : item.reasonZh);

  return (
    <div className="tb-page">
      <PageHeader title={t('support.restrictions.title')} back="/me" />
      {restrictions.isPending ? <Loading /> : null}
      {restrictions.error ? (
        <ProblemView error={restrictions.error} onRetry={() => void restrictions.refetch()} />
      ) : null}
      {restrictions.data ? (
        <div className="tb-page-body tb-flush">
          {active ? (
            <section className="tb-sup-alert" aria-labelledby="restriction-title" data-testid="restriction-active">
              <div className="tb-sup-alert-head">
                <h2 id="restriction-title">{t('support.restrictions.active')}</h2>
                <Tag color="danger" fill="outline">
                  {t('support.restrictions.since', { time: formatDateTime(active.createdAt) })}
                </Tag>
              </div>
              <dl className="tb-sup-facts">
                <dt>{t('support.restrictions.reason')}</dt>
                <dd data-testid="restriction-reason">{reason(active)}</dd>
                <dt>{t('support.restrictions.howToLift')}</dt>
                <dd>{english ? active.howToLiftEn : active.howToLiftZh}</dd>
              </dl>
              <p className="tb-fineprint">{t('support.restrictions.what')}</p>
              <div className="tb-sup-actions">
                {active.liftBy === 'reverify' ? (
                  <Button block color="primary" onClick={() => navigate(FEATURE_ROUTES.verify)}>
                    {t('support.restrictions.liftReverify')}
                  </Button>
                ) : (
                  <>
                    <Button
                      block
                      color="primary"
                      onClick={() => navigate('/support/tickets/new?category=account_restricted')}
                    >
                      {t('support.restrictions.openTicket')}
                    </Button>
                    <Button block color="primary" fill="outline" onClick={() => navigate('/support/contact')}>
                      {t('support.restrictions.liftSupport')}
                    </Button>
                  </>
                )}
              </div>
            </section>
          ) : (
            <Result
              status="success"
              title={t('support.restrictions.none')}
              description={t('support.restrictions.noneBody')}
              data-testid="restriction-none"
            />
          )}
          {history.length ? (
            <List header={t('support.restrictions.history')}>
              {history.map((item) => (
                <List.Item
                  key={item.id}
                  description={
                    item.liftedAt ? t('support.restrictions.lifted', { time: formatDateTime(item.liftedAt) }) : null
                  }
                  extra={formatDateTime(item.createdAt)}
                >
                  {reason(item)}
                </List.Item>
              ))}
            </List>
          ) : null}
          <ContactFooter />
        </div>
      ) : null}
    </div>
  );
}
