import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Radio, Result, Space } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { errorCode, errorMessage } from '../../shared/problems';
import { ErrorBanner } from '../components/ErrorBanner';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDate } from '../format';
import { type Assessment, type Questionnaire, useLocalized } from './api';
import './savings.css';

/** Only paths inside the savings pages may be returned to after the questionnaire. */
const safeNext = (next: string | null) => (next && /^\/savings(\/[\w/-]*)?$/.test(next) ? next : '/savings');

/** The risk tolerance questionnaire (C1–C5, valid a year): one answer per question, then the result. */
export default function QuestionnairePage() {
  const { t } = useTranslation();
  const loc = useLocalized();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const questionnaire = useQuery({
    queryKey: ['savings', 'questionnaire'],
    queryFn: () => api.get<Questionnaire>('/api/v1/savings/questionnaire'),
    staleTime: 5 * 60_000,
  });
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Assessment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const q = questionnaire.data;
  if (questionnaire.isPending) return <Loading />;
  if (!q) return <ProblemView error={questionnaire.error} onRetry={() => void questionnaire.refetch()} />;
  const done = q.questions.filter((question) => answers[question.id]).length;
  const left = q.questions.length - done;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const assessment = await api.post<Assessment>('/api/v1/savings/questionnaire', { version: q.version, answers });
      setResult(assessment);
      await client.invalidateQueries({ queryKey: ['savings', 'assessment'] });
      window.scrollTo(0, 0);
    } catch (failure) {
      setError(failure);
      // A newer version was published meanwhile: show it (answers to unchanged questions stay).
      if (errorCode(failure) === 'SAVINGS_QUESTIONNAIRE_OUTDATED') void questionnaire.refetch();
    } finally {
      setBusy(false);
    }
  };

  if (result) {
    const level = t(`savings.levels.${result.level}`, { defaultValue: result.level });
    const risk = t(`savings.risk.R${/\d/.exec(result.level)?.[0] ?? '1'}`, { defaultValue: result.level });
    return (
      <div className="tb-page">
        <PageHeader title={t('savings.questionnaire.title')} back={next} />
        <Result
          status="success"
          title={t('savings.questionnaire.resultTitle')}
          description={
            <div className="tb-order-desc">
              <p className="tb-level-result" data-testid="assessment-level" data-level={result.level}>
                {t('savings.questionnaire.result', { level })}
              </p>
              <p className="tb-muted">{t('savings.questionnaire.score', { score: result.score })}</p>
              <p>{t('savings.questionnaire.suits', { risk })}</p>
              <p className="tb-muted">{t('savings.validUntil', { day: formatDate(result.expiresAt) })}</p>
              <Button
                color="primary"
                onClick={() => navigate(next, { replace: true })}
                data-testid="assessment-continue"
              >
                {t('savings.questionnaire.continue')}
              </Button>
            </div>
          }
        />
      </div>
    );
  }

  return (
    <div className="tb-page">
      <PageHeader title={t('savings.questionnaire.title')} back={next} />
      <div className="tb-page-body">
        <p className="tb-lead">{t('savings.questionnaire.intro', { count: q.questions.length })}</p>
        <ol className="tb-questions">
          {q.questions.map((question, index) => (
            <li key={question.id} className="tb-question" data-testid={`question-${question.id}`}>
              <fieldset>
                <legend>
                  <span className="tb-question-number">{index + 1}.</span> {loc(question.text)}
                </legend>
                <Radio.Group
                  value={answers[question.id] ?? null}
                  onChange={(value) => setAnswers((current) => ({ ...current, [question.id]: String(value) }))}
                >
                  <Space direction="vertical" block>
                    {question.options.map((option) => (
                      <Radio key={option.id} value={option.id} block>
                        {loc(option.text)}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              </fieldset>
            </li>
          ))}
        </ol>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <div className="tb-questions-bar">
          <span className="tb-muted tb-small" aria-live="polite">
            {left
              ? t('savings.questionnaire.incomplete', { count: left })
              : t('savings.questionnaire.progress', { done, count: q.questions.length })}
          </span>
          <Button
            color="primary"
            disabled={left > 0}
            loading={busy}
            onClick={() => void submit()}
            data-testid="questionnaire-submit"
          >
            {t('savings.questionnaire.submit')}
          </Button>
        </div>
      </div>
    </div>
  );
}
