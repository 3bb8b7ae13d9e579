import { List } from 'antd-mobile';
import {
  BellOutline,
  ExclamationShieldOutline,
  FingerdownOutline,
  KeyOutline,
  CheckShieldOutline,
  LockOutline,
  MailOutline,
  PayCircleOutline,
  PhonebookOutline,
  SetOutline,
  UserSetOutline,
} from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../components/PageHeader';
import { useMe } from '../session';

/** The security centre: every credential and the emergency button in one list. */
export default function SecurityPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  return (
    <div className="tb-page">
      <PageHeader title={t('security.title')} />
      <div className="tb-page-body tb-flush">
        <Link to="/security/freeze" className="tb-emergency" data-testid="freeze-entry">
          <ExclamationShieldOutline aria-hidden fontSize={28} />
          <span>
            <strong>{me.data?.frozen ? t('security.frozenTitle') : t('security.freezeTitle')}</strong>
            <small>{me.data?.frozen ? t('security.frozenHint') : t('security.freezeHint')}</small>
          </span>
        </Link>
        <List header={t('security.credentials')}>
          <List.Item prefix={<LockOutline />} onClick={() => navigate('/security/password')}>
            {t('security.password')}
          </List.Item>
          <List.Item
            prefix={<KeyOutline />}
            extra={me.data?.pinSet ? t('security.set') : t('security.notSet')}
            onClick={() => navigate('/security/pin')}
          >
            {t('security.pin')}
          </List.Item>
          <List.Item
            prefix={<PhonebookOutline />}
            extra={me.data?.totpEnabled ? t('security.on') : t('security.off')}
            onClick={() => navigate('/security/totp')}
          >
            {t('security.totp')}
          </List.Item>
          <List.Item prefix={<FingerdownOutline />} onClick={() => navigate('/security/passkeys')}>
            {t('passkeys.title')}
          </List.Item>
          <List.Item prefix={<MailOutline />} onClick={() => navigate('/security/email')}>
            {t('support.email.title')}
          </List.Item>
        </List>
        <List header={t('security.devicesHeader')}>
          <List.Item prefix={<UserSetOutline />} onClick={() => navigate('/security/sessions')}>
            {t('security.sessions')}
          </List.Item>
          <List.Item
            prefix={<PayCircleOutline />}
            onClick={() => navigate('/security/pay-code-devices')}
            data-testid="paycode-devices-entry"
          >
            {t('security.payCodeDevices')}
          </List.Item>
          <List.Item prefix={<BellOutline />} onClick={() => navigate('/notifications')}>
            {t('security.notifications')}
          </List.Item>
          <List.Item prefix={<SetOutline />} onClick={() => navigate('/notifications/settings')}>
            {t('support.prefs.title')}
          </List.Item>
          <List.Item prefix={<CheckShieldOutline />} onClick={() => navigate('/help/security-tips')}>
            {t('support.tips.title')}
          </List.Item>
        </List>
      </div>
    </div>
  );
}
