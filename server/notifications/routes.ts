import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { shanghaiTime } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { languageFrom } from '../platform/http/problems.js';
import { sendProblem } from '../platform/http/errors.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from './preferences.js';
import type { NotificationService, PreferenceView } from './service.js';
import type { PiiCipher } from '../platform/crypto.js';
import { readEmailOutbox } from './email.js';
import { readOutbox } from './sms.js';

const Category = Type.Union(NOTIFICATION_CATEGORIES.map((category) => Type.Literal(category)));
const Preferences = Type.Object({
  items: Type.Array(
    Type.Object({
      category: Category,
      inApp: Type.Boolean(),
      sms: Type.Boolean(),
      email: Type.Boolean({ description: 'Used only while `emailAvailable`' }),
      locked: Type.Boolean({ description: 'Security notices: every channel stays on' }),
    }),
  ),
  emailAvailable: Type.Boolean({ description: 'The holder has a verified e-mail address' }),
});

export function notificationRoutes(notifications: NotificationService) {
  const answer = async (userId: string, items: PreferenceView[]) => ({
    items,
    emailAvailable: await notifications.emailAvailable(userId),
  });
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/me/notification-preferences',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'getMyNotificationPreferences',
          tags: ['notifications'],
          summary: 'Which channels carry each category of my notifications',
          response: { 200: Preferences },
        },
      },
      async (request) => {
        const userId = request.principal?.id as string;
        return answer(userId, await notifications.preferences(userId));
      },
    );

    app.put<{
      Body: { items: { category: NotificationCategory; inApp?: boolean; sms?: boolean; email?: boolean }[] };
    }>(
      '/api/v1/me/notification-preferences',
      {
        config: { auth: ['user'] },
        schema: {
          operationId: 'setMyNotificationPreferences',
          tags: ['notifications'],
          summary: 'Choose the channels of some categories; security notices cannot be turned off',
          description:
            'Only the categories and channels given change. Turning off any channel of a locked category ' +
            '(security) answers 409 `NOTIFICATION_PREFERENCE_LOCKED` and saves nothing.',
          body: Type.Object(
            {
              items: Type.Array(
                Type.Object(
                  {
                    category: Category,
                    inApp: Type.Optional(Type.Boolean()),
                    sms: Type.Optional(Type.Boolean()),
                    email: Type.Optional(Type.Boolean()),
                  },
                  { additionalProperties: false },
                ),
                { minItems: 1, maxItems: NOTIFICATION_CATEGORIES.length },
              ),
            },
            { additionalProperties: false },
          ),
          problems: ['NOTIFICATION_PREFERENCE_LOCKED'],
          response: { 200: Preferences },
        },
      },
      async (request) => {
        const userId = request.principal?.id as string;
        const saved = await notifications.setPreferences(userId, request.body.items);
        if (!saved.ok) throw problemFrom(saved.error);
        return answer(userId, saved.value);
      },
    );

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
const cell = (text: string) => `<td>${escapeHtml(text)}</td>`;
// Beijing time, as the app shows it.
const when = shanghaiTime;

function outboxPage(title: string, sections: string[]): string {
  const style = [
    'body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:24px;color:#1f2329}',
    'table{border-collapse:collapse;width:100%}',
    'td,th{border-bottom:1px solid #eee;padding:8px;text-align:left;vertical-align:top;white-space:pre-wrap}',
    'th{background:#fafafa}h1{font-size:20px;color:#c8102e}h2{font-size:16px;margin-top:28px}',
  ].join('');
  return [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="refresh" content="5"><title>${title} (dev)</title>`,
    `<style>${style}</style></head>`,
    `<body><h1>${title}</h1><p>开发环境：短信和邮件不会真实发送，显示在这里（每 5 秒刷新）。` +
      'Development only: texts and e-mails are not really sent; they appear here (refreshes every 5 s).</p>',
    ...sections,
    '</body></html>',
  ].join('\n');
}

function emailTable(messages: Awaited<ReturnType<typeof readEmailOutbox>>): string {
  const rows = messages
    .map((m) => `<tr>${cell(when(m.createdAt))}${cell(m.to)}${cell(m.subject)}${cell(m.text)}</tr>`)
    .join('');
  const empty = '<tr><td colspan="4">暂无邮件 · No e-mails yet</td></tr>';
  return (
    '<h2 id="email">邮件 · E-mail</h2><table><thead><tr><th>北京时间 Time (Beijing, UTC+8)</th><th>收件人 To</th>' +
    `<th>主题 Subject</th><th>内容 Text</th></tr></thead><tbody>${rows || empty}</tbody></table>`
  );
}

/** The sandbox SMS and e-mail outboxes, for development only: what the real gateways would have delivered. */
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
    app.get<{ Querystring: { to?: string } }>(
      '/api/dev/email-outbox',
      { schema: { hide: true, querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }) } },
      async (request, reply) => {
        if (options.production) return sendProblem(request, reply, 'NOT_FOUND');
        const messages = await readEmailOutbox(db, options.cipher, { to: request.query.to, limit: 100 });
        return { items: messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })) };
      },
    );
    app.get('/dev/outbox', { schema: { hide: true } }, async (request, reply) => {
      if (options.production) return sendProblem(request, reply, 'NOT_FOUND');
      const messages = await readOutbox(db, options.cipher, { limit: 100 });
      const rows = messages.map((m) => `<tr>${cell(when(m.createdAt))}${cell(m.phone)}${cell(m.text)}</tr>`).join('');
      const empty = '<tr><td colspan="3">暂无短信 · No messages yet</td></tr>';
      const sms =
        '<h2 id="sms">短信 · SMS</h2><table><thead><tr><th>北京时间 Time (Beijing, UTC+8)</th><th>手机 Phone</th>' +
        `<th>内容 Text</th></tr></thead><tbody>${rows || empty}</tbody></table>`;
      const mail = emailTable(await readEmailOutbox(db, options.cipher, { limit: 100 }));
      return reply
        .type('text/html; charset=utf-8')
        .send(outboxPage('短信与邮件发件箱 · SMS and e-mail outbox', [sms, mail]));
    });
    app.get('/dev/email-outbox', { schema: { hide: true } }, async (request, reply) => {
      if (options.production) return sendProblem(request, reply, 'NOT_FOUND');
      const mail = emailTable(await readEmailOutbox(db, options.cipher, { limit: 100 }));
      return reply.type('text/html; charset=utf-8').send(outboxPage('邮件发件箱 · E-mail outbox', [mail]));
    });
  };
}
