import { NavBar, type NavBarProps } from 'antd-mobile';
import { useMerchantT } from './i18n';

/**
 * antd-mobile's NavBar with its back button named for screen readers: the button (a div with
 * role="button") has only an icon, so axe finds it nameless.
 */
export function BackNavBar(props: NavBarProps) {
  const { t } = useMerchantT();
  return <NavBar {...props} left={<span className="mc-sr-only">{t('back')}</span>} />;
}
