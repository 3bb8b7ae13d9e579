import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Form, Input, List, Popup, Selector, TextArea } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, query } from '../../../shared/api';
import { formatFen } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { type LinkedRecord, TICKET_CATEGORIES, openTicket, sendAttachment } from '../../support-api';
import type { HistoryItem } from '../../wallet-api';
import '../../support.css';

const MAX_RECORDS = 5;
const MAX_FILES = 3;

interface TicketForm {
  category: string[];
  subject: string;
  text: string;
}

/**
 * Open a ticket: topic, a line and the details, the records it is about (picked from the holder's own
 * history) and up to three images or PDFs. A link from a failed record arrives with `kind` and `id`
 * already picked and the topic set.
 */
export default function NewTicketPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [search] = useSearchParams();
  const presetCategory = search.get('category') ?? '';
  const presetKind = search.get('kind');
  // A refusal that left no record links nothing (its explanation's link carries an empty or null id).
  const rawId = search.get('id');
  const presetId = rawId && rawId !== 'null' && rawId !== 'undefined' ? rawId : null;
  const [form] = Form.useForm<TicketForm>();
  const [linked, setLinked] = useState<LinkedRecord[]>(
    presetKind && presetId ? [{ kind: presetKind, id: presetId }] : [],
  );
  const [picking, setPicking] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const category = (Form.useWatch('category', form) as string[] | undefined)?.[0] ?? presetCategory;
  const history = useQuery({
    queryKey: ['history', 'for-ticket', i18n.language],
    queryFn: () => api.get<{ items: HistoryItem[] }>(`/api/v1/wallet/history${query({ limit: 30 })}`),
    enabled: picking,
  });

  const submit = async (values: TicketForm) => {
    setBanner(null);
    setBusy(true);
    try {
      const ticket = await openTicket({
        category: values.category[0] ?? 'other',
        subject: values.subject.trim(),
        text: values.text.trim(),
        linkedRecords: linked.length ? linked : undefined,
      });
      // The ticket exists now; a refused attachment is told in the conversation, not lost with the ticket.
      const refused: string[] = [];
      for (const file of files) {
        try {
          await sendAttachment(ticket.id, file);
        } catch (failure) {
          refused.push(`${file.name}: ${errorMessage(failure)}`);
        }
      }
      await client.invalidateQueries({ queryKey: ['support', 'tickets'] });
      navigate(`/support/tickets/${ticket.id}`, { replace: true, state: { refused } });
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (record: LinkedRecord) => {
    const on = linked.some((item) => item.kind === record.kind && item.id === record.id);
    if (on) setLinked(linked.filter((item) => !(item.kind === record.kind && item.id === record.id)));
    else if (linked.length < MAX_RECORDS) setLinked([...linked, record]);
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('support.tickets.newTitle')} />
      <div className="tb-page-body">
        <ErrorBanner message={banner} />
        <Form
          form={form}
          layout="vertical"
          className="tb-form-card"
          initialValues={{
            category: presetCategory ? [presetCategory] : [],
            subject: presetKind ? t('support.tickets.categories.payment_failed') : '',
          }}
          onFinish={(values) => void submit(values)}
          footer={
            <Button block type="submit" color="primary" size="large" loading={busy} data-testid="ticket-submit">
              {t('support.tickets.submit')}
            </Button>
          }
        >
          <Form.Item
            name="category"
            label={t('support.tickets.category')}
            rules={[{ required: true, type: 'array', min: 1, message: t('support.tickets.category') }]}
          >
            <Selector
              columns={2}
              options={TICKET_CATEGORIES.map((value) => ({
                value,
                label: t(`support.tickets.categories.${value}`),
              }))}
            />
          </Form.Item>
          {category.startsWith('complaint_') ? (
            <p className="tb-step-hint tb-sup-form-hint">{t('support.tickets.complaintNote')}</p>
          ) : null}
          <Form.Item
            name="subject"
            label={t('support.tickets.subject')}
            rules={[{ required: true, max: 120, message: t('support.tickets.subjectPlaceholder') }]}
          >
            <Input maxLength={120} placeholder={t('support.tickets.subjectPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="text"
            label={t('support.tickets.text')}
            rules={[{ required: true, max: 4000, message: t('support.tickets.textPlaceholder') }]}
          >
            <TextArea rows={5} maxLength={4000} showCount placeholder={t('support.tickets.textPlaceholder')} />
          </Form.Item>
          <Form.Item label={t('support.tickets.records')} help={t('support.tickets.recordsHint')}>
            <Button size="small" fill="outline" color="primary" onClick={() => setPicking(true)}>
              {linked.length ? t('support.tickets.picked', { count: linked.length }) : t('support.tickets.pickRecords')}
            </Button>
            {linked.length ? (
              <ul className="tb-sup-linked">
                {linked.map((item) => (
                  <li key={`${item.kind}:${item.id}`} className="tb-mono">
                    {t(`support.kinds.${item.kind}`, { defaultValue: item.kind })} · {item.id}
                  </li>
                ))}
              </ul>
            ) : null}
          </Form.Item>
          <Form.Item label={t('support.tickets.attach')} help={t('support.tickets.attachHint')}>
            <label className="tb-upload">
              <span className={`tb-upload-box${files.length ? ' tb-upload-done' : ''}`} aria-hidden>
                {files.length ? files.map((file) => `✓ ${file.name}`).join('  ') : t('support.tickets.attach')}
              </span>
              <input
                className="tb-visually-hidden"
                type="file"
                multiple
                accept="image/jpeg,image/png,application/pdf"
                onChange={(event) => setFiles(Array.from(event.target.files ?? []).slice(0, MAX_FILES))}
                data-testid="ticket-files"
              />
            </label>
          </Form.Item>
        </Form>
      </div>
      <Popup
        visible={picking}
        onMaskClick={() => setPicking(false)}
        onClose={() => setPicking(false)}
        bodyClassName="tb-sheet"
      >
        <div className="tb-sup-picker">
          <h2>{t('support.tickets.recordsHint')}</h2>
          <List>
            {(history.data?.items ?? []).map((item) => {
              const record = { kind: 'movement', id: item.id };
              const on = linked.some((l) => l.kind === record.kind && l.id === record.id);
              return (
                <List.Item
                  key={item.id}
                  prefix={<Checkbox checked={on} onChange={() => toggle(record)} aria-label={item.reference} />}
                  onClick={() => toggle(record)}
                  description={`${formatDateTime(item.time)} · ${t(`records.status.${item.status}`, {
                    defaultValue: item.status,
                  })}`}
                  extra={formatFen(item.amount, { sign: true })}
                >
                  {t(`records.types.${item.type}`, { defaultValue: item.type })}
                  {item.counterparty ? ` · ${item.counterparty}` : ''}
                </List.Item>
              );
            })}
          </List>
          <div className="tb-padded">
            <Button block color="primary" onClick={() => setPicking(false)}>
              {t('common.done')}
            </Button>
          </div>
        </div>
      </Popup>
    </div>
  );
}
