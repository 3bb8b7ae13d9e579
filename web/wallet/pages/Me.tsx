import { Button, List, Tag } from 'antd-mobile';
import {
  CheckShieldOutline,
  ExclamationShieldOutline,
  FileOutline,
  MessageOutline,
  QuestionCircleOutline,
  StopOutline,
} from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { setLanguage } from '../../shared/i18n';
import { TabLayout } from '../components/TabLayout';
import { FEATURE_ROUTES } from '../features';
import { useMe, useSignOut } from '../session';

/** "Me": the masked profile, verification tier, settings and sign-out. */
export default function MePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const profile = me.data;
  return (
    <TabLayout>
      <div className="tb-me-band">
        <div className="tb-avatar" aria-hidden>
          {profile?.name.slice(-1) ?? ''}
        </div>
        <div>
          <div className="tb-me-name" data-testid="me-name">
            {profile?.name}
          </div>
          <div className="tb-me-phone">{profile?.phone}</div>
        </div>
        {profile ? (
          <Tag color="warning" fill="solid" className="tb-tier">
            {t('me.tier', { tier: t(`tiers.${profile.tier}`, { defaultValue: profile.tier }) })}
          </Tag>
        ) : null}
      </div>
      <div className="tb-page-body tb-flush">
        <List header={t('me.profile')}>
          <List.Item extra={profile?.name}>{t('fields.name')}</List.Item>
          <List.Item extra={profile?.idNumber}>{t('fields.idNumber')}</List.Item>
          <List.Item extra={profile?.phone}>{t('fields.phone')}</List.Item>
          <List.Item onClick={() => navigate(FEATURE_ROUTES.verify)}>{t('me.verification')}</List.Item>
        </List>
        <List header={t('insights.myAssets')}>
          <List.Item onClick={() => navigate(FEATURE_ROUTES.assets)}>{t('insights.myAssets')}</List.Item>
          <List.Item onClick={() => navigate(FEATURE_ROUTES.insights)}>{t('insights.title')}</List.Item>
          <List.Item onClick={() => navigate('/insights/annual')}>{t('insights.annualReport')}</List.Item>
        </List>
        <List header={t('credit.meSection')}>
          <List.Item onClick={() => navigate(FEATURE_ROUTES.credit)} data-testid="me-credit">
            {t('credit.loanTile')}
          </List.Item>
          <List.Item onClick={() => navigate(FEATURE_ROUTES.creditCard)} data-testid="me-credit-card">
            {t('credit.cardTile')}
          </List.Item>
          <List.Item onClick={() => navigate('/credit/health')} description={t('credit.healthHint')}>
            {t('credit.healthTitle')}
          </List.Item>
        </List>
        <List header={t('support.me.service')}>
          <List.Item prefix={<MessageOutline />} onClick={() => navigate('/support/contact')} data-testid="me-contact">
            {t('support.contact.title')}
          </List.Item>
          <List.Item prefix={<QuestionCircleOutline />} onClick={() => navigate('/help')}>
            {t('support.contact.help')}
          </List.Item>
          <List.Item prefix={<FileOutline />} onClick={() => navigate('/support/tickets')}>
            {t('support.contact.myTickets')}
          </List.Item>
          <List.Item prefix={<ExclamationShieldOutline />} onClick={() => navigate('/support/cases')}>
            {t('support.cases.title')}
          </List.Item>
          <List.Item prefix={<StopOutline />} onClick={() => navigate('/me/restrictions')}>
            {t('support.contact.restrictions')}
          </List.Item>
          <List.Item prefix={<CheckShieldOutline />} onClick={() => navigate('/help/security-tips')}>
            {t('support.contact.tips')}
          </List.Item>
        </List>
        <List header={t('me.settings')}>
          <List.Item onClick={() => navigate('/security')}>{t('security.title')}</List.Item>
          <List.Item onClick={() => navigate('/me/mandates')} data-testid="me-mandates">
            {t('mandates.meEntry')}
          </List.Item>
          <List.Item onClick={() => navigate('/notifications')}>{t('security.notifications')}</List.Item>
          <List.Item
            extra={i18n.language === 'en' ? 'English' : '简体中文'}
            onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
          >
            {t('me.language')}
          </List.Item>
        </List>
        <div className="tb-padded">
          <Button block color="danger" fill="outline" onClick={() => void signOut()} data-testid="sign-out">
            {t('me.signOut')}
          </Button>
        </div>
      </div>
    </TabLayout>
  );
}
