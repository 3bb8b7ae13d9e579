import { Button, ErrorBlock } from 'antd-mobile';
import { SetOutline } from 'antd-mobile-icons';
import { ErrorBanner } from './ErrorBanner';
import { ContactFooter } from './support/ContactFooter';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { formatDateTime } from '../format';

interface Announcement {
  title: string;
  message: string;
  startsAt: string;
  endsAt: string;
}

export function maintenanceOf(error: unknown): Announcement | null {
  if (error instanceof ApiError && error.code === 'FEATURE_IN_MAINTENANCE') {
    const announcement = error.problem.announcement as Announcement | undefined;
    return announcement ?? { title: '', message: '', startsAt: '', endsAt: '' };
  }
  return null;
}

/** A feature in its maintenance window says so, with the announcement and when it ends. */
export function MaintenanceView(props: { announcement: Announcement }) {
  const { t } = useTranslation();
  const { announcement } = props;
  return (
    <section className="tb-maintenance" role="alert" aria-labelledby="maintenance-title">
      <div className="tb-maintenance-icon" aria-hidden>
        <SetOutline />
      </div>
      <h2 id="maintenance-title">{announcement.title || t('maintenance.title')}</h2>
      <p>{announcement.message || t('maintenance.body')}</p>
      {announcement.endsAt ? (
        <p className="tb-muted">{t('maintenance.until', { time: formatDateTime(announcement.endsAt) })}</p>
      ) : null}
      <ContactFooter />
    </section>
  );
}

/** Any failure as a person should see it: a translated message, never a raw error. */
export function ProblemView(props: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  const announcement = maintenanceOf(props.error);
  if (announcement) return <MaintenanceView announcement={announcement} />;
  if (props.compact) return <ErrorBanner message={errorMessage(props.error)} />;
  return (
    <ErrorBlock
      status="default"
      title={t('common.somethingWrong')}
      description={<span role="alert">{errorMessage(props.error)}</span>}
    >
      {props.onRetry ? (
        <Button color="primary" onClick={props.onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
      <ContactFooter />
    </ErrorBlock>
  );
}
