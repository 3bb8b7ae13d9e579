import { useQueryClient } from '@tanstack/react-query';
import { Checkbox, List, Toast } from 'antd-mobile';
import { LockOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../shared/problems';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { type Preference, savePreferences, usePreferences } from '../../support-api';
import '../../support.css';

/** Notification preferences: per category, in-app and SMS; security notices stay on. */
export default function PreferencesPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const prefs = usePreferences();

  const change = async (item: Preference, channel: 'inApp' | 'sms', on: boolean) => {
    const next = { category: item.category, inApp: item.inApp, sms: item.sms, [channel]: on };
    try {
      const saved = await savePreferences([next]);
      client.setQueryData(['me', 'notification-preferences'], saved);
      Toast.show({ content: t('support.prefs.saved') });
    } catch (failure) {
      Toast.show({ icon: 'fail', content: errorMessage(failure) });
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.prefs.title')} back="/notifications" />
      {prefs.isPending ? <Loading /> : null}
      {prefs.error ? <ProblemView error={prefs.error} onRetry={() => void prefs.refetch()} /> : null}
      {prefs.data ? (
        <div className="tb-page-body tb-flush">
          <p className="tb-fineprint tb-padded">{t('support.prefs.explain')}</p>
          <div className="tb-sup-prefs-head" aria-hidden>
            <span />
            <span>{t('support.prefs.inApp')}</span>
            <span>{t('support.prefs.sms')}</span>
          </div>
          <List>
            {prefs.data.items.map((item) => {
              const name = t(`support.prefs.categories.${item.category}`, { defaultValue: item.category });
              return (
                <List.Item
                  key={item.category}
                  description={
                    item.locked ? (
                      <span>
                        <LockOutline aria-hidden /> {t('support.prefs.locked')}
                      </span>
                    ) : null
                  }
                  extra={
                    <span className="tb-sup-prefs-boxes">
                      <Checkbox
                        checked={item.inApp}
                        disabled={item.locked}
                        onChange={(on) => void change(item, 'inApp', on)}
                        aria-label={`${name} ${t('support.prefs.inApp')}`}
                        data-testid={`pref-${item.category}-inapp`}
                      />
                      <Checkbox
                        checked={item.sms}
                        disabled={item.locked}
                        onChange={(on) => void change(item, 'sms', on)}
                        aria-label={`${name} ${t('support.prefs.sms')}`}
                        data-testid={`pref-${item.category}-sms`}
                      />
                    </span>
                  }
                >
                  {name}
                </List.Item>
              );
            })}
          </List>
        </div>
      ) : null}
    </div>
  );
}
