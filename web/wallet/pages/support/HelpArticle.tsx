import { Button, ErrorBlock, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../shared/api';
import { formatDate } from '../../format';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { ContactFooter } from '../../components/support/ContactFooter';
import { pick, useArticle } from '../../support-api';
import { walletPath } from '../../support-paths';
import '../../support.css';

/** One help article: the answer, then the page that does the thing as a button ("reset password", "freeze now"). */
export default function HelpArticlePage() {
  const { t, i18n } = useTranslation();
  const { slug = '' } = useParams();
  const navigate = useNavigate();
  const english = i18n.language === 'en';
  const article = useArticle(slug);
  const item = article.data;
  const missing = article.error instanceof ApiError && article.error.status === 404;

  return (
    <div className="tb-page">
      <PageHeader title={t('support.help.title')} back="/help" />
      {article.isPending ? <Loading /> : null}
      {missing ? <ErrorBlock status="empty" title={t('support.help.notFound')} description="" /> : null}
      {article.error && !missing ? <ProblemView error={article.error} onRetry={() => void article.refetch()} /> : null}
      {item ? (
        <article className="tb-sup-article">
          <Tag color="primary" fill="outline">
            {t(`support.help.categories.${item.category}`, { defaultValue: item.category })}
          </Tag>
          <h1>{pick(english, item.titleZh, item.titleEn)}</h1>
          <p className="tb-muted tb-sup-updated">{t('support.help.updated', { time: formatDate(item.updatedAt) })}</p>
          <div className="tb-sup-article-body">
            {pick(english, item.bodyZh, item.bodyEn)
              .split(/\n{1,}/)
              .filter((line) => line.trim())
              .map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one fixed text
                <p key={index}>{line}</p>
              ))}
          </div>
          {item.actions.length ? (
            <div className="tb-sup-actions" data-testid="article-actions">
              {item.actions.map((action, index) => (
                <Button
                  key={action.path}
                  block
                  color="primary"
                  fill={index === 0 ? 'solid' : 'outline'}
                  onClick={() => navigate(walletPath(action.path))}
                >
                  {pick(english, action.labelZh, action.labelEn)}
                </Button>
              ))}
            </div>
          ) : null}
          <p className="tb-sup-helpful">{t('support.help.helpful')}</p>
        </article>
      ) : null}
      <ContactFooter />
    </div>
  );
}
