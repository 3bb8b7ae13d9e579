import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemFrom } from '../platform/http/problem-error.js';
import { messageJson, staffTicketJson, ticketJson } from './dto.js';
import type { SupportService } from './service.js';
import type { SupportActor } from './types.js';

/**
 * A ticket's conversation as server-sent events (docs/support.md): `message` for each new message,
 * `ticket` when the ticket changes, a comment every 15 s. Woken at once in this process and polled
 * once a second for writes by other processes. `?after=` or Last-Event-ID resumes after a message.
 */

const POLL_MS = 1_000;
const HEARTBEAT_MS = 15_000;

export async function streamTicket(
  support: SupportService,
  request: FastifyRequest<{ Params: { id: string }; Querystring: { after?: string } }>,
  reply: FastifyReply,
  actor: SupportActor,
  streams: Set<() => void>,
): Promise<void> {
  const ticketId = request.params.id;
  const audience = actor.kind === 'staff' ? 'staff' : 'holder';
  const first = await support.tickets.changesSince(actor, ticketId, null);
  if (!first) throw problemFrom({ code: 'TICKET_NOT_FOUND' });
  const lastEventId = request.headers['last-event-id'];
  const resumeFrom = request.query.after ?? (typeof lastEventId === 'string' ? lastEventId : undefined);
  const resumeSeq = resumeFrom ? await support.tickets.seqOf(ticketId, resumeFrom) : null;
  // Without a resume point the stream starts from now: the client loaded the history with GET.
  let cursor: string | null =
    resumeSeq ?? (first.messages.length > 0 ? first.messages[first.messages.length - 1].seq : '0');
  let ticketStamp = first.ticket.updated_at.getTime();
  const holder = audience === 'staff' ? await support.holderOf(first.ticket.user_id) : null;

  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  reply.raw.write('retry: 3000\n\n');
  let closed = false;
  let busy = false;
  let again = false;
  const push = async () => {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const changes = await support.tickets.changesSince(actor, ticketId, cursor);
        if (!changes || closed) return;
        for (const message of changes.messages) {
          cursor = message.seq;
          reply.raw.write(
            `id: ${message.id}\nevent: message\ndata: ${JSON.stringify(messageJson(message, audience))}\n\n`,
          );
        }
        if (changes.ticket.updated_at.getTime() !== ticketStamp) {
          ticketStamp = changes.ticket.updated_at.getTime();
          const now = support.deps.clock.now();
          const json =
            audience === 'staff'
              ? staffTicketJson(changes.ticket, now, holder, await support.staffName(changes.ticket.assignee_id))
              : ticketJson(changes.ticket, now);
          reply.raw.write(`event: ticket\ndata: ${JSON.stringify(json)}\n\n`);
        }
      } while (again && !closed);
    } catch (error) {
      request.log.warn({ err: error }, 'ticket stream poll failed');
    } finally {
      busy = false;
    }
  };
  const poll = setInterval(() => void push(), POLL_MS);
  const heartbeat = setInterval(() => reply.raw.write(': ping\n\n'), HEARTBEAT_MS);
  const unsubscribe = support.live.subscribe(ticketId, () => void push());
  const end = () => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(end);
    reply.raw.end();
  };
  streams.add(end);
  request.raw.on('close', end);
  void push();
}
