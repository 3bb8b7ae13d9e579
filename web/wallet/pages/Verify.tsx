import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, List, ProgressBar, Selector, Tag } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, upload } from '../../shared/api';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';

interface Money {
  amount: number | string;
  currency: string;
}

interface Limits {
  tier: string;
  tierLabel: string;
  limits: { name: string; limit: Money | null; used: Money; remaining: Money | null }[];
  nextStep: { action: string; tier: string; href: string | null; message: string } | null;
}

interface Submission {
  id: string;
  documentType: string;
  status: string;
  reason: { code: string; message: string } | null;
  createdAt: string;
  decidedAt: string | null;
}

const SIDES = { resident_id: ['front', 'back', 'selfie'], passport: ['passport', 'selfie'] } as const;
type DocumentType = keyof typeof SIDES;
const STATUS_COLOR: Record<string, 'success' | 'danger' | 'warning' | 'primary'> = {
  approved: 'success',
  rejected: 'danger',
  manual_review: 'warning',
  override_pending: 'warning',
  checking: 'primary',
};

/** Real-name verification: tier, limits and what is used; upload the ID (camera or file) and a selfie. */
export default function VerifyPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const limits = useQuery({ queryKey: ['limits', i18n.language], queryFn: () => api.get<Limits>('/api/v1/me/limits') });
  const history = useQuery({
    queryKey: ['kyc', i18n.language],
    queryFn: () => api.get<{ items: Submission[] }>('/api/v1/me/kyc'),
    refetchInterval: (query) => (query.state.data?.items.some((s) => s.status === 'checking') ? 2000 : false),
  });
  // A decision changes the tier: refresh the limits when the newest submission is decided.
  const newest = history.data?.items[0];
  useEffect(() => {
    if (newest && newest.status !== 'checking') {
      void client.invalidateQueries({ queryKey: ['limits'] });
      void client.invalidateQueries({ queryKey: ['me'] });
    }
  }, [newest?.id, newest?.status, client]);
  const [documentType, setDocumentType] = useState<DocumentType>('resident_id');
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const sides = SIDES[documentType];
  const ready = sides.every((side) => files[side]);
  const open = history.data?.items.find((s) => ['checking', 'manual_review', 'override_pending'].includes(s.status));
  // Once documents are approved, what remains (a same-name card, a branch visit) is the next step's message.
  const approved = history.data?.items.some((s) => s.status === 'approved');

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('documentType', documentType);
      for (const side of sides) form.append(side, files[side] as File);
      await upload('/api/v1/me/kyc/submissions', form);
      setFiles({});
      await client.invalidateQueries({ queryKey: ['kyc'] });
      await client.invalidateQueries({ queryKey: ['limits'] });
      await client.invalidateQueries({ queryKey: ['me'] });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('verify.title')} />
      <div className="tb-page-body tb-flush">
        {limits.error ? <ProblemView error={limits.error} compact /> : null}
        {limits.data ? (
          <section className="tb-section" aria-labelledby="tier-title">
            <div className="tb-section-head">
              <h2 id="tier-title" className="tb-section-title">
                {t('verify.tier')}
              </h2>
              <Tag color="primary" data-testid="tier">
                {limits.data.tierLabel}
              </Tag>
            </div>
            <List>
              {limits.data.limits.map((line) => {
                const used = Number(line.used.amount);
                const cap = line.limit ? Number(line.limit.amount) : 0;
                return (
                  <List.Item
                    key={line.name}
                    description={
                      line.limit ? (
                        <>
                          <ProgressBar percent={cap > 0 ? Math.min(100, (used / cap) * 100) : 0} aria-hidden />
                          <span>
                            {t('verify.used', {
                              used: formatFen(line.used.amount),
                              remaining: line.remaining ? formatFen(line.remaining.amount) : '—',
                            })}
                          </span>
                        </>
                      ) : (
                        t('verify.noLimit')
                      )
                    }
                    extra={line.limit ? formatFen(line.limit.amount) : '—'}
                  >
                    {t(`verify.limits.${line.name}`, { defaultValue: line.name })}
                  </List.Item>
                );
              })}
            </List>
            {limits.data.nextStep ? (
              <div className="tb-padded">
                <p className="tb-muted tb-next-step">{limits.data.nextStep.message}</p>
                {limits.data.nextStep.action === 'link_bank_card' ? (
                  <Button block color="primary" onClick={() => navigate('/cards/add')} data-testid="verify-link-card">
                    {t('verify.linkCard')}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </section>
        ) : null}

        {history.data?.items.length ? (
          <section className="tb-section" aria-labelledby="submissions-title">
            <h2 id="submissions-title" className="tb-section-title tb-padded">
              {t('verify.submissions')}
            </h2>
            <List>
              {history.data.items.map((s) => (
                <List.Item
                  key={s.id}
                  description={s.reason?.message ?? formatDateTime(s.createdAt)}
                  extra={
                    <Tag color={STATUS_COLOR[s.status] ?? 'default'}>
                      {t(`verify.status.${s.status}`, { defaultValue: s.status })}
                    </Tag>
                  }
                >
                  {t(`verify.documentTypes.${s.documentType}`, { defaultValue: s.documentType })}
                </List.Item>
              ))}
            </List>
          </section>
        ) : null}

        {!open && !approved && limits.data?.nextStep ? (
          <section className="tb-section tb-padded" aria-labelledby="upload-title">
            <h2 id="upload-title" className="tb-section-title">
              {t('verify.upload')}
            </h2>
            <ErrorBanner message={error ? errorMessage(error) : null} />
            <Selector
              columns={2}
              value={[documentType]}
              onChange={(value) => value[0] && (setDocumentType(value[0] as DocumentType), setFiles({}))}
              options={[
                { label: t('verify.documentTypes.resident_id'), value: 'resident_id' },
                { label: t('verify.documentTypes.passport'), value: 'passport' },
              ]}
            />
            {sides.map((side) => (
              <label key={side} className="tb-upload">
                <span>{t(`verify.sides.${side}`)}</span>
                <span className={`tb-upload-box${files[side] ? ' tb-upload-done' : ''}`} aria-hidden>
                  {files[side] ? `✓ ${files[side]?.name}` : t('verify.choose')}
                </span>
                <input
                  className="tb-visually-hidden"
                  type="file"
                  accept={side === 'selfie' ? 'image/jpeg,image/png' : 'image/jpeg,image/png,application/pdf'}
                  capture={side === 'selfie' ? 'user' : 'environment'}
                  onChange={(e) => setFiles({ ...files, [side]: e.target.files?.[0] })}
                  data-testid={`kyc-${side}`}
                />
              </label>
            ))}
            <p className="tb-fineprint">{t('verify.privacy')}</p>
            <Button
              block
              color="primary"
              size="large"
              disabled={!ready}
              loading={busy}
              onClick={() => void submit()}
              data-testid="kyc-submit"
            >
              {t('verify.submit')}
            </Button>
          </section>
        ) : null}
      </div>
    </div>
  );
}
