import { useTranslation } from 'react-i18next';
import { setLanguage } from './i18n';

/** The page an audience sees until its app is built: what it is and where to go meanwhile. */
export function ComingSoon(props: { audience: 'merchant' | 'ops' }) {
  const { t, i18n } = useTranslation();
  const color = props.audience === 'ops' ? '#1d3c78' : '#c8102e';
  return (
    <main style={{ maxWidth: 560, margin: '0 auto', fontFamily: 'system-ui, "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif', color: '#1f2329' }}>
      <header style={{ background: color, color: '#fff', padding: '40px 24px' }}>
        <h1 style={{ margin: 0, fontSize: 26 }}>{t(`placeholder.${props.audience}.title`)}</h1>
      </header>
      <section style={{ padding: 24, lineHeight: 1.7 }}>
        <p>{t(`placeholder.${props.audience}.body`)}</p>
        <p>
          <a href="/" style={{ color }}>{t('placeholder.toWallet')}</a> · <a href="/docs" style={{ color }}>{t('placeholder.apiDocs')}</a>
        </p>
        <button type="button" onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
          {t('common.switchLanguage')}
        </button>
      </section>
    </main>
  );
}
