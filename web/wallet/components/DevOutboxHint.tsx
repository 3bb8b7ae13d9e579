import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

/** In development the SMS gateway is a sandbox: say where the texted code can be read. */
export function DevOutboxHint() {
  const { t } = useTranslation();
  const available = useQuery({
    queryKey: ['dev-outbox-available'],
    queryFn: async () => (await fetch('/api/dev/outbox?phone=0', { headers: { accept: 'application/json' } })).ok,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (!available.data) return null;
  return (
    <p className="tb-dev-hint">
      {t('auth.devOutbox')}{' '}
      <a href="/dev/outbox" target="_blank" rel="noreferrer" data-testid="dev-outbox-link">
        {t('auth.devOutboxLink')}
      </a>
    </p>
  );
}
