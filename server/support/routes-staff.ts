import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { may } from '../ops/roles.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { articleJson, messageJson, staffTicketJson } from './dto.js';
import { UPLOAD_LIMITS, UPLOAD_PROBLEMS, readUpload, sendFile } from './routes-upload.js';
import { ExplanationSchema } from './routes-explain.js';
import { streamTicket } from './routes-stream.js';
import {
  ArticleBody,
  ArticleSchema,
  AttachmentParams,
  Category,
  MessageSchema,
  Reason,
  StaffTicketSchema,
  Status,
  Text,
  TicketParams,
} from './schemas.js';
import type { ArticleInput } from './help.js';
import type { SupportService } from './service.js';
import { REPLY_TEMPLATES } from './templates.js';
import type { SupportActor, TicketCategory, TicketRow, TicketStatus } from './types.js';
import multipart from '@fastify/multipart';

/** The console's side: the queue with SLA timers, the conversation, decisions, articles, the dashboard. */

const tags = ['support'];
const staffOf = (request: FastifyRequest): SupportActor => ({
  kind: 'staff',
  id: request.principal?.id as string,
  roles: request.principal?.roles,
  ip: request.ip,
  requestId: request.id,
});
const Nullable = Type.Union([Type.String(), Type.Null()]);

export function supportStaffRoutes(support: SupportService) {
  return async (app: FastifyInstance) => {
    await app.register(multipart, { limits: UPLOAD_LIMITS });
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });
    const now = () => support.deps.clock.now();
    const view = async (ticket: TicketRow) =>
      staffTicketJson(
        ticket,
        now(),
        await support.holderOf(ticket.user_id),
        await support.staffName(ticket.assignee_id),
      );

    app.get<{
      Querystring: {
        status?: TicketStatus;
        category?: TicketCategory;
        assignee?: 'me' | 'unassigned' | 'any';
        complaint?: boolean;
        breached?: boolean;
        q?: string;
        before?: string;
        limit?: number;
      };
    }>(
      '/api/v1/staff/support/tickets',
      {
        config: may('support.view'),
        schema: {
          operationId: 'listSupportQueue',
          tags,
          summary: 'The ticket queue: complaints by due time first, then the oldest; filters and SLA flags',
          querystring: Type.Object(
            {
              status: Type.Optional(Status),
              category: Type.Optional(Category),
              assignee: Type.Optional(
                Type.Union([Type.Literal('me'), Type.Literal('unassigned'), Type.Literal('any')]),
              ),
              complaint: Type.Optional(Type.Boolean()),
              breached: Type.Optional(Type.Boolean()),
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
              before: Type.Optional(Type.String({ maxLength: 64 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(StaffTicketSchema), nextBefore: Nullable }) },
        },
      },
      async (request) => {
        const query = request.query;
        const limit = query.limit ?? 20;
        const rows = await support.tickets.queue({
          status: query.status ?? null,
          category: query.category ?? null,
          assignee:
            query.assignee === 'me'
              ? { kind: 'staff', id: staffOf(request).id }
              : { kind: query.assignee === 'unassigned' ? 'unassigned' : 'any' },
          complaint: query.complaint ?? null,
          breachedAt: query.breached ? now() : null,
          search: query.q ?? null,
          before: query.before ?? null,
          limit,
        });
        return {
          items: await Promise.all(rows.map(view)),
          nextBefore: rows.length === limit ? rows[rows.length - 1].id : null,
        };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/v1/staff/support/tickets/:id',
      {
        config: may('support.view'),
        schema: {
          operationId: 'getSupportTicket',
          tags,
          summary: 'A ticket with its whole conversation, internal notes included',
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND'],
          response: {
            200: Type.Object({
              ticket: StaffTicketSchema,
              messages: Type.Array(MessageSchema),
              linkedRecords: Type.Array(
                Type.Object({
                  kind: Type.String(),
                  id: Type.String(),
                  explanation: Type.Union([ExplanationSchema, Type.Null()]),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const found = await support.tickets.get(staffOf(request), request.params.id);
        if (!found) throw problemFrom({ code: 'TICKET_NOT_FOUND' });
        const linkedRecords = await Promise.all(
          found.ticket.linked_records.map(async (record) => ({
            ...record,
            explanation: await support.explainRecord(found.ticket.user_id, record),
          })),
        );
        return {
          ticket: await view(found.ticket),
          messages: found.messages.map((m) => messageJson(m, 'staff')),
          linkedRecords,
        };
      },
    );

    const change = (
      path: string,
      operationId: string,
      summary: string,
      problems: string[],
      body: ReturnType<typeof Type.Object> | null,
      run: (actor: SupportActor, id: string, body: Record<string, string>) => ReturnType<typeof support.tickets.claim>,
    ) =>
      app.post<{ Params: { id: string }; Body: Record<string, string> }>(
        `/api/v1/staff/support/tickets/:id/${path}`,
        {
          config: may('support.handle'),
          schema: {
            operationId,
            tags,
            summary,
            params: TicketParams,
            ...(body ? { body } : {}),
            problems: ['TICKET_NOT_FOUND', ...problems] as never,
            response: { 200: StaffTicketSchema },
          },
        },
        async (request) => {
          const done = await run(staffOf(request), request.params.id, request.body ?? {});
          if (!done.ok) throw problemFrom(done.error);
          return view(done.value);
        },
      );

    const reasonBody = Type.Object({ reason: Reason }, { additionalProperties: false });
    change(
      'claim',
      'claimSupportTicket',
      'Take the ticket',
      ['TICKET_CLOSED', 'TICKET_CLAIMED_BY_OTHER'],
      null,
      (a, id) => support.tickets.claim(a, id),
    );
    change(
      'complex',
      'markSupportComplaintComplex',
      'Mark a complaint complex: decided within 30 days of receipt instead of 15 (the reason is told to the holder)',
      ['TICKET_CLOSED', 'TICKET_NOT_COMPLAINT', 'TICKET_ALREADY_COMPLEX'],
      reasonBody,
      (a, id, body) => support.tickets.markComplex(a, id, body.reason),
    );
    change(
      'escalate',
      'escalateSupportTicket',
      'Escalate to a supervisor',
      ['TICKET_CLOSED'],
      reasonBody,
      (a, id, body) => support.tickets.escalate(a, id, body.reason),
    );
    change(
      'resolve',
      'resolveSupportTicket',
      'Give the answer, or for a complaint the decision (told to the holder with how to escalate)',
      ['TICKET_CLOSED'],
      Type.Object({ text: Type.String({ minLength: 2, maxLength: 4000 }) }, { additionalProperties: false }),
      (a, id, body) => support.tickets.resolve(a, id, body.text),
    );
    change('close', 'closeSupportTicket', 'Close the ticket', ['TICKET_CLOSED', 'TICKET_NOT_RESOLVED'], null, (a, id) =>
      support.tickets.close(a, id),
    );

    app.post<{ Params: { id: string }; Body: { text: string; internal?: boolean } }>(
      '/api/v1/staff/support/tickets/:id/messages',
      {
        config: may('support.handle'),
        schema: {
          operationId: 'postSupportMessage',
          tags,
          summary: 'Reply to the holder, or write an internal note only staff see',
          params: TicketParams,
          body: Type.Object(
            {
              text: Text,
              internal: Type.Optional(Type.Boolean()),
              templateId: Type.Optional(Type.String({ maxLength: 40 })),
            },
            { additionalProperties: false },
          ),
          problems: ['TICKET_NOT_FOUND', 'TICKET_CLOSED'],
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) => {
        const posted = await support.tickets.postMessage(staffOf(request), request.params.id, request.body);
        if (!posted.ok) throw problemFrom(posted.error);
        return reply.code(201).send(messageJson(posted.value, 'staff'));
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/v1/staff/support/tickets/:id/attachments',
      {
        config: may('support.handle'),
        schema: {
          operationId: 'attachToSupportTicket',
          tags,
          summary: 'Attach an image or PDF to the conversation (multipart field `file`, optional `text`)',
          consumes: ['multipart/form-data'],
          params: TicketParams,
          problems: ['TICKET_NOT_FOUND', 'TICKET_CLOSED', ...UPLOAD_PROBLEMS],
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) => {
        const { upload, text } = await readUpload(request);
        const attached = await support.tickets.attach(staffOf(request), request.params.id, upload, text);
        if (!attached.ok) throw problemFrom(attached.error);
        return reply.code(201).send(messageJson(attached.value, 'staff'));
      },
    );

    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/api/v1/staff/support/tickets/:id/attachments/:attachmentId',
      {
        config: may('support.view'),
        schema: {
          operationId: 'getSupportAttachment',
          tags,
          summary: 'An attachment of a ticket',
          params: AttachmentParams,
          problems: ['TICKET_NOT_FOUND', 'ATTACHMENT_NOT_FOUND'],
        },
      },
      async (request, reply) => {
        const file = await support.tickets.readAttachment(
          staffOf(request),
          request.params.id,
          request.params.attachmentId,
        );
        if (!file.ok) throw problemFrom(file.error);
        return sendFile(reply, file.value);
      },
    );

    app.get<{ Params: { id: string }; Querystring: { after?: string } }>(
      '/api/v1/staff/support/tickets/:id/events',
      {
        config: may('support.view'),
        schema: {
          operationId: 'streamSupportTicket',
          tags,
          summary: 'Server-sent events of the conversation, internal notes included',
          params: TicketParams,
          querystring: Type.Object(
            { after: Type.Optional(Type.String({ maxLength: 64 })) },
            { additionalProperties: false },
          ),
          problems: ['TICKET_NOT_FOUND'],
        },
      },
      async (request, reply) => streamTicket(support, request, reply, staffOf(request), streams),
    );

    app.get(
      '/api/v1/staff/support/templates',
      {
        config: may('support.view'),
        schema: {
          operationId: 'listSupportTemplates',
          tags,
          summary: 'Reply templates',
          problems: ['FORBIDDEN'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  titleZh: Type.String(),
                  titleEn: Type.String(),
                  bodyZh: Type.String(),
                  bodyEn: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: REPLY_TEMPLATES }),
    );

    app.get<{ Querystring: { days?: number } }>(
      '/api/v1/staff/support/dashboard',
      {
        config: may('support.view'),
        schema: {
          operationId: 'getSupportDashboard',
          tags,
          summary: 'Volumes, categories, the complaint clock and satisfaction over the last days',
          querystring: Type.Object(
            { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              open: Type.Integer(),
              inProgress: Type.Integer(),
              resolved: Type.Integer(),
              byCategory: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer() })),
              daily: Type.Array(Type.Object({ day: Type.String(), opened: Type.Integer(), closed: Type.Integer() })),
              sla: Type.Object({
                complaintsOpen: Type.Integer(),
                breached: Type.Integer(),
                dueWithin3Days: Type.Integer(),
                decidedInTime: Type.Integer(),
                decidedLate: Type.Integer(),
                medianFirstReplyMinutes: Type.Union([Type.Number(), Type.Null()]),
              }),
              satisfaction: Type.Object({ rated: Type.Integer(), average: Type.Union([Type.Number(), Type.Null()]) }),
            }),
          },
        },
      },
      async (request) => {
        const d = await support.tickets.dashboard(request.query.days ?? 30);
        const count = (status: string) => d.byStatus.find((row) => row.status === status)?.n ?? 0;
        return {
          open: count('open'),
          inProgress: count('in_progress'),
          resolved: count('resolved'),
          byCategory: d.byCategory.map((row) => ({ category: row.category, count: row.n })),
          daily: d.daily,
          sla: {
            complaintsOpen: d.sla.complaints_open,
            breached: d.sla.breached,
            dueWithin3Days: d.sla.due_soon,
            decidedInTime: d.sla.in_time,
            decidedLate: d.sla.late,
            medianFirstReplyMinutes: d.firstReplyMinutes === null ? null : Math.round(d.firstReplyMinutes),
          },
          satisfaction: { rated: d.rating.rated, average: d.rating.average },
        };
      },
    );

    app.get(
      '/api/v1/staff/help/articles',
      {
        config: may('support.articles'),
        schema: {
          operationId: 'listHelpArticlesForEditing',
          tags,
          summary: 'Every help article in full, for editing',
          problems: ['FORBIDDEN'],
          response: { 200: Type.Object({ items: Type.Array(ArticleSchema) }) },
        },
      },
      async () => ({ items: (await support.help.search({})).map(articleJson) }),
    );

    app.put<{ Params: { slug: string }; Body: ArticleInput & { expectedVersion: number } }>(
      '/api/v1/staff/help/articles/:slug',
      {
        config: may('support.articles'),
        schema: {
          operationId: 'saveHelpArticle',
          tags,
          summary:
            'Save a new version of an article, published at once (expectedVersion: the one edited; ' +
            '0 creates it); audited',
          params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }) }),
          body: ArticleBody,
          problems: ['HELP_ARTICLE_VERSION_CONFLICT'],
          response: { 200: ArticleSchema },
        },
      },
      async (request) => {
        const { expectedVersion, ...input } = request.body;
        const saved = await support.help.save(staffOf(request), request.params.slug, input, expectedVersion);
        if (!saved.ok) throw problemFrom(saved.error);
        return articleJson(saved.value);
      },
    );

    app.get<{ Params: { slug: string; version: number } }>(
      '/api/v1/staff/help/articles/:slug/versions/:version',
      {
        config: may('support.articles'),
        schema: {
          operationId: 'getHelpArticleVersion',
          tags,
          summary: 'One saved version of an article in full',
          params: Type.Object({
            slug: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }),
            version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          }),
          problems: ['HELP_ARTICLE_NOT_FOUND'],
          response: {
            200: Type.Object({
              ...ArticleSchema.properties,
              editedBy: Type.String(),
              editedAt: Type.String(),
            }),
          },
        },
      },
      async (request) => {
        const row = await support.help.version(request.params.slug, request.params.version);
        if (!row) throw problemFrom({ code: 'HELP_ARTICLE_NOT_FOUND' });
        return {
          ...articleJson({
            slug: row.slug,
            category: row.category,
            version: row.version,
            content: row.content,
            updated_by: row.edited_by,
            updated_at: row.edited_at,
          }),
          editedBy: row.edited_by,
          editedAt: row.edited_at.toISOString(),
        };
      },
    );

    app.get<{ Params: { slug: string } }>(
      '/api/v1/staff/help/articles/:slug/versions',
      {
        config: may('support.articles'),
        schema: {
          operationId: 'listHelpArticleVersions',
          tags,
          summary: 'Every saved version of an article, newest first',
          params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }) }),
          problems: ['HELP_ARTICLE_NOT_FOUND'],
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  version: Type.Integer(),
                  titleZh: Type.String(),
                  titleEn: Type.String(),
                  editedBy: Type.String(),
                  editedAt: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const rows = await support.help.versions(request.params.slug);
        if (rows.length === 0) throw problemFrom({ code: 'HELP_ARTICLE_NOT_FOUND' });
        return {
          items: rows.map((row) => ({
            version: row.version,
            titleZh: row.content.titleZh,
            titleEn: row.content.titleEn,
            editedBy: row.edited_by,
            editedAt: row.edited_at.toISOString(),
          })),
        };
      },
    );
  };
}
