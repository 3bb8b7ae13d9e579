import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import { api } from '../../shared/api';
import { ErrorAlert } from '../components';
import { OPS_CREDIT } from '../credit-api';
import { useCreditOpsT } from '../credit-i18n';
import { when } from '../format';

interface BureauRetry {
  id: string;
  userId: string;
  kind: string;
  reference: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  stuck: boolean;
  createdAt: string;
}

/** Bureau corrections the bureau has not taken yet, tried again by the jobs; the ones that keep failing flagged. */
export function BureauRetries() {
  const { t, english } = useCreditOpsT();
  const list = useQuery({
    queryKey: ['ops', 'credit', 'bureau-retries'],
    queryFn: () => api.get<{ stuckAfter: number; items: BureauRetry[] }>(`${OPS_CREDIT}/bureau-retries`),
  });
  const items = list.data?.items ?? [];
  if (!list.error && items.length === 0) return null;
  const stuck = items.filter((row) => row.stuck).length;
  return (
    <div data-testid="credit-bureau-retries">
      <ErrorAlert error={list.error} />
      <Alert
        type={stuck ? 'error' : 'warning'}
        showIcon
        message={t('retriesTitle', { count: items.length })}
        description={stuck ? t('retriesStuck', { count: stuck, after: list.data?.stuckAfter ?? 0 }) : t('retriesHint')}
        style={{ marginBottom: 8 }}
      />
      <Table<BureauRetry>
        rowKey="id"
        size="small"
        dataSource={items}
        pagination={false}
        columns={[
          { title: t('time'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          { title: t('retryKind'), dataIndex: 'kind', render: (v: string) => t(`retryKind_${v}`) },
          { title: t('retryReference'), dataIndex: 'reference' },
          {
            title: t('retryAttempts'),
            dataIndex: 'attempts',
            render: (v: number, row) => (row.stuck ? <Tag color="red">{v}</Tag> : v),
          },
          { title: t('retryNext'), dataIndex: 'nextAttemptAt', render: (v: string) => when(v, english) },
          {
            title: t('retryLastError'),
            dataIndex: 'lastError',
            render: (v: string | null) => <Typography.Text type="secondary">{v ?? ''}</Typography.Text>,
          },
        ]}
      />
    </div>
  );
}
