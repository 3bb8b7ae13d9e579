import { LeftOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The brand bar on top of every inner page: a real back button with a spoken name, the title, an action. */
export function PageHeader(props: { title: ReactNode; back?: string | false; right?: ReactNode }) {
  const navigate = useNavigate();
  const { t } = useTranslation();
  const back = props.back === undefined ? '/' : props.back;
  return (
    <header className="tb-navbar">
      {back === false ? (
        <span className="tb-navbar-side" />
      ) : (
        <button
          type="button"
          className="tb-navbar-side tb-icon-button"
          aria-label={t('common.back')}
          onClick={() => (window.history.length > 1 && props.back === undefined ? navigate(-1) : navigate(back))}
        >
          <LeftOutline aria-hidden />
        </button>
      )}
      <h1 className="tb-navbar-title">{props.title}</h1>
      <span className="tb-navbar-side tb-navbar-right">{props.right}</span>
    </header>
  );
}
