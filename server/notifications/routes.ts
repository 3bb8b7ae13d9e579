import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Queryable } from '../platform/db/types.js';
import { languageFrom } from '../platform/http/problems.js';
import { sendProblem } from '../platform/http/errors.js';
import type { NotificationService } from './service.js';
import type { PiiCipher } from '../platform/crypto.js';
import { readOutbox } from './sms.js';

export function notificationRoutes(notifications: NotificationService) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { before?: string; limit?: number } }>(
      '/api/v1/notifications',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'listMyNotifications',
          tags: ['notifications'],
          summary: 'My notifications, newest first',
          querystring: Type.Object({
            before: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
          }),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  kind: Type.String(),
                  title: Type.String(),
                  body: Type.String(),
                  createdAt: Type.String(),
                  read: Type.Boolean(),
                }),
              ),
              unread: Type.Integer(),
              nextBefore: Type.Union([Type.String(), Type.Null()]),
            }),
          },
        },
      },
      async (request) => {
        const english = languageFrom(request.headers['accept-language']) === 'en';
        const page = await notifications.list(request.principal?.id as string, request.query);
        return {
          items: page.items.map((n) => ({
            id: n.id,
            kind: n.kind,
            title: english ? n.titleEn : n.titleZh,
            body: english ? n.bodyEn : n.bodyZh,
            createdAt: n.createdAt.toISOString(),
            read: n.read,
          })),
          unread: page.unread,
          nextBefore: page.nextBefore,
        };
      },
    );

    app.post<{ Body: { ids?: string[]; all?: boolean } }>(
      '/api/v1/notifications/read',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'markMyNotificationsRead',
          tags: ['notifications'],
          summary: 'Mark my notifications read',
          body: Type.Object(
            {
              ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
              all: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ marked: Type.Integer() }) },
        },
      },
      async (request) => ({
        marked: await notifications.markRead(
          request.principal?.id as string,
          request.body.all ? 'all' : (request.body.ids ?? []),
        ),
      }),
    );
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The sandbox SMS outbox, for development only: what a real gateway would have delivered. */
export function devOutboxRoutes(db: Queryable, options: { production: boolean; cipher: PiiCipher }) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { phone?: string } }>(
      '/api/dev/outbox',
      { schema: { hide: true, querystring: Type.Object({ phone: Type.Optional(Type.String({ maxLength: 20 })) }) } },
      async (request, reply) => {
        if (options.production) return sendProblem(request, reply, 'NOT_FOUND');
        const messages = await readOutbox(db, options.cipher, { phone: request.query.phone, limit: 100 });
        return { items: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
      },
    );
    app.get('/dev/outbox', { schema: { hide: true } }, async (request, reply) => {
      if (options.production) return sendProblem(request, reply, 'NOT_FOUND');
      const messages = await readOutbox(db, options.cipher, { limit: 100 });
      const cell = (text: string) => `<td>${escapeHtml(text)}</td>`;
      const rows = messages
        .map(
          (m) =>
            `<tr>${cell(m.createdAt.toISOString().replace('T', ' ').slice(0, 19))}${cell(m.phone)}${cell(m.text)}</tr>`,
        )
        .join('');
      const style = [
        'body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#1f2329}',
        'table{border-collapse:collapse;width:100%}',
        'td,th{border-bottom:1px solid #eee;padding:8px;text-align:left;vertical-align:top}',
        'th{background:#fafafa}h1{font-size:20px;color:#c8102e}',
      ].join('');
      const empty = '<tr><td colspan="3">暂无短信 · No messages yet</td></tr>';
      return reply
        .type('text/html; charset=utf-8')
        .send(
          [
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
              '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta http-equiv="refresh" content="5"><title>短信发件箱 · SMS outbox (dev)</title>',
            `<style>${style}</style></head>`,
            '<body><h1>短信发件箱 · SMS outbox</h1><p>开发环境：短信不会真实发送，显示在这里（每 5 秒刷新）。' +
              'Development only: messages are not really sent; they appear here (refreshes every 5 s).</p>',
            '<table><thead><tr><th>时间 Time (UTC)</th><th>手机 Phone</th><th>内容 Text</th></tr></thead>' +
              `<tbody>${rows || empty}</tbody></table></body></html>`,
          ].join('\n'),
        );
    });
  };
}
