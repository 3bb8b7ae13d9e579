import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../../shared/api';
import { supportEn, supportZh } from '../../../shared/locales/support';
import { ErrorAlert } from '../../components';
import { when } from '../../format';
import { useSupportOpsT } from '../../support-i18n';

/** Help-centre articles as staff edit them (server/support/routes-staff.ts: /api/v1/staff/help/articles). */
export interface Article {
  slug: string;
  category: string;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  bodyZh: string;
  bodyEn: string;
  keywords: string[];
  actions: { labelZh: string; labelEn: string; path: string }[];
  version: number;
  updatedAt: string;
}

interface VersionItem {
  version: number;
  titleZh: string;
  titleEn: string;
  editedBy: string;
  editedAt: string;
}

const articlePath = (slug: string) => `/api/v1/staff/help/articles/${encodeURIComponent(slug)}`;

function useCategoryName() {
  const { english } = useSupportOpsT();
  const table = (english ? supportEn : supportZh).help.categories as Record<string, string>;
  return (category: string) => table[category] ?? category;
}

/** Every article with its current version; a row opens its editor. */
export function ArticleList() {
  const { t, english } = useSupportOpsT();
  const navigate = useNavigate();
  const categoryName = useCategoryName();
  const list = useQuery({
    queryKey: ['ops', 'support', 'articles'],
    queryFn: () => api.get<{ items: Article[] }>('/api/v1/staff/help/articles'),
  });
  return (
    <>
      <Typography.Paragraph type="secondary">{t('articlesHint')}</Typography.Paragraph>
      <ErrorAlert error={list.error} />
      <Table<Article>
        rowKey="slug"
        size="middle"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        onRow={(row) => ({ onClick: () => navigate(`/support/articles/${row.slug}`), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('category'),
            dataIndex: 'category',
            width: 120,
            render: (v: string) => <Tag>{categoryName(v)}</Tag>,
          },
          {
            title: english ? t('titleEn') : t('titleZh'),
            render: (_, row) => (
              <Link to={`/support/articles/${row.slug}`} data-testid={`article-${row.slug}`}>
                {english ? row.titleEn : row.titleZh}
              </Link>
            ),
          },
          {
            title: t('slug'),
            dataIndex: 'slug',
            width: 180,
            render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
          },
          { title: t('version'), dataIndex: 'version', width: 80, align: 'right' },
          { title: t('updated'), dataIndex: 'updatedAt', width: 180, render: (v: string) => when(v, english) },
        ]}
      />
    </>
  );
}

type EditorValues = Omit<Article, 'slug' | 'version' | 'updatedAt' | 'actions'>;

/** One article: both languages side by side, saved as a new version, with its history. */
export function ArticleEditor() {
  const { t, english } = useSupportOpsT();
  const { slug = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const categoryName = useCategoryName();
  const [form] = Form.useForm<EditorValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const article = useQuery({
    queryKey: ['ops', 'support', 'articles', slug],
    queryFn: async () => {
      const all = await api.get<{ items: Article[] }>('/api/v1/staff/help/articles');
      return all.items.find((item) => item.slug === slug) ?? null;
    },
  });
  const versions = useQuery({
    queryKey: ['ops', 'support', 'articles', slug, 'versions'],
    queryFn: () => api.get<{ items: VersionItem[] }>(`${articlePath(slug)}/versions`),
  });
  const current = article.data;
  useEffect(() => {
    if (current) form.setFieldsValue(current);
  }, [current, form]);

  const save = async () => {
    if (!current) return;
    const values = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      const saved = await api.put<Article>(articlePath(slug), {
        ...values,
        actions: current.actions,
        expectedVersion: current.version,
      });
      void message.success(t('saved', { version: saved.version }));
      await queryClient.invalidateQueries({ queryKey: ['ops', 'support', 'articles'] });
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  if (article.error) return <ErrorAlert error={article.error} />;
  if (!current) return <Card loading />;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/support/articles">{t('backToArticles')}</Link>
            <span>·</span>
            <span>{english ? current.titleEn : current.titleZh}</span>
          </Space>
        }
        extra={
          <Space>
            <Tag color="blue" data-testid="article-version">
              {t('version')} {current.version}
            </Tag>
            <Button type="primary" loading={saving} onClick={save} data-testid="article-save">
              {t('save')}
            </Button>
          </Space>
        }
      >
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" requiredMark={false}>
          <Row gutter={24}>
            <Col span={12}>
              <Typography.Title level={5}>{t('chinese')}</Typography.Title>
              <Form.Item name="titleZh" label={t('titleZh')} rules={[{ required: true, max: 120 }]}>
                <Input maxLength={120} />
              </Form.Item>
              <Form.Item name="summaryZh" label={t('summaryZh')} rules={[{ max: 300 }]}>
                <Input.TextArea rows={2} maxLength={300} />
              </Form.Item>
              <Form.Item name="bodyZh" label={t('bodyZh')} rules={[{ required: true, max: 8000 }]}>
                <Input.TextArea rows={12} maxLength={8000} showCount />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Typography.Title level={5}>{t('english')}</Typography.Title>
              <Form.Item name="titleEn" label={t('titleEn')} rules={[{ required: true, max: 160 }]}>
                <Input maxLength={160} />
              </Form.Item>
              <Form.Item name="summaryEn" label={t('summaryEn')} rules={[{ max: 400 }]}>
                <Input.TextArea rows={2} maxLength={400} />
              </Form.Item>
              <Form.Item name="bodyEn" label={t('bodyEn')} rules={[{ required: true, max: 12000 }]}>
                <Input.TextArea rows={12} maxLength={12000} showCount />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={24}>
            <Col span={6}>
              <Form.Item name="category" label={t('category')}>
                <Select
                  options={Object.keys(supportZh.help.categories).map((value) => ({
                    value,
                    label: categoryName(value),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={18}>
              <Form.Item name="keywords" label={t('keywords')}>
                <Select mode="tags" tokenSeparators={[',', '，']} maxCount={30} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card title={t('history')}>
        <ErrorAlert error={versions.error} />
        <Table<VersionItem>
          rowKey="version"
          size="small"
          pagination={false}
          loading={versions.isPending}
          dataSource={versions.data?.items ?? []}
          columns={[
            {
              title: t('version'),
              dataIndex: 'version',
              width: 100,
              render: (v: number) => (
                <Space>
                  {v}
                  {v === current.version && <Tag color="green">{t('current')}</Tag>}
                </Space>
              ),
            },
            { title: t('titleZh'), dataIndex: 'titleZh' },
            { title: t('titleEn'), dataIndex: 'titleEn' },
            { title: t('editedBy'), dataIndex: 'editedBy', width: 220 },
            { title: t('editedAt'), dataIndex: 'editedAt', width: 180, render: (v: string) => when(v, english) },
            {
              title: '',
              width: 90,
              render: (_, row) => (
                <Button size="small" onClick={() => setViewing(row.version)}>
                  {t('view')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <VersionModal
        slug={slug}
        version={viewing}
        onClose={() => setViewing(null)}
        onLoad={(values) => {
          form.setFieldsValue(values);
          void message.info(t('loadedIntoEditor', { version: viewing ?? '' }));
          setViewing(null);
        }}
      />
    </Space>
  );
}

function VersionModal(props: {
  slug: string;
  version: number | null;
  onClose: () => void;
  onLoad: (values: EditorValues) => void;
}) {
  const { t, english } = useSupportOpsT();
  const found = useQuery({
    queryKey: ['ops', 'support', 'articles', props.slug, 'version', props.version],
    queryFn: () =>
      api.get<Article & { editedBy: string; editedAt: string }>(`${articlePath(props.slug)}/versions/${props.version}`),
    enabled: props.version !== null,
  });
  const v = found.data;
  return (
    <Modal
      open={props.version !== null}
      title={`${t('version')} ${props.version ?? ''}`}
      width={960}
      onCancel={props.onClose}
      footer={[
        <Button key="close" onClick={props.onClose}>
          {t('cancel')}
        </Button>,
        <Button key="load" type="primary" disabled={!v} onClick={() => v && props.onLoad(v)}>
          {t('loadIntoEditor')}
        </Button>,
      ]}
    >
      <ErrorAlert error={found.error} />
      {v && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('editedBy')}>{v.editedBy}</Descriptions.Item>
            <Descriptions.Item label={t('editedAt')}>{when(v.editedAt, english)}</Descriptions.Item>
          </Descriptions>
          <Row gutter={24}>
            <Col span={12}>
              <Typography.Title level={5}>{v.titleZh}</Typography.Title>
              <Typography.Paragraph type="secondary">{v.summaryZh}</Typography.Paragraph>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{v.bodyZh}</Typography.Paragraph>
            </Col>
            <Col span={12}>
              <Typography.Title level={5}>{v.titleEn}</Typography.Title>
              <Typography.Paragraph type="secondary">{v.summaryEn}</Typography.Paragraph>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{v.bodyEn}</Typography.Paragraph>
            </Col>
          </Row>
        </>
      )}
    </Modal>
  );
}
