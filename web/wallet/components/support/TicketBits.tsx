import { Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';

const STATUS_COLOR: Record<string, string> = {
  open: 'warning',
  in_progress: 'primary',
  resolved: 'success',
  closed: 'default',
};

/** A ticket's status as a coloured tag. */
export function StatusTag(props: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[props.status] ?? 'default'} fill="outline" data-testid="ticket-status">
      {t(`support.tickets.status.${props.status}`, { defaultValue: props.status })}
    </Tag>
  );
}
