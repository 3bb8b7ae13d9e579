import { useQuery } from '@tanstack/react-query';
import { List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { localBankText } from '../../shared/banks';
import { Money } from '../../shared/Money';
import { formatDateTime } from '../format';
import type { HistoryItem } from '../wallet-api';

/** The latest few movements, with a link to all records. */
export function RecentRecords() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const recent = useQuery({
    queryKey: ['history', 'recent', i18n.language],
    queryFn: () => api.get<{ items: HistoryItem[] }>('/api/v1/wallet/history?limit=3'),
  });
  if (!recent.data?.items.length) return null;
  return (
    <section className="tb-section" aria-labelledby="recent-title">
      <div className="tb-section-head">
        <h2 id="recent-title" className="tb-section-title">
          {t('home.recent')}
        </h2>
        <Link to="/records">{t('home.allRecords')}</Link>
      </div>
      <List>
        {recent.data.items.map((item) => (
          <List.Item
            key={item.id}
            onClick={() => navigate(`/records/${encodeURIComponent(item.id)}`)}
            description={formatDateTime(item.time)}
            extra={<Money fen={item.amount} />}
          >
            {t(`records.types.${item.type}`, { defaultValue: item.type })}
            {item.counterparty || item.note ? (
              <span className="tb-record-sub">
                {' '}
                · {localBankText(item.counterparty ?? item.note ?? '', i18n.language === 'en')}
              </span>
            ) : null}
          </List.Item>
        ))}
      </List>
    </section>
  );
}
