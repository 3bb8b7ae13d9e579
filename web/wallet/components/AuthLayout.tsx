import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../../shared/i18n';

/** Signed-out pages: the brand band with the bank's name, then a white card with the form. */
export function AuthLayout(props: { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="tb-auth">
      <div className="tb-auth-band">
        <div className="tb-home-bar">
          <div className="tb-brand">
            <span className="tb-brand-mark" aria-hidden>
              通
            </span>
            <span>{t('app.name')}</span>
          </div>
          <button
            type="button"
            className="tb-lang"
            onClick={() => setLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}
            aria-label={t('common.switchLanguage')}
          >
            {i18n.language === 'en' ? '中文' : 'EN'}
          </button>
        </div>
        <h1 className="tb-auth-title">{props.title}</h1>
        {props.subtitle ? <p className="tb-auth-subtitle">{props.subtitle}</p> : null}
      </div>
      <main className="tb-auth-card">{props.children}</main>
      {props.footer ? <footer className="tb-auth-footer">{props.footer}</footer> : null}
    </div>
  );
}
