import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { errorMessage } from '../../../shared/problems';
import { channelOfPath, explainable, whyPath } from '../../support-paths';
import { ErrorBanner } from '../ErrorBanner';

/**
 * The red banner of a money page, with "why did this fail?" under it when the server can explain the
 * refusal from its data (balance, limits, restriction, maintenance).
 */
export function RefusalBanner(props: { error: unknown; amount?: number | string | bigint | null }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  if (!props.error) return null;
  const code = (props.error as { code?: string }).code ?? '';
  return (
    <>
      <ErrorBanner message={errorMessage(props.error)} />
      {explainable(props.error) ? (
        <p className="tb-sup-why">
          <Link to={whyPath(code, channelOfPath(pathname), props.amount)} data-testid="why-failed">
            {t('support.explain.why')} ›
          </Link>
        </p>
      ) : null}
    </>
  );
}
