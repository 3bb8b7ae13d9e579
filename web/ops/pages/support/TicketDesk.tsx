import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Input,
  Row,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../../shared/api';
import { errorMessage } from '../../../shared/problems';
import type { Me } from '../../api';
import { can } from '../../api';
import { ErrorAlert, ReasonModal, StatusTag } from '../../components';
import { when } from '../../format';
import { type StaffMessage, type StaffTicket, staffTicketPath, useStaffTicket, useTemplates } from '../../support-api';
import { useSupportOpsT } from '../../support-i18n';
import { SlaTimer } from './Queue';

type Conversation = { ticket: StaffTicket; messages: StaffMessage[] };
type Action = 'escalate' | 'complex' | 'resolve' | null;

/**
 * One ticket at the agent's desk: the live conversation (holder, agents, internal notes), the reply box
 * with templates, and the actions (claim, escalate, mark complex, decide, close) beside the SLA timer.
 */
export function TicketDesk(props: { me: Me }) {
  const { t, english } = useSupportOpsT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const found = useStaffTicket(id);
  const templates = useTemplates();
  const key = ['ops', 'support', 'ticket', id];
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [action, setAction] = useState<Action>(null);
  const [live, setLive] = useState(false);
  const end = useRef<HTMLDivElement>(null);
  const handle = can(props.me, 'support.handle');
  const loaded = found.isSuccess;
  const count = found.data?.messages.length ?? 0;

  useEffect(() => {
    if (count) end.current?.scrollIntoView?.({ block: 'end' });
  }, [count]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: one stream per ticket, after the history loaded
  useEffect(() => {
    if (!loaded || typeof EventSource === 'undefined') return;
    const last = found.data?.messages.at(-1)?.id;
    const source = new EventSource(`${staffTicketPath(id)}/events${last ? `?after=${encodeURIComponent(last)}` : ''}`);
    source.addEventListener('message', (event) => {
      const incoming = JSON.parse((event as MessageEvent<string>).data) as StaffMessage;
      client.setQueryData<Conversation>(key, (c) =>
        c && !c.messages.some((m) => m.id === incoming.id) ? { ...c, messages: [...c.messages, incoming] } : c,
      );
    });
    source.addEventListener('ticket', (event) => {
      const ticket = JSON.parse((event as MessageEvent<string>).data) as StaffTicket;
      client.setQueryData<Conversation>(key, (c) => (c ? { ...c, ticket: { ...c.ticket, ...ticket } } : c));
    });
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [id, loaded]);

  if (found.error) return <ErrorAlert error={found.error} />;
  if (!found.data) return <Card loading />;
  const { ticket, messages } = found.data;
  const closed = ticket.status === 'closed';
  const mine = ticket.assigneeId === props.me.staffId;

  const act = async (path: string, body?: unknown) => {
    const next = await api.post<StaffTicket>(`${staffTicketPath(id)}/${path}`, body);
    client.setQueryData<Conversation>(key, (c) => (c ? { ...c, ticket: next } : c));
    void client.invalidateQueries({ queryKey: ['ops', 'support', 'queue'] });
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (failure) {
      message.error(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const send = () =>
    run(async () => {
      const sent = await api.post<StaffMessage>(`${staffTicketPath(id)}/messages`, { text: text.trim(), internal });
      client.setQueryData<Conversation>(key, (c) =>
        c && !c.messages.some((m) => m.id === sent.id) ? { ...c, messages: [...c.messages, sent] } : c,
      );
      setText('');
      if (!ticket.assigneeId) void found.refetch();
    });

  return (
    <Row gutter={16}>
      <Col xs={24} lg={15}>
        <Card
          title={
            <Space wrap>
              <Button type="link" onClick={() => navigate('/support')} style={{ paddingLeft: 0 }}>
                ‹ {t('queue')}
              </Button>
              <span data-testid="desk-subject">{ticket.subject}</span>
            </Space>
          }
          extra={
            <Badge
              status={live ? 'success' : 'default'}
              text={live ? t('live') : t('offline')}
              data-testid="desk-live"
            />
          }
          styles={{ body: { background: '#f5f6f8', maxHeight: 520, overflow: 'auto' } }}
        >
          <div style={{ display: 'flex', flexDirection: 'column', gap: 10 }} data-testid="desk-conversation">
            {messages.map((m) => (
              <DeskMessage key={m.id} message={m} ticketId={id} english={english} />
            ))}
            <div ref={end} />
          </div>
        </Card>
        {handle && !closed ? (
          <Card style={{ marginTop: 12 }} styles={{ body: { padding: 12 } }}>
            <Space style={{ marginBottom: 8 }} wrap>
              <Select
                placeholder={t('template')}
                style={{ width: 240 }}
                loading={templates.isPending}
                onChange={(value: string) => {
                  const chosen = templates.data?.items.find((item) => item.id === value);
                  if (chosen) setText(english ? chosen.bodyEn : chosen.bodyZh);
                }}
                options={(templates.data?.items ?? []).map((item) => ({
                  value: item.id,
                  label: english ? item.titleEn : item.titleZh,
                }))}
                data-testid="desk-template"
              />
              <Checkbox checked={internal} onChange={(e) => setInternal(e.target.checked)} data-testid="desk-internal">
                {t('note')}
              </Checkbox>
            </Space>
            <Input.TextArea
              value={text}
              onChange={(e) => setText(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 8 }}
              maxLength={4000}
              placeholder={internal ? t('noteHint') : t('reply')}
              style={internal ? { background: '#fffbe6' } : undefined}
              aria-label={t('reply')}
              data-testid="desk-reply"
            />
            <div style={{ marginTop: 8, textAlign: 'right' }}>
              <Button
                type="primary"
                loading={busy}
                disabled={!text.trim()}
                onClick={() => void send()}
                data-testid="desk-send"
              >
                {internal ? t('note') : t('send')}
              </Button>
            </div>
          </Card>
        ) : null}
      </Col>
      <Col xs={24} lg={9}>
        <Card title={`${t('ticket')} ${ticket.id}`} size="small">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('status')}>
              <StatusTag status={ticket.status} label={t(ticket.status)} />
              {ticket.escalated ? <Tag color="magenta">{t('escalated')}</Tag> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('category')}>{t(`categories.${ticket.category}`)}</Descriptions.Item>
            <Descriptions.Item label={t('holder')}>
              {ticket.holderName} {ticket.holderPhone}{' '}
              <Link to={ticket.customerPath || `/customers/${ticket.userId}`}>{t('customer')}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('assignee')}>{ticket.assigneeName ?? t('unassigned')}</Descriptions.Item>
            <Descriptions.Item label={t('due')}>
              <SlaTimer ticket={ticket} />
            </Descriptions.Item>
            {ticket.sla?.complex ? (
              <Descriptions.Item label={t('complex')}>{ticket.sla.complexReason}</Descriptions.Item>
            ) : null}
            {ticket.escalationReason ? (
              <Descriptions.Item label={t('escalate')}>{ticket.escalationReason}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t('firstReply')}>{when(ticket.firstReplyAt, english)}</Descriptions.Item>
            {ticket.linkedRecords.length ? (
              <Descriptions.Item label={t('linked')}>
                <Space direction="vertical" size={0}>
                  {ticket.linkedRecords.map((r) => (
                    <Typography.Text key={`${r.kind}:${r.id}`} code>
                      {r.kind} {r.id}
                    </Typography.Text>
                  ))}
                </Space>
              </Descriptions.Item>
            ) : null}
            {ticket.rating ? (
              <Descriptions.Item label={t('rating')}>
                {'★'.repeat(ticket.rating.score)} {ticket.rating.comment ?? ''}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          {ticket.decision ? (
            <Alert type="success" title={t('decision')} description={ticket.decision.text} style={{ marginTop: 8 }} />
          ) : null}
          {handle && !closed ? (
            <Space wrap style={{ marginTop: 12 }}>
              {!mine ? (
                <Button
                  type="primary"
                  loading={busy}
                  onClick={() => void run(() => act('claim'))}
                  data-testid="desk-claim"
                >
                  {t('claim')}
                </Button>
              ) : null}
              <Button onClick={() => setAction('escalate')}>{t('escalate')}</Button>
              {ticket.complaint && !ticket.sla?.complex ? (
                <Button onClick={() => setAction('complex')}>{t('complex')}</Button>
              ) : null}
              {ticket.status !== 'resolved' ? (
                <Button onClick={() => setAction('resolve')} data-testid="desk-resolve">
                  {t('resolve')}
                </Button>
              ) : null}
              <Button danger onClick={() => void run(() => act('close'))} data-testid="desk-close">
                {t('close')}
              </Button>
            </Space>
          ) : null}
        </Card>
      </Col>
      <ReasonModal
        open={action !== null}
        title={action ? t(action) : ''}
        label={action === 'resolve' ? t('resolveLabel') : undefined}
        minLength={2}
        onCancel={() => setAction(null)}
        onSubmit={async (reason) => {
          await act(action ?? 'escalate', action === 'resolve' ? { text: reason } : { reason });
          setAction(null);
        }}
      />
    </Row>
  );
}

function DeskMessage(props: { message: StaffMessage; ticketId: string; english: boolean }) {
  const { t } = useSupportOpsT();
  const m = props.message;
  if (m.author === 'system')
    return (
      <Typography.Text type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
        {m.text} · {when(m.createdAt, props.english)}
      </Typography.Text>
    );
  const staff = m.author === 'staff';
  const url = m.attachment
    ? `${staffTicketPath(props.ticketId)}/attachments/${encodeURIComponent(m.attachment.id)}`
    : '';
  return (
    <div
      style={{ display: 'flex', justifyContent: staff ? 'flex-end' : 'flex-start' }}
      data-testid={`desk-${m.author}`}
    >
      <div
        style={{
          maxWidth: '78%',
          padding: '8px 12px',
          borderRadius: 10,
          background: m.internal ? '#fffbe6' : staff ? '#e6f0ff' : '#fff',
          border: m.internal ? '1px dashed #faad14' : '1px solid #eef0f3',
        }}
      >
        <div style={{ fontSize: 12, color: '#646a73', display: 'flex', gap: 8 }}>
          <span>{m.authorName ?? t(`author_${m.author}`)}</span>
          {m.internal ? <Tag color="gold">{t('internal')}</Tag> : null}
          <span>{when(m.createdAt, props.english)}</span>
        </div>
        {m.text ? <div style={{ whiteSpace: 'pre-wrap', marginTop: 2 }}>{m.text}</div> : null}
        {m.attachment ? (
          m.attachment.contentType.startsWith('image/') ? (
            <a href={url} target="_blank" rel="noreferrer">
              <img src={url} alt={m.attachment.fileName} style={{ maxWidth: 220, maxHeight: 220, marginTop: 6 }} />
            </a>
          ) : (
            <a href={url} target="_blank" rel="noreferrer">
              {m.attachment.fileName}
            </a>
          )
        ) : null}
      </div>
    </div>
  );
}
