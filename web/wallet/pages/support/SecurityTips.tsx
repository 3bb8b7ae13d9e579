import { Button } from 'antd-mobile';
import { CheckShieldOutline, ExclamationShieldOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { ContactFooter } from '../../components/support/ContactFooter';
import '../../support.css';

const TIPS = ['code', 'password', 'links', 'lost', 'network', 'share'] as const;

/** Prevention tips from the seeds' FAQ, each a short rule and why; freezing is one tap away. */
export default function SecurityTipsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <div className="tb-page">
      <PageHeader title={t('support.tips.title')} />
      <div className="tb-page-body tb-flush">
        <div className="tb-sup-banner">
          <CheckShieldOutline aria-hidden fontSize={32} />
          <p>{t('support.tips.lead')}</p>
        </div>
        <ol className="tb-sup-tips">
          {TIPS.map((key, index) => (
            <li key={key}>
              <span className="tb-sup-tip-number" aria-hidden>
                {index + 1}
              </span>
              <div>
                <h2>{t(`support.tips.items.${key}.title`)}</h2>
                <p>{t(`support.tips.items.${key}.body`)}</p>
              </div>
            </li>
          ))}
        </ol>
        <div className="tb-sup-actions tb-padded">
          <Button block color="danger" onClick={() => navigate('/security/freeze')}>
            <ExclamationShieldOutline aria-hidden /> {t('support.tips.freeze')}
          </Button>
          <Button block color="primary" fill="outline" onClick={() => navigate('/security')}>
            {t('support.tips.security')}
          </Button>
        </div>
        <ContactFooter />
      </div>
    </div>
  );
}
