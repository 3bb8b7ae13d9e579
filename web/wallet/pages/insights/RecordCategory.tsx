import { useQuery } from '@tanstack/react-query';
import { List } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import type { Movement } from '../../insights-api';
import { CategoryDot, useCategoryName } from './components';
import { RecategoriseSheet } from './RecategoriseSheet';
import './insights.css';

/**
 * A record's category line (on the record detail page): where analysis counts it, and, for
 * spending, a tap to change it or make a rule. Movements analysis does not know (a pending
 * withdrawal, say) show nothing.
 */
export function RecordCategory(props: { entryId: string }) {
  const { t } = useTranslation();
  const name = useCategoryName();
  const [open, setOpen] = useState(false);
  const movement = useQuery({
    queryKey: ['insights', 'movement', props.entryId],
    queryFn: () => api.get<Movement>(`/api/v1/insights/movements/${encodeURIComponent(props.entryId)}`),
    retry: false,
  });
  const m = movement.data;
  if (!m || (!m.category && !m.categorisable)) return null;
  return (
    <>
      <List.Item
        onClick={m.categorisable ? () => setOpen(true) : undefined}
        extra={
          <span className="tb-ins-record-category">
            <CategoryDot category={m.category} /> {name(m.category)}
          </span>
        }
        data-testid="record-category"
      >
        {t('insights.movement.category')}
      </List.Item>
      <RecategoriseSheet movement={open ? m : null} onClose={() => setOpen(false)} />
    </>
  );
}
