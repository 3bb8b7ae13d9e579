import { MessageOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import '../../support.css';

/** The line at the foot of every problem screen: still stuck, here is how to reach a person. */
export function ContactFooter() {
  const { t } = useTranslation();
  return (
    <p className="tb-sup-contact-footer">
      <span>{t('support.problemHelp.help')}</span>{' '}
      <Link to="/support/contact" data-testid="contact-link">
        <MessageOutline aria-hidden /> {t('support.problemHelp.contact')}
      </Link>
    </p>
  );
}
