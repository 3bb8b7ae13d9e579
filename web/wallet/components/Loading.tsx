import { DotLoading } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

/** The wallet's page-loading indicator: dots for the eye, a status message for screen readers. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div className="tb-loading" role="status" aria-live="polite">
      <DotLoading color="primary" />
      <span className="tb-visually-hidden">{t('common.loading')}</span>
    </div>
  );
}
