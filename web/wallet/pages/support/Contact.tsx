import { Button, List, NoticeBar } from 'antd-mobile';
import {
  ExclamationShieldOutline,
  FileOutline,
  MessageOutline,
  PhoneFill,
  QuestionCircleOutline,
  CheckShieldOutline,
  StopOutline,
} from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { formatDateTime } from '../../format';
import { PageHeader } from '../../components/PageHeader';
import { useMe } from '../../session';
import { pick, useAnnouncements, useContactInfo } from '../../support-api';
import '../../support.css';

/**
 * Contact: the hotline, online support and its hours, the complaint channel (kept prominent: a
 * regulatory duty), and the official announcements. Reachable signed out too, from the sign-in page.
 */
export default function ContactPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const signedIn = Boolean(me.data);
  const english = i18n.language === 'en';
  const contact = useContactInfo();
  // The maintenance announcements answer even where the contact API does not (an older server).
  const maintenance = useAnnouncements(i18n.language);
  const info = contact.data;
  const hotline = info?.hotline ?? t('support.contact.defaultHotline');
  const announcements = info
    ? info.announcements.map((item) => ({
        id: item.id,
        title: pick(english, item.titleZh, item.titleEn),
        message: pick(english, item.bodyZh, item.bodyEn),
        startsAt: item.startsAt,
        endsAt: item.endsAt,
        active: Date.parse(item.startsAt) <= Date.now(),
      }))
    : (maintenance.data?.items ?? []);

  return (
    <div className="tb-page">
      <PageHeader title={t('support.contact.title')} back={signedIn ? undefined : '/login'} />
      <div className="tb-page-body tb-flush">
        <section className="tb-sup-hotline" aria-labelledby="hotline-title">
          <div>
            <h2 id="hotline-title">{t('support.contact.hotline')}</h2>
            <a className="tb-sup-hotline-number" href={`tel:${hotline}`} data-testid="hotline">
              {hotline}
            </a>
            <small>
              {info ? pick(english, info.hotlineHoursZh, info.hotlineHoursEn) : t('support.contact.hotlineHours')}
            </small>
          </div>
          <a className="tb-sup-call" href={`tel:${hotline}`} aria-label={`${t('support.contact.call')} ${hotline}`}>
            <PhoneFill aria-hidden />
            <span>{t('support.contact.call')}</span>
          </a>
        </section>

        <section className="tb-sup-complaint" aria-labelledby="complaint-title" data-testid="complaint-channel">
          <h2 id="complaint-title">
            {info ? pick(english, info.complaint.titleZh, info.complaint.titleEn) : t('support.contact.complaint')}
          </h2>
          <p>
            {info ? pick(english, info.complaint.textZh, info.complaint.textEn) : t('support.contact.complaintBody')}
          </p>
          <Button
            block
            color="primary"
            onClick={() => navigate(info?.complaint.newTicketPath ?? '/support/tickets/new?category=complaint_service')}
            data-testid="complaint-button"
          >
            {t('support.contact.complaintButton')}
          </Button>
          <p className="tb-fineprint">
            {info
              ? pick(english, info.complaint.escalationZh, info.complaint.escalationEn)
              : t('support.contact.complaintEscalate')}
          </p>
        </section>

        <List header={t('support.contact.online')}>
          <List.Item
            prefix={<MessageOutline />}
            description={
              <>
                {info ? (
                  <>
                    {t('support.contact.onlineHours', {
                      hours: pick(english, info.onlineSupport.hoursZh, info.onlineSupport.hoursEn),
                    })}
                    <span className={info.onlineSupport.availableNow ? 'tb-sup-online' : 'tb-muted'}>
                      {' · '}
                      {info.onlineSupport.availableNow
                        ? t('support.contact.onlineOpen')
                        : info.onlineSupport.withinHours
                          ? t('support.contact.onlineBusy')
                          : t('support.contact.onlineClosed')}
                    </span>
                  </>
                ) : null}
                {signedIn ? null : <div className="tb-muted">{t('support.contact.signInFirst')}</div>}
              </>
            }
            onClick={() => navigate('/support/tickets/new')}
          >
            {t('support.contact.chat')}
          </List.Item>
          <List.Item prefix={<FileOutline />} onClick={() => navigate('/support/tickets')}>
            {t('support.contact.myTickets')}
          </List.Item>
          <List.Item prefix={<QuestionCircleOutline />} onClick={() => navigate('/help')}>
            {t('support.contact.help')}
          </List.Item>
          <List.Item prefix={<CheckShieldOutline />} onClick={() => navigate('/help/security-tips')}>
            {t('support.contact.tips')}
          </List.Item>
          {signedIn ? (
            <List.Item prefix={<StopOutline />} onClick={() => navigate('/me/restrictions')}>
              {t('support.contact.restrictions')}
            </List.Item>
          ) : null}
        </List>

        <Link to={signedIn ? '/security/freeze' : '/emergency'} className="tb-emergency">
          <ExclamationShieldOutline aria-hidden fontSize={24} />
          <span>
            <strong>{t('support.contact.emergency')}</strong>
          </span>
        </Link>

        <section className="tb-section" aria-labelledby="announcements-title">
          <div className="tb-section-head">
            <h2 id="announcements-title" className="tb-sup-h">
              {t('support.contact.announcements')}
            </h2>
          </div>
          {announcements.length ? (
            <div data-testid="contact-announcements">
              {announcements.map((item) => (
                <NoticeBar
                  key={item.id}
                  color={item.active ? 'alert' : 'info'}
                  wrap
                  content={
                    <>
                      <strong>{item.title}</strong> {item.message}{' '}
                      <span className="tb-notice-time">
                        {formatDateTime(item.startsAt)} – {formatDateTime(item.endsAt)}
                      </span>
                    </>
                  }
                />
              ))}
            </div>
          ) : (
            <p className="tb-muted tb-sup-empty">{t('support.contact.noAnnouncements')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
