import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams } from 'react-router';
import { api, query } from '../../shared/api';
import { type CustomerView, type Me, type Movement, can } from '../api';
import { TierChangeButton } from '../approvals';
import { ErrorAlert, ReasonModal, StatusTag } from '../components';
import { money, when } from '../format';
import { useOpsT } from '../i18n';
import { MovementsTable } from '../movements';

interface Found {
  userId: string;
  name: string;
  phone: string;
  idNumber: string;
  tier: string;
  frozen: boolean;
}

export default function CustomersPage(props: { me: Me }) {
  return (
    <Routes>
      <Route index element={<Search />} />
      <Route path=":id" element={<Customer me={props.me} />} />
    </Routes>
  );
}

function Search() {
  const { t } = useOpsT();
  const navigate = useNavigate();
  const [by, setBy] = useState<'phone' | 'idNumber'>('phone');
  const [value, setValue] = useState('');
  const [submitted, setSubmitted] = useState<{ by: string; value: string } | null>(null);
  const found = useQuery({
    queryKey: ['ops', 'lookup', submitted],
    enabled: submitted !== null,
    // The phone or ID number goes in the body, never in a URL that logs and proxies keep.
    queryFn: () =>
      api.post<{ items: Found[] }>('/api/v1/ops/customers/search', { [submitted?.by ?? 'phone']: submitted?.value }),
  });
  return (
    <Card title={t('nav_customers')}>
      <Form
        layout="inline"
        onFinish={() => setSubmitted({ by, value: value.trim() })}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item label={t('searchBy')}>
          <Radio.Group
            value={by}
            onChange={(event) => setBy(event.target.value)}
            optionType="button"
            options={[
              { value: 'phone', label: t('byPhone') },
              { value: 'idNumber', label: t('byIdNumber') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Input
            aria-label={by === 'phone' ? t('byPhone') : t('byIdNumber')}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            style={{ width: 260 }}
            maxLength={20}
            data-testid="lookup-input"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('search')}
        </Button>
      </Form>
      <ErrorAlert error={found.error} />
      {found.data && (
        <Table<Found>
          rowKey="userId"
          dataSource={found.data.items}
          pagination={false}
          locale={{ emptyText: <Empty description={t('noCustomer')} /> }}
          onRow={(row) => ({ onClick: () => navigate(row.userId), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('name'), dataIndex: 'name' },
            { title: t('phone'), dataIndex: 'phone' },
            { title: t('idNumber'), dataIndex: 'idNumber' },
            { title: t('tier'), dataIndex: 'tier', render: (v: string) => t(`tier_${v}`) },
            {
              title: t('status'),
              render: (_, row) =>
                row.frozen ? (
                  <StatusTag status="frozen" label={t('frozen')} />
                ) : (
                  <StatusTag status="active" label={t('active')} />
                ),
            },
            { title: '', render: (_, row) => <Link to={row.userId}>{t('open')}</Link> },
          ]}
        />
      )}
    </Card>
  );
}

function Customer(props: { me: Me }) {
  const { t, english } = useOpsT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [reveal, setReveal] = useState(false);
  const [action, setAction] = useState<'freeze' | 'unfreeze' | null>(null);
  const view = useQuery({
    queryKey: ['ops', 'customer', id, reveal],
    queryFn: () =>
      api.get<CustomerView>(`/api/v1/ops/customers/${encodeURIComponent(id)}${reveal ? '?reveal=true' : ''}`),
  });
  const [older, setOlder] = useState<Movement[]>([]);
  const [nextSeq, setNextSeq] = useState<string | null | undefined>(undefined);
  if (view.error) return <ErrorAlert error={view.error} />;
  if (!view.data) return <Card loading />;
  const { profile, wallet, usage, devices, restrictions, cases } = view.data;
  const movements = [...view.data.movements, ...older];
  const cursor =
    nextSeq === undefined ? (view.data.movements.length === 20 ? view.data.movements[19].seq : null) : nextSeq;
  const loadMore = async () => {
    const page = await api.get<{ items: Movement[]; nextBeforeSeq: string | null }>(
      `/api/v1/ops/customers/${id}/movements${query({ beforeSeq: cursor, limit: 20 })}`,
    );
    setOlder((list) => [...list, ...page.items]);
    setNextSeq(page.nextBeforeSeq);
  };
  const limit = (fen: number | undefined) => (fen === undefined ? t('unlimited') : money(fen));
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span data-testid="customer-name">{profile.name}</span>
            {profile.frozen ? (
              <StatusTag status="frozen" label={t('frozen')} />
            ) : (
              <StatusTag status="active" label={t('active')} />
            )}
          </Space>
        }
        extra={
          <Space>
            {can(props.me, 'customers.reveal') && !reveal && (
              <Button onClick={() => setReveal(true)}>{t('reveal')}</Button>
            )}
            {can(props.me, 'kyc.review') && <TierChangeButton userId={profile.id} tier={profile.tier} />}
            {!profile.frozen && can(props.me, 'customers.freeze') && (
              <Button danger onClick={() => setAction('freeze')}>
                {t('freeze')}
              </Button>
            )}
            {profile.frozen && can(props.me, 'customers.unfreeze') && (
              <Button onClick={() => setAction('unfreeze')}>{t('unfreeze')}</Button>
            )}
          </Space>
        }
      >
        {reveal && <Typography.Paragraph type="warning">{t('revealed')}</Typography.Paragraph>}
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label={t('phone')}>{profile.phone}</Descriptions.Item>
          <Descriptions.Item label={t('idNumber')}>{profile.idNumber}</Descriptions.Item>
          <Descriptions.Item label={t('tier')}>
            <Tag data-testid="customer-tier" data-tier={profile.tier}>
              {t(`tier_${profile.tier}`)}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label="ID">{profile.id}</Descriptions.Item>
          {profile.frozen && (
            <Descriptions.Item label={t('frozenReason')}>{profile.frozenReason ?? '—'}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card title={t('wallet')}>
            <Space size={32} wrap>
              <Statistic title={t('balance')} value={money(wallet?.balance)} />
              <Statistic title={t('available')} value={money(wallet?.available)} />
              <Statistic title={t('pending')} value={money(wallet?.pendingDebits)} />
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('limits')}>
            <Descriptions column={2} size="small">
              <Descriptions.Item label={t('dailyLimit')}>{limit(wallet?.limits.dailyFen)}</Descriptions.Item>
              <Descriptions.Item label={t('usedToday')}>{money(usage.dayFen)}</Descriptions.Item>
              <Descriptions.Item label={t('yearlyLimit')}>{limit(wallet?.limits.yearlyFen)}</Descriptions.Item>
              <Descriptions.Item label={t('usedYear')}>{money(usage.yearFen)}</Descriptions.Item>
              <Descriptions.Item label={t('balanceCap')}>{limit(wallet?.limits.balanceCapFen)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      <Card title={t('movements')}>
        <MovementsTable movements={movements} />
        {cursor && (
          <Button style={{ marginTop: 12 }} onClick={loadMore}>
            {t('loadMore')}
          </Button>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card title={t('devices')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={devices}
              columns={[
                { title: t('devices'), dataIndex: 'label' },
                { title: t('lastSeen'), dataIndex: 'lastSeenAt', render: (value: string) => when(value, english) },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('restrictions')}>
            {restrictions.active ? (
              <Typography.Text type="danger">
                {english ? restrictions.active.reasonEn : restrictions.active.reasonZh}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">{t('none')}</Typography.Text>
            )}
            {restrictions.history.length > 0 && (
              <ul style={{ paddingLeft: 18, marginTop: 8 }}>
                {restrictions.history.map((r) => (
                  <li key={r.id}>
                    {when(r.createdAt, english)} · {english ? r.reasonEn : r.reasonZh}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={t('cases')}>
            {cases.length === 0 ? (
              <Typography.Text type="secondary">{t('none')}</Typography.Text>
            ) : (
              <ul style={{ paddingLeft: 18, margin: 0 }}>
                {cases.map((c) => (
                  <li key={c.id}>
                    {can(props.me, 'cases.view') ? (
                      <Link to={`/cases/${c.id}`}>{when(c.createdAt, english)}</Link>
                    ) : (
                      when(c.createdAt, english)
                    )}{' '}
                    <StatusTag status={c.status} label={c.status === 'open' ? t('statusOpen') : t('statusClosed')} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </Col>
      </Row>
      <ReasonModal
        open={action !== null}
        title={action === 'freeze' ? t('freeze') : t('unfreeze')}
        danger={action === 'freeze'}
        onCancel={() => setAction(null)}
        onSubmit={async (reason) => {
          await api.post(`/api/v1/ops/customers/${id}/${action}`, { reason });
          setAction(null);
          void message.success(t('done'));
          await queryClient.invalidateQueries({ queryKey: ['ops', 'customer', id] });
        }}
      />
    </Space>
  );
}
