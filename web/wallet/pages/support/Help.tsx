import { Empty, List, SearchBar } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { Segments } from '../../components/Segments';
import { ContactFooter } from '../../components/support/ContactFooter';
import { ARTICLE_CATEGORIES, pick, useArticles } from '../../support-api';
import '../../support.css';

/** The help centre: search the FAQ and troubleshooting articles, or browse them by topic. */
export default function HelpPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const english = i18n.language === 'en';
  const [text, setText] = useState('');
  const [category, setCategory] = useState('');
  const articles = useArticles({ q: text, category: category || undefined });
  const items = articles.data?.items ?? [];

  return (
    <div className="tb-page">
      <PageHeader title={t('support.help.title')} />
      <div className="tb-sup-search">
        <SearchBar
          placeholder={t('support.help.search')}
          value={text}
          onChange={setText}
          aria-label={t('support.help.search')}
          data-testid="help-search"
        />
      </div>
      <div className="tb-sup-tabs">
        <Segments
          capsules
          label={t('support.help.title')}
          value={category}
          onChange={setCategory}
          options={[
            { value: '', label: t('support.help.all') },
            ...ARTICLE_CATEGORIES.map((key) => ({ value: key, label: t(`support.help.categories.${key}`) })),
          ]}
        />
      </div>
      <div className="tb-page-body tb-flush">
        {articles.isPending ? <Loading /> : null}
        {articles.error ? <ProblemView error={articles.error} onRetry={() => void articles.refetch()} /> : null}
        {articles.isSuccess && items.length === 0 ? (
          <Empty description={`${t('support.help.noMatch')} · ${t('support.help.noMatchBody')}`} />
        ) : null}
        {items.length ? (
          <List header={text ? null : t('support.help.popular')} data-testid="help-results">
            {items.map((item) => (
              <List.Item
                key={item.slug}
                description={pick(english, item.summaryZh, item.summaryEn)}
                onClick={() => navigate(`/help/${encodeURIComponent(item.slug)}`)}
              >
                {pick(english, item.titleZh, item.titleEn)}
              </List.Item>
            ))}
          </List>
        ) : null}
        <ContactFooter />
      </div>
    </div>
  );
}
