import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { passwordStrength, type StrengthScore } from '../password-strength';

const LEVELS = ['veryWeak', 'weak', 'fair', 'strong', 'veryStrong'] as const;

/** A five-step meter under a new password (OWASP ASVS 2.1.8); the server's policy still decides. */
export function PasswordStrength(props: { password: string | undefined; personal?: string[] }) {
  const { t } = useTranslation();
  const [score, setScore] = useState<StrengthScore | null>(null);
  const password = props.password ?? '';
  const personal = (props.personal ?? []).join('\u0000');
  useEffect(() => {
    if (!password) {
      setScore(null);
      return;
    }
    let current = true;
    void passwordStrength(password, personal ? personal.split('\u0000') : []).then((value) => {
      if (current) setScore(value);
    });
    return () => {
      current = false;
    };
  }, [password, personal]);
  if (score === null) return null;
  const level = LEVELS[score];
  return (
    <div className="tb-strength" data-score={score} data-testid="password-strength" aria-live="polite">
      <div className="tb-strength-bar" aria-hidden="true">
        {LEVELS.map((name, index) => (
          <span key={name} className={index <= score ? 'on' : undefined} />
        ))}
      </div>
      <span className="tb-strength-label">{t('fields.strength', { level: t(`fields.strengthLevels.${level}`) })}</span>
    </div>
  );
}
