import { useQueryClient } from '@tanstack/react-query';
import { Checkbox, List, Toast } from 'antd-mobile';
import { LockOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../../shared/problems';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { type Preference, savePreferences, usePreferences } from '../../support-api';
import '../../support.css';

type Channel = 'inApp' | 'sms' | 'email';

/**
 * Notification preferences: per category, in the app and by SMS, and by e-mail once a recovery e-mail is
 * verified; security notices stay on. Each change saves only the box that changed.
 */
export default function PreferencesPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const prefs = usePreferences();

  const change = async (item: Preference, channel: Channel, on: boolean) => {
    const next = { category: item.category, [channel]: on };
    try {
      const saved = await savePreferences([next]);
      client.setQueryData(['me', 'notification-preferences'], saved);
      Toast.show({ content: t('support.prefs.saved') });
    } catch (failure) {
      Toast.show({ icon: 'fail', content: errorMessage(failure) });
    }
  };

  const channels: Channel[] = prefs.data?.emailAvailable ? ['inApp', 'sms', 'email'] : ['inApp', 'sms'];
  const channelName = (channel: Channel) => t(`support.prefs.${channel}`);

  return (
    <div className="tb-page">
      <PageHeader title={t('support.prefs.title')} back="/notifications" />
      {prefs.isPending ? <Loading /> : null}
      {prefs.error ? <ProblemView error={prefs.error} onRetry={() => void prefs.refetch()} /> : null}
      {prefs.data ? (
        <div className="tb-page-body tb-flush">
          <p className="tb-fineprint tb-padded">{t('support.prefs.explain')}</p>
          <div className={`tb-sup-prefs-head tb-sup-prefs-${channels.length}`} aria-hidden>
            <span />
            {channels.map((channel) => (
              <span key={channel}>{channelName(channel)}</span>
            ))}
          </div>
          <List>
            {prefs.data.items.map((item) => {
              const name = t(`support.prefs.categories.${item.category}`, { defaultValue: item.category });
              return (
                <List.Item
                  key={item.category}
                  description={
                    item.locked ? (
                      <span className="tb-sup-prefs-locked">
                        <LockOutline aria-hidden /> {t('support.prefs.locked')}
                      </span>
                    ) : (
                      t(`support.prefs.about.${item.category}`, { defaultValue: '' })
                    )
                  }
                  extra={
                    <span className={`tb-sup-prefs-boxes tb-sup-prefs-${channels.length}`}>
                      {channels.map((channel) => (
                        <Checkbox
                          key={channel}
                          checked={item[channel]}
                          disabled={item.locked}
                          onChange={(on) => void change(item, channel, on)}
                          data-testid={`pref-${item.category}-${channel.toLowerCase()}`}
                        >
                          {/* The box's name, as label text: aria-label is not allowed on the label element. */}
                          <span className="tb-visually-hidden">{`${name} ${channelName(channel)}`}</span>
                        </Checkbox>
                      ))}
                    </span>
                  }
                >
                  {name}
                </List.Item>
              );
            })}
          </List>
          {prefs.data.emailAvailable ? null : (
            <p className="tb-fineprint tb-padded">
              {t('support.prefs.noEmail')} <Link to="/security/email">{t('support.prefs.addEmail')}</Link>
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
