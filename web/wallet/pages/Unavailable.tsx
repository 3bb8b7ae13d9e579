import { Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageHeader } from '../components/PageHeader';

/** A feature whose service has not opened yet says so plainly. */
export default function UnavailablePage() {
  const { t } = useTranslation();
  const { feature = '' } = useParams();
  const name = t(`tiles.${feature}` as 'tiles.scan', { defaultValue: feature });
  return (
    <div className="tb-page">
      <PageHeader title={name} />
      <Result status="waiting" title={t('soon.title', { feature: name })} description={t('soon.body')} />
    </div>
  );
}
