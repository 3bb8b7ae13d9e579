import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { messageForCode } from '../../../shared/problems';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ExplanationCard } from '../../components/support/ExplanationCard';
import { explainRefusal } from '../../support-api';
import '../../support.css';

/**
 * "Why did this fail?" for a refusal that left no record (the server said no before anything moved):
 * the problem code, the channel and the amount come in the address; the server explains from live data.
 */
export default function WhyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const code = search.get('code') ?? '';
  const channel = search.get('channel') ?? 'payment';
  const amount = Number(search.get('amount'));
  const explanation = useQuery({
    queryKey: ['support', 'why', code, channel, amount],
    queryFn: () =>
      explainRefusal({ code, channel, amount: Number.isSafeInteger(amount) && amount > 0 ? amount : undefined }),
    enabled: Boolean(code),
    retry: false,
  });
  const ticketPath = `/support/tickets/new?category=payment_failed`;
  return (
    <div className="tb-page">
      <PageHeader title={t('support.explain.why')} />
      <div className="tb-page-body tb-flush">
        {explanation.isPending && code ? <Loading /> : null}
        {explanation.data?.cause ? <ExplanationCard explanation={explanation.data} /> : null}
        {explanation.error || !code || (explanation.data && !explanation.data.cause) ? (
          // Without an explanation the problem's own message is still the real cause, never a generic one.
          <Result
            status="warning"
            title={t('support.explain.refusedTitle')}
            description={
              <>
                <p>{code ? messageForCode(code) : t('support.explain.nothing')}</p>
                <Button color="primary" onClick={() => navigate(ticketPath)}>
                  {t('support.explain.contact')}
                </Button>
              </>
            }
          />
        ) : null}
      </div>
    </div>
  );
}
