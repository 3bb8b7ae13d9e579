import { Alert, Button, Form, Input, Modal, Result, Tag } from 'antd';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../shared/problems';
import { useOpsT } from './i18n';

/** Asks for a reason (or note) before a staff action; the action's error shows in the dialog. */
export function ReasonModal(props: {
  open: boolean;
  title: ReactNode;
  label?: string;
  okText?: string;
  danger?: boolean;
  minLength?: number;
  onCancel: () => void;
  onSubmit: (reason: string) => Promise<unknown>;
}) {
  const { t } = useOpsT();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const min = props.minLength ?? 3;
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(reason.trim());
      form.resetFields();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText ?? t('confirm')}
      cancelText={t('cancel')}
      okButtonProps={{ danger: props.danger, loading: busy }}
      onOk={submit}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={props.label ?? t('reason')}
          rules={[{ required: true, min, whitespace: true, message: t('reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

export function Forbidden() {
  const { t } = useOpsT();
  return <Result status="403" title="403" subTitle={t('forbidden')} />;
}

export function ErrorAlert(props: { error: unknown }) {
  if (!props.error) return null;
  return <Alert type="error" showIcon title={errorMessage(props.error)} style={{ marginBottom: 16 }} />;
}

const STATUS_COLOR: Record<string, string> = {
  open: 'orange',
  claimed: 'blue',
  resolved: 'green',
  closed: 'default',
  manual_review: 'orange',
  override_pending: 'purple',
  approved: 'green',
  rejected: 'red',
  pending: 'orange',
  active: 'green',
  suspended: 'red',
  frozen: 'red',
};

export function StatusTag(props: { status: string; label?: string }) {
  return <Tag color={STATUS_COLOR[props.status] ?? 'default'}>{props.label ?? props.status}</Tag>;
}

export function LoadMore(props: { list: { hasMore: boolean; loadingMore: boolean; more: () => void } }) {
  const { t } = useOpsT();
  if (!props.list.hasMore) return null;
  return (
    <Button style={{ marginTop: 12 }} loading={props.list.loadingMore} onClick={props.list.more}>
      {t('loadMore')}
    </Button>
  );
}
