import { useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Form, List, Selector, Tag, TextArea, Toast } from 'antd-mobile';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { ContactFooter } from '../../components/support/ContactFooter';
import { formatDateTime } from '../../format';
import { addEvidence, addEvidenceFile, pick, useCase, useCases } from '../../support-api';
import '../../support.css';

/** My cases: the theft reports and "it was not me" cases, each with its status. */
export function CasesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cases = useCases();
  const items = cases.data?.items ?? [];
  return (
    <div className="tb-page">
      <PageHeader title={t('support.cases.title')} back="/me" />
      <div className="tb-page-body tb-flush">
        {cases.isPending ? <Loading /> : null}
        {cases.error ? <ProblemView error={cases.error} onRetry={() => void cases.refetch()} /> : null}
        {cases.isSuccess && items.length === 0 ? <Empty description={t('support.cases.empty')} /> : null}
        {items.length ? (
          <List>
            {items.map((item) => (
              <List.Item
                key={item.id}
                onClick={() => navigate(`/support/cases/${item.id}`)}
                description={t('support.cases.opened', { time: formatDateTime(item.openedAt) })}
                extra={
                  <Tag color={item.status === 'open' ? 'warning' : 'default'} fill="outline">
                    {t(`support.cases.status.${item.status}`, { defaultValue: item.status })}
                  </Tag>
                }
              >
                {t(`support.cases.kinds.${item.kind}`, { defaultValue: item.kind })}
              </List.Item>
            ))}
          </List>
        ) : null}
        <ContactFooter />
      </div>
    </div>
  );
}

/** One theft case: status, the evidence given so far, a place to add more, money recovered and the outcome. */
export default function CasePage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const { id = '' } = useParams();
  const client = useQueryClient();
  const found = useCase(id);
  const [kind, setKind] = useState<'police_report' | 'note'>('police_report');
  const [text, setText] = useState('');
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const item = found.data;
  const refresh = () => client.invalidateQueries({ queryKey: ['support', 'case', id] });

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setBanner(null);
    try {
      await work();
      await refresh();
      Toast.show({ icon: 'success', content: t('support.tickets.sent') });
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.cases.title')} back="/support/cases" />
      {found.isPending ? <Loading /> : null}
      {found.error ? <ProblemView error={found.error} onRetry={() => void found.refetch()} /> : null}
      {item ? (
        <div className="tb-page-body tb-flush">
          <section className="tb-sup-alert" aria-labelledby="case-title">
            <div className="tb-sup-alert-head">
              <h2 id="case-title">{t(`support.cases.kinds.${item.kind}`, { defaultValue: item.kind })}</h2>
              <Tag color={item.status === 'open' ? 'warning' : 'success'} fill="outline" data-testid="case-status">
                {t(`support.cases.status.${item.status}`, { defaultValue: item.status })}
              </Tag>
            </div>
            <p className="tb-muted tb-sup-meta">
              <span className="tb-mono">{item.id}</span> ·{' '}
              {t('support.cases.opened', { time: formatDateTime(item.openedAt) })}
              {item.closedAt ? ` · ${t('support.cases.closedAt', { time: formatDateTime(item.closedAt) })}` : ''}
            </p>
            {item.status === 'open' ? <p className="tb-fineprint">{t('support.cases.explain')}</p> : null}
            {item.outcomeZh || item.outcomeEn ? (
              <dl className="tb-sup-facts">
                <dt>{t('support.cases.outcome')}</dt>
                <dd>{pick(english, item.outcomeZh, item.outcomeEn)}</dd>
              </dl>
            ) : null}
          </section>
          {item.recovered.length ? (
            <List header={t('support.cases.recovered')}>
              {item.recovered.map((money) => (
                <List.Item
                  key={money.clawbackId}
                  extra={<strong>{formatFen(money.amount)}</strong>}
                  description={money.returnedAt ? formatDateTime(money.returnedAt) : null}
                >
                  {t(`support.cases.recoveredStatus.${money.status}`, { defaultValue: money.status })}
                </List.Item>
              ))}
            </List>
          ) : null}
          <List header={t('support.cases.evidence')}>
            {item.evidence.length === 0 ? <List.Item>{t('support.cases.noEvidence')}</List.Item> : null}
            {item.evidence.map((evidence) => (
              <List.Item
                key={evidence.id}
                description={evidence.attachment ? evidence.attachment.fileName : evidence.text}
                extra={formatDateTime(evidence.createdAt)}
              >
                {t(`support.cases.evidenceKinds.${evidence.kind}`, { defaultValue: evidence.kind })}
              </List.Item>
            ))}
          </List>
          {item.status === 'open' ? (
            <section className="tb-sup-alert tb-sup-evidence" aria-labelledby="evidence-title">
              <h2 id="evidence-title">{t('support.cases.addEvidence')}</h2>
              <ErrorBanner message={banner} />
              <Form layout="vertical">
                <Form.Item>
                  <Selector
                    columns={2}
                    value={[kind]}
                    onChange={(value) => value[0] && setKind(value[0])}
                    options={(['police_report', 'note'] as const).map((value) => ({
                      value,
                      label: t(`support.cases.evidenceKinds.${value}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item label={t('support.cases.evidenceText')}>
                  <TextArea
                    value={text}
                    onChange={setText}
                    rows={2}
                    maxLength={1000}
                    placeholder={
                      kind === 'police_report'
                        ? t('support.cases.policePlaceholder')
                        : t('support.cases.notePlaceholder')
                    }
                  />
                </Form.Item>
              </Form>
              <div className="tb-sup-actions">
                <Button
                  block
                  color="primary"
                  loading={busy}
                  disabled={!text.trim()}
                  onClick={() =>
                    void run(async () => {
                      await addEvidence(id, kind, text.trim());
                      setText('');
                    })
                  }
                >
                  {t('support.cases.submit')}
                </Button>
                <Button block fill="outline" color="primary" disabled={busy} onClick={() => file.current?.click()}>
                  {t('support.cases.uploadFile')}
                </Button>
                <input
                  ref={file}
                  type="file"
                  className="tb-visually-hidden"
                  accept="image/jpeg,image/png,application/pdf"
                  tabIndex={-1}
                  onChange={(event) => {
                    const chosen = event.target.files?.[0];
                    if (chosen) void run(() => addEvidenceFile(id, chosen));
                    event.target.value = '';
                  }}
                />
              </div>
            </section>
          ) : null}
          <ContactFooter />
        </div>
      ) : null}
    </div>
  );
}
