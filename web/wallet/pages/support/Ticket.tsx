import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Rate, TextArea, Toast } from 'antd-mobile';
import { PictureOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { ProblemView } from '../../components/ProblemView';
import { Conversation } from '../../components/support/Conversation';
import { StatusTag } from '../../components/support/TicketBits';
import { formatDateTime } from '../../format';
import {
  type Message,
  type Ticket,
  followTicket,
  markTicketRead,
  pick,
  rateTicket,
  sendAttachment,
  sendMessage,
  ticketPath,
  useTicket,
  withdrawTicket,
} from '../../support-api';
import '../../support.css';

type Conversation = { ticket: Ticket; messages: Message[] };

/**
 * One ticket: its status and deadline, the conversation with support (live over server-sent events,
 * so it is an online chat when an agent is on), the decision and how to escalate, and the rating.
 */
export default function TicketPage() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const { id = '' } = useParams();
  const refused = (useLocation().state as { refused?: string[] } | null)?.refused ?? [];
  const client = useQueryClient();
  const conversation = useTicket(id);
  const key = ['support', 'ticket', id];
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(refused.length ? refused.join('\n') : null);
  const [live, setLive] = useState(false);
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const loaded = conversation.isSuccess;
  const lastId = conversation.data?.messages.at(-1)?.id;

  const append = (message: Message) =>
    client.setQueryData<Conversation>(key, (current) =>
      current && !current.messages.some((m) => m.id === message.id)
        ? { ...current, messages: [...current.messages, message] }
        : current,
    );

  // Follow the conversation once its history is loaded; newer messages arrive as events.
  // biome-ignore lint/correctness/useExhaustiveDependencies: starts once per ticket, after the first load
  useEffect(() => {
    if (!loaded) return;
    return followTicket(`${ticketPath(id)}/events`, lastId, {
      message: (message) => {
        append(message);
        if (message.author !== 'holder') void markTicketRead(id).catch(() => undefined);
      },
      ticket: (ticket) =>
        client.setQueryData<Conversation>(key, (current) => (current ? { ...current, ticket } : current)),
      open: setLive,
    });
  }, [id, loaded]);

  useEffect(() => {
    if (loaded && (conversation.data?.ticket.unreadForHolder ?? 0) > 0)
      void markTicketRead(id)
        .then(() => client.invalidateQueries({ queryKey: ['support', 'tickets'] }))
        .catch(() => undefined);
  }, [loaded, id, conversation.data?.ticket.unreadForHolder, client]);

  if (conversation.isPending) return <Loading />;
  if (conversation.error || !conversation.data)
    return (
      <div className="tb-page">
        <PageHeader title={t('support.tickets.title')} back="/support/tickets" />
        <ProblemView error={conversation.error} onRetry={() => void conversation.refetch()} />
      </div>
    );
  const { ticket, messages } = conversation.data;
  const closed = ticket.status === 'closed';

  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setBanner(null);
    try {
      append(await sendMessage(id, text.trim()));
      setText('');
    } catch (failure) {
      setBanner(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const attach = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setBanner(null);
    try {
      append(await sendAttachment(id, file));
    } catch (failure) {
      setBanner(`${file.name}: ${errorMessage(failure)}`);
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const update = (next: Ticket) => client.setQueryData<Conversation>(key, (c) => (c ? { ...c, ticket: next } : c));

  return (
    <div className="tb-page tb-sup-chat-page">
      <PageHeader title={t('support.tickets.title')} back="/support/tickets" />
      <section className="tb-sup-ticket-head" aria-labelledby="ticket-subject">
        <div className="tb-sup-alert-head">
          <h2 id="ticket-subject" data-testid="ticket-subject">
            {ticket.subject}
          </h2>
          <StatusTag status={ticket.status} />
        </div>
        <p className="tb-muted tb-sup-meta">
          {t(`support.tickets.categories.${ticket.category}`, { defaultValue: ticket.category })} ·{' '}
          {t('support.tickets.created', { time: formatDateTime(ticket.createdAt) })}
        </p>
        <p className="tb-muted tb-sup-meta">
          {t('support.tickets.reference')}: <span className="tb-mono tb-sup-ref">{ticket.id}</span>
        </p>
        {ticket.sla ? (
          <div className={`tb-sup-sla${ticket.sla.breached ? ' tb-sup-sla-late' : ''}`} data-testid="ticket-sla">
            {ticket.acknowledgedAt ? (
              <div>{t('support.tickets.acknowledged', { time: formatDateTime(ticket.acknowledgedAt) })}</div>
            ) : null}
            {ticket.sla.decidedAt ? null : (
              <div>
                {t('support.tickets.dueBy', { time: formatDateTime(ticket.sla.dueAt) })} ·{' '}
                <strong>
                  {ticket.sla.breached
                    ? t('support.tickets.overdue')
                    : t('support.tickets.daysLeft', { count: ticket.sla.daysLeft })}
                </strong>
              </div>
            )}
            {ticket.sla.complex ? (
              <div>{t('support.tickets.complex', { reason: ticket.sla.complexReason ?? '' })}</div>
            ) : null}
          </div>
        ) : null}
        {ticket.disputeId ? (
          <Link to={`/support/disputes/${ticket.disputeId}`} className="tb-sup-link">
            {t('support.tickets.dispute')} ›
          </Link>
        ) : null}
      </section>

      {ticket.decision ? (
        <section className="tb-sup-decision" aria-labelledby="decision-title" data-testid="ticket-decision">
          <h2 id="decision-title">{t('support.tickets.decision')}</h2>
          <p>{ticket.decision.text}</p>
          <p className="tb-fineprint">
            {t('support.tickets.escalate')}: {pick(english, ticket.decision.escalationZh, ticket.decision.escalationEn)}
          </p>
        </section>
      ) : null}

      <Conversation messages={messages} mine="holder" ticketUrl={ticketPath(id)} />
      {!closed ? (
        <p className="tb-sup-live" role="status">
          <span className={live ? 'tb-sup-dot-on' : 'tb-sup-dot-off'} aria-hidden />
          {t('support.tickets.live')}
        </p>
      ) : null}

      {ticket.status === 'resolved' && !ticket.rating ? (
        <section className="tb-sup-rate" aria-labelledby="rate-title">
          <h2 id="rate-title">{t('support.tickets.rateTitle')}</h2>
          <Rate value={score} onChange={setScore} aria-label={t('support.tickets.rateTitle')} />
          <TextArea
            value={comment}
            onChange={setComment}
            rows={2}
            maxLength={500}
            placeholder={t('support.tickets.rateComment')}
          />
          <Button
            block
            color="primary"
            disabled={score < 1}
            onClick={async () => {
              try {
                update(await rateTicket(id, score, comment.trim()));
                Toast.show({ icon: 'success', content: t('support.tickets.thanks') });
              } catch (failure) {
                setBanner(errorMessage(failure));
              }
            }}
            data-testid="rate-submit"
          >
            {t('support.tickets.rateSubmit')}
          </Button>
        </section>
      ) : null}
      {ticket.rating ? (
        <p className="tb-center tb-muted">{t('support.tickets.rated', { score: ticket.rating.score })}</p>
      ) : null}

      {closed ? (
        <p className="tb-center tb-muted tb-sup-closed">{t('support.tickets.closedNote')}</p>
      ) : (
        <>
          {ticket.status !== 'resolved' ? (
            <div className="tb-center">
              <Button
                size="small"
                fill="none"
                onClick={async () => {
                  if (!(await Dialog.confirm({ content: t('support.tickets.withdrawConfirm') }))) return;
                  try {
                    update(await withdrawTicket(id));
                  } catch (failure) {
                    setBanner(errorMessage(failure));
                  }
                }}
              >
                {t('support.tickets.withdraw')}
              </Button>
            </div>
          ) : null}
          <div className="tb-sup-composer">
            <ErrorBanner message={banner} />
            <div className="tb-sup-composer-row">
              <button
                type="button"
                className="tb-icon-button"
                aria-label={t('support.tickets.attach')}
                onClick={() => fileInput.current?.click()}
              >
                <PictureOutline aria-hidden />
              </button>
              <input
                ref={fileInput}
                className="tb-visually-hidden"
                type="file"
                accept="image/jpeg,image/png,application/pdf"
                onChange={(event) => void attach(event.target.files?.[0])}
                data-testid="chat-file"
                tabIndex={-1}
              />
              <TextArea
                value={text}
                onChange={setText}
                autoSize={{ minRows: 1, maxRows: 4 }}
                maxLength={4000}
                placeholder={t('support.tickets.inputPlaceholder')}
                aria-label={t('support.tickets.inputPlaceholder')}
                data-testid="chat-input"
              />
              <Button
                color="primary"
                size="small"
                loading={busy}
                disabled={!text.trim()}
                onClick={() => void send()}
                data-testid="chat-send"
              >
                {t('support.tickets.send')}
              </Button>
            </div>
          </div>
        </>
      )}
    </div>
  );
}
