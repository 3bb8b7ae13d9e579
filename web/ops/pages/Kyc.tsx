import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  Radio,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { REASONS, REJECTION_REASONS } from '../../../server/kyc/rules';
import { api, query } from '../../shared/api';
import { errorMessage } from '../../shared/problems';
import { type KycItem, type Me, usePagedList, useStaffNames } from '../api';
import { PendingApprovals } from '../approvals';
import { ErrorAlert, LoadMore, StatusTag } from '../components';
import { when } from '../format';
import { useOpsT } from '../i18n';
import { label } from '../labels';

interface Detail extends KycItem {
  submission: {
    documents: { side: string; contentType: string; sizeBytes: number }[];
    reason: { code: string; message: string } | null;
  };
  findings: unknown;
  autoReason: string | null;
  overrideNote: string | null;
  reviewNote: string | null;
  registration: { name: string; idNumber: string; birthDate: string | null; tier: string } | null;
}

const FILTERS = ['queue', 'manual_review', 'override_pending', 'approved', 'rejected'] as const;

export default function KycPage(props: { me: Me }) {
  const { t, english } = useOpsT();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('queue');
  const [openId, setOpenId] = useState<string | null>(null);
  const staffName = useStaffNames();
  const list = usePagedList<KycItem, { items: KycItem[]; nextCursor: string | null }>(
    ['ops', 'kyc', filter],
    (cursor) => `/api/v1/staff/kyc/submissions${query({ status: filter, cursor, limit: 50 })}`,
    (page) => page.nextCursor,
  );
  return (
    <Card title={t('nav_kyc')} extra={<Button onClick={() => list.refetch()}>{t('refresh')}</Button>}>
      <PendingApprovals me={props.me} kinds={['kyc.tier_change']} />
      <Segmented
        value={filter}
        onChange={(value) => setFilter(value as typeof filter)}
        options={FILTERS.map((f) => ({ value: f, label: t(`kyc_${f}`) }))}
        style={{ marginBottom: 16 }}
      />
      <ErrorAlert error={list.error} />
      <Table<KycItem>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.items}
        pagination={false}
        locale={{ emptyText: <Empty description={t('empty')} /> }}
        onRow={(row) => ({ onClick: () => setOpenId(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('submitted'), dataIndex: 'createdAt', render: (v: string) => when(v, english) },
          {
            title: t('holder'),
            dataIndex: 'holderName',
            render: (v: string | null | undefined) => <span data-testid="kyc-holder">{v ?? '—'}</span>,
          },
          {
            title: t('documentType'),
            dataIndex: 'documentType',
            render: (v: string) => label('documentType', v, english),
          },
          {
            title: t('status'),
            dataIndex: 'status',
            render: (v: string) => <StatusTag status={v} label={t(`kyc_${v}`)} />,
          },
          {
            title: t('claimedBy'),
            dataIndex: 'claimedBy',
            render: (v: string | null) => (v ? (v === props.me.staffId ? t('requestedByMe') : staffName(v)) : '—'),
          },
          {
            title: '',
            render: (_, row) => (
              <Button size="small" onClick={() => setOpenId(row.id)}>
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore list={list} />
      {openId && <Review id={openId} me={props.me} onClose={() => setOpenId(null)} />}
    </Card>
  );
}

function Review(props: { id: string; me: Me; onClose: () => void }) {
  const { t, english } = useOpsT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ decision: 'approve' | 'reject'; reason?: string; note: string }>();
  const decision = Form.useWatch('decision', form);
  const detail = useQuery({
    queryKey: ['ops', 'kyc', 'detail', props.id],
    queryFn: () => api.get<Detail>(`/api/v1/staff/kyc/submissions/${props.id}`),
  });
  const item = detail.data;
  const mine =
    item?.claimedBy === props.me.staffId && item.claimedUntil !== null && new Date(item.claimedUntil) > new Date();
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: ['ops', 'kyc'] })]);
  const act = async (run: () => Promise<unknown>, done?: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      await refresh();
      done?.();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer
      open
      size="large"
      title={`${t('nav_kyc')} · ${item?.registration?.name ?? item?.holderName ?? ''}`}
      onClose={props.onClose}
      destroyOnHidden
    >
      <ErrorAlert error={detail.error} />
      {item && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('status')}>
              <StatusTag status={item.status} label={t(`kyc_${item.status}`)} />
            </Descriptions.Item>
            <Descriptions.Item label={t('documentType')}>
              {label('documentType', item.documentType, english)}
            </Descriptions.Item>
            <Descriptions.Item label={t('submitted')}>{when(item.createdAt, english)}</Descriptions.Item>
            {item.autoReason && (
              <Descriptions.Item label={t('reasons')}>
                {item.autoReason in REASONS
                  ? REASONS[item.autoReason as keyof typeof REASONS][english ? 'en' : 'zh']
                  : item.autoReason}
              </Descriptions.Item>
            )}
            {item.overrideNote && <Descriptions.Item label={t('note')}>{item.overrideNote}</Descriptions.Item>}
            {item.registration && (
              <Descriptions.Item label={t('registration')}>
                <span data-testid="kyc-registration">
                  {item.registration.name} · {item.registration.idNumber}
                  {item.registration.birthDate ? ` · ${item.registration.birthDate}` : ''} ·{' '}
                  {t(`tier_${item.registration.tier}`)}
                </span>
              </Descriptions.Item>
            )}
          </Descriptions>
          {item.status === 'override_pending' && <Alert type="info" showIcon title={t('makerChecker')} />}
          {!mine && ['manual_review', 'override_pending', 'rejected'].includes(item.status) && (
            <Button
              type="primary"
              loading={busy}
              onClick={() => act(() => api.post(`/api/v1/staff/kyc/submissions/${props.id}/claim`))}
            >
              {t('claim')}
            </Button>
          )}
          {mine && (
            <>
              <Typography.Title level={5}>{t('documents')}</Typography.Title>
              <Image.PreviewGroup>
                <Space wrap>
                  {item.submission.documents.map((doc) => {
                    const url = `/api/v1/staff/kyc/submissions/${props.id}/documents/${doc.side}`;
                    return doc.contentType === 'application/pdf' ? (
                      <a key={doc.side} href={url} target="_blank" rel="noreferrer">
                        {t(doc.side)} (PDF)
                      </a>
                    ) : (
                      <figure key={doc.side} style={{ margin: 0, textAlign: 'center' }}>
                        <Image
                          src={url}
                          alt={t(doc.side)}
                          width={180}
                          height={120}
                          style={{ objectFit: 'contain', background: '#f5f6f8', border: '1px solid #e5e7eb' }}
                        />
                        <figcaption>{t(doc.side)}</figcaption>
                      </figure>
                    );
                  })}
                </Space>
              </Image.PreviewGroup>
              <Findings findings={item.findings} />
              <Form
                form={form}
                layout="vertical"
                initialValues={{ decision: 'approve' }}
                onFinish={(values) =>
                  act(
                    () => api.post(`/api/v1/staff/kyc/submissions/${props.id}/decision`, values),
                    () => {
                      void message.success(t('done'));
                      props.onClose();
                    },
                  )
                }
              >
                <Form.Item name="decision" label={t('decision')}>
                  <Radio.Group
                    optionType="button"
                    buttonStyle="solid"
                    options={[
                      { value: 'approve', label: t('approve') },
                      { value: 'reject', label: t('reject') },
                    ]}
                  />
                </Form.Item>
                {decision === 'reject' && (
                  <Form.Item
                    name="reason"
                    label={t('rejectReason')}
                    rules={[{ required: true, message: t('required') }]}
                  >
                    <Select
                      options={REJECTION_REASONS.map((code) => ({
                        value: code,
                        label: english ? REASONS[code].en : REASONS[code].zh,
                      }))}
                    />
                  </Form.Item>
                )}
                <Form.Item
                  name="note"
                  label={t('note')}
                  rules={[{ required: true, min: 2, message: t('noteRequired') }]}
                >
                  <Input.TextArea rows={2} maxLength={500} />
                </Form.Item>
                <Button
                  type="primary"
                  htmlType="submit"
                  loading={busy}
                  danger={decision === 'reject'}
                  data-testid="kyc-submit"
                >
                  {decision === 'reject' ? t('reject') : t('approve')}
                </Button>
              </Form>
            </>
          )}
          {error && <Alert type="error" showIcon title={error} role="alert" />}
        </Space>
      )}
    </Drawer>
  );
}

const FINDINGS: { key: string; zh: string; en: string }[] = [
  { key: 'quality', zh: '图像质量', en: 'Image quality' },
  { key: 'faceMatchScore', zh: '人脸比对分', en: 'Face match score' },
  { key: 'nameMatches', zh: '姓名一致', en: 'Name matches' },
  { key: 'numberMatches', zh: '证件号一致', en: 'ID number matches' },
  { key: 'birthDateMatches', zh: '出生日期一致', en: 'Birth date matches' },
  { key: 'expired', zh: '证件已过期', en: 'Document expired' },
  { key: 'adult', zh: '已成年', en: 'Adult' },
];

/** The document check's findings as labelled lines (yes/no in words), not JSON. */
function Findings(props: { findings: unknown }) {
  const { t, english } = useOpsT();
  if (!props.findings || typeof props.findings !== 'object') return null;
  const values = props.findings as Record<string, unknown>;
  const show = (value: unknown) =>
    typeof value === 'boolean'
      ? value
        ? english
          ? 'Yes'
          : '是'
        : english
          ? 'No'
          : '否'
      : value === null || value === undefined
        ? '—'
        : String(value);
  return (
    <Descriptions title={t('findings')} column={2} size="small" bordered>
      {FINDINGS.map((f) => (
        <Descriptions.Item key={f.key} label={english ? f.en : f.zh}>
          {show(values[f.key])}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
