import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

/** In development the e-mail gateway is a sandbox: say where the e-mailed code can be read. */
export function DevEmailHint() {
  const { t } = useTranslation();
  const available = useQuery({
    queryKey: ['dev-email-outbox-available'],
    queryFn: async () => (await fetch('/api/dev/email-outbox', { headers: { accept: 'application/json' } })).ok,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (!available.data) return null;
  return (
    <p className="tb-dev-hint">
      {t('support.email.devOutbox')}{' '}
      <a href="/dev/email-outbox" target="_blank" rel="noreferrer" data-testid="dev-email-outbox-link">
        {t('support.email.devOutboxLink')}
      </a>
    </p>
  );
}
