import { Input } from 'antd-mobile';
import { EyeInvisibleOutline, EyeOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  placeholder?: string;
  'data-testid'?: string;
}

/**
 * A password field whose whole value the holder may show for a moment (OWASP ASVS 2.1.12). Paste and
 * password managers work as in any password field (ASVS 2.1.11); the value is never trimmed or cut.
 */
export function PasswordInput(props: Props) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(false);
  const Icon = visible ? EyeOutline : EyeInvisibleOutline;
  return (
    <div className="tb-password">
      <Input
        id={props.id}
        type={visible ? 'text' : 'password'}
        value={props.value}
        onChange={props.onChange}
        autoComplete={props.autoComplete}
        placeholder={props.placeholder}
        data-testid={props['data-testid']}
        className="tb-password-field"
      />
      <button
        type="button"
        className="tb-password-eye"
        aria-label={visible ? t('fields.hidePassword') : t('fields.showPassword')}
        aria-pressed={visible}
        onClick={() => setVisible(!visible)}
      >
        <Icon fontSize={20} />
      </button>
    </div>
  );
}
