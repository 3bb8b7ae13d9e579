import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { problemFrom } from '../platform/http/problem-error.js';
import { articleJson, articleSummaryJson, messageJson, ticketJson } from './dto.js';
import { HELP_CATEGORIES } from './help-defaults.js';
import { UPLOAD_LIMITS, UPLOAD_PROBLEMS, readUpload, sendFile } from './routes-upload.js';
import { streamTicket } from './routes-stream.js';
import { ESCALATION } from './sla.js';
import {
  ArticleSchema,
  ArticleSummarySchema,
  AttachmentParams,
  Category,
  LinkedRecordSchema,
  MessageSchema,
  TicketParams,
  TicketSchema,
  Text,
} from './schemas.js';
import type { SupportService } from './service.js';
import type { LinkedRecord, SupportActor, TicketCategory } from './types.js';

/** The holder's side of customer service, and the public contact and help pages. */

const tags = ['support'];
const user = { auth: ['user'] as const };
const holder = (request: FastifyRequest): SupportActor => ({
  kind: 'user',
  id: request.principal?.id as string,
  ip: request.ip,
  requestId: request.id,
});
const Nothing = { 204: Type.Null() };

export function supportRoutes(support: SupportService) {
  return async (app: FastifyInstance) => {
    await app.register(multipart, { limits: UPLOAD_LIMITS });
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    const now = () => support.deps.clock.now();

    app.get(
      '/api/v1/support/contact',
      {
        schema: {
          operationId: 'getSupportContact',
          tags,
          summary: 'Hotline, online support hours, the complaint channel and official announcements',
          response: {
            200: Type.Object({
              hotline: Type.String(),
              hotlineHoursZh: Type.String(),
              hotlineHoursEn: Type.String(),
              onlineSupport: Type.Object({
                hoursZh: Type.String(),
                hoursEn: Type.String(),
                withinHours: Type.Boolean({ description: 'Now is within the online-support hours' }),
                availableNow: Type.Boolean({
                  description:
                    'An agent is on now: within the hours and a support agent used the console in the last 10 min',
                }),
              }),
              complaint: Type.Object({
                titleZh: Type.String(),
                titleEn: Type.String(),
                textZh: Type.String(),
                textEn: Type.String(),
                deadlineDays: Type.Integer(),
                escalationZh: Type.String(),
                escalationEn: Type.String(),
                newTicketPath: Type.String(),
              }),
              email: Type.String(),
              announcements: Type.Array(
                Type.Object({
                  id: Type.String(),
                  titleZh: Type.String(),
                  titleEn: Type.String(),
                  bodyZh: Type.String(),
                  bodyEn: Type.String(),
                  startsAt: Type.String(),
                  endsAt: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async () => {
        const contact = await support.contact();
        return {
          hotline: contact.hotline,
          hotlineHoursZh: contact.hotlineHoursZh,
          hotlineHoursEn: contact.hotlineHoursEn,
          onlineSupport: {
            hoursZh: contact.onlineHoursZh,
            hoursEn: contact.onlineHoursEn,
            withinHours: contact.withinHours,
            availableNow: contact.agentOnline,
          },
          complaint: { ...contact.complaint, escalationZh: ESCALATION.zh, escalationEn: ESCALATION.en },
          email: contact.email,
          announcements: contact.announcements.map((a) => ({
            id: a.id,
            titleZh: a.titleZh,
            titleEn: a.titleEn,
            bodyZh: a.messageZh,
            bodyEn: a.messageEn,
            startsAt: a.startsAt.toISOString(),
            endsAt: a.endsAt.toISOString(),
          })),
        };
      },
    );

    app.get<{ Querystring: { q?: string; category?: string } }>(
      '/api/v1/help/articles',
      {
        schema: {
          operationId: 'searchHelpArticles',
          tags,
          summary: 'Help-centre articles, all or those matching the words of q (zh or en)',
          querystring: Type.Object(
            {
              q: Type.Optional(Type.String({ maxLength: 50 })),
              category: Type.Optional(Type.Union(HELP_CATEGORIES.map((c) => Type.Literal(c)))),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(ArticleSummarySchema) }) },
        },
      },
      async (request) => ({ items: (await support.help.search(request.query)).map(articleSummaryJson) }),
    );

    app.get<{ Params: { slug: string } }>(
      '/api/v1/help/articles/:slug',
      {
        schema: {
          operationId: 'getHelpArticle',
          tags,
          summary: 'One help-centre article with the links to the pages that do the thing',
          params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }) }),
          problems: ['HELP_ARTICLE_NOT_FOUND'],
          response: { 200: ArticleSchema },
        },
      },
      async (request) => {
        const found = await support.help.get(request.params.slug);
        if (!found) throw problemFrom({ code: 'HELP_ARTICLE_NOT_FOUND' });
        return articleJson(found);
      },
    );

    app.post<{ Body: { category: TicketCategory; subject: string; text: string; linkedRecords?: LinkedRecord[] } }>(
      '/api/v1/support/tickets',
      {
        config: user,
        schema: {
          operationId: 'openSupportTicket',
          tags,
          summary: 'Open a ticket: a complaint (the 15-day clock starts), feedback or a question',
          body: Type.Object(
            {
              category: Category,
              subject: Type.String({ minLength: 1, maxLength: 120 }),
              text: Text,
              linkedRecords: Type.Optional(Type.Array(LinkedRecordSchema, { maxItems: 5 })),
            },
            { additionalProperties: false },
          ),
          problems: ['SUPPORT_RECORD_NOT_FOUND', 'SUPPORT_TOO_MANY_OPEN_TICKETS'],
          response: { 201: TicketSchema },
        },
      },
      async (request, reply) => {
        const opened = await support.tickets.open(holder(request).id, request.body);
        if (!opened.ok) throw problemFrom(opened.error);
        return reply.code(201).send(ticketJson(opened.value, now()));
      },
    );

    app.get<{ Querystring: { status?: 'open' | 'closed'; before?: string; limit?: number } }>(
      '/api/v1/support/tickets',
      {
        config: user,
        schema: {
          operationId: 'listMySupportTickets',
          tags,
          summary: 'My tickets, newest first (open: anything not closed)',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ items: Type.Array(TicketSchema), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
          },
        },
      },
      async (request) => {
        const { status, before, limit } = request.query;
        const page = await support.tickets.listMine(holder(request).id, {
          closed: status === undefined ? null : status === 'closed',
          before,
          limit,
        });
        return { items: page.items.map((t) => ticketJson(t, now())), nextBefore: page.nextBefore };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/support/tickets/:id',
      {
        config: user,
        schema: {
          operationId: 'getMySupportTicket',
          tags,
          summary: 'One of my tickets with its conversation',
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND'],
          response: { 200: Type.Object({ ticket: TicketSchema, messages: Type.Array(MessageSchema) }) },
        },
      },
      async (request) => {
        const found = await support.tickets.get(holder(request), request.params.id);
        if (!found) throw problemFrom({ code: 'TICKET_NOT_FOUND' });
        return {
          ticket: ticketJson(found.ticket, now()),
          messages: found.messages.map((m) => messageJson(m, 'holder')),
        };
      },
    );

    app.post<{ Params: { id: string }; Body: { text: string } }>(
      '/api/v1/support/tickets/:id/messages',
      {
        config: user,
        schema: {
          operationId: 'postMySupportMessage',
          tags,
          summary: 'Write to support on my ticket',
          params: TicketParams,
          body: Type.Object({ text: Text }, { additionalProperties: false }),
          problems: ['TICKET_NOT_FOUND', 'TICKET_CLOSED'],
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) => {
        const posted = await support.tickets.postMessage(holder(request), request.params.id, request.body);
        if (!posted.ok) throw problemFrom(posted.error);
        return reply.code(201).send(messageJson(posted.value, 'holder'));
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/support/tickets/:id/attachments',
      {
        config: user,
        schema: {
          operationId: 'attachToMySupportTicket',
          tags,
          summary: 'Attach an image or PDF (multipart field `file`, optional `text`), checked like KYC documents',
          consumes: ['multipart/form-data'],
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', ...UPLOAD_PROBLEMS],
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) => {
        const { upload, text } = await readUpload(request);
        const attached = await support.tickets.attach(holder(request), request.params.id, upload, text);
        if (!attached.ok) throw problemFrom(attached.error);
        return reply.code(201).send(messageJson(attached.value, 'holder'));
      },
    );

    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/api/v1/support/tickets/:id/attachments/:attachmentId',
      {
        config: user,
        schema: {
          operationId: 'getMySupportAttachment',
          tags,
          summary: 'An attachment of my ticket (never cached, never sniffed)',
          params: AttachmentParams,
          problems: ['TICKET_NOT_FOUND', 'ATTACHMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const file = await support.tickets.readAttachment(
          holder(request),
          request.params.id,
          request.params.attachmentId,
        );
        if (!file.ok) throw problemFrom(file.error);
        return sendFile(reply, file.value);
      },
    );

    app.post<{ Params: { id: string }; Body: { score: number; comment?: string } }>(
      '/api/v1/support/tickets/:id/rating',
      {
        config: user,
        schema: {
          operationId: 'rateMySupportTicket',
          tags,
          summary: 'Rate how my resolved ticket was handled (1–5); the ticket closes',
          params: TicketParams,
          body: Type.Object(
            {
              score: Type.Integer({ minimum: 1, maximum: 5 }),
              comment: Type.Optional(Type.String({ maxLength: 500 })),
            },
            { additionalProperties: false },
          ),
          problems: ['TICKET_NOT_FOUND', 'TICKET_NOT_RESOLVED', 'TICKET_ALREADY_RATED'],
          response: { 200: TicketSchema },
        },
      },
      async (request) => {
        const { score, comment } = request.body;
        const rated = await support.tickets.rate(holder(request).id, request.params.id, score, comment ?? null);
        if (!rated.ok) throw problemFrom(rated.error);
        return ticketJson(rated.value, now());
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/support/tickets/:id/withdraw',
      {
        config: user,
        schema: {
          operationId: 'withdrawMySupportTicket',
          tags,
          summary: 'Withdraw my ticket (it closes)',
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND', 'TICKET_CLOSED'],
          response: { 200: TicketSchema },
        },
      },
      async (request) => {
        const withdrawn = await support.tickets.withdraw(holder(request).id, request.params.id);
        if (!withdrawn.ok) throw problemFrom(withdrawn.error);
        return ticketJson(withdrawn.value, now());
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/support/tickets/:id/read',
      {
        config: user,
        schema: {
          operationId: 'markMySupportTicketRead',
          tags,
          summary: 'I have read support’s replies on this ticket',
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND'],
          response: Nothing,
        },
      },
      async (request, reply) => {
        if (!(await support.tickets.markRead(holder(request).id, request.params.id)))
          throw problemFrom({ code: 'TICKET_NOT_FOUND' });
        return reply.code(204).send();
      },
    );

    app.get<{ Params: { id: string }; Querystring: { after?: string } }>(
      '/api/v1/support/tickets/:id/events',
      {
        config: user,
        schema: {
          operationId: 'streamMySupportTicket',
          tags,
          summary: 'Server-sent events: `message` for each new message, `ticket` when it changes',
          params: TicketParams,
          querystring: Type.Object(
            { after: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          problems: ['TICKET_NOT_FOUND'],
        },
      },
      async (request, reply) => streamTicket(support, request, reply, holder(request), streams),
    );
  };
}
