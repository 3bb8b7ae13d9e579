import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { type TestUser, registerUser, testAddress } from '../../test/identity-factories.js';
import { type TestStaff, jpeg, multipart, pdf, png, signInStaff } from '../../test/kyc-factories.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let agent: TestStaff;
let kycReviewer: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  [alice, bob] = [await registerUser(t, { name: '李四' }), await registerUser(t)];
  agent = await signInStaff(t, ['support'], clock.now());
  kycReviewer = await signInStaff(t, ['kyc_reviewer'], clock.now());
});
afterAll(async () => t?.close());

const openTicket = async (user: TestUser, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/support/tickets', headers: user.auth, payload: body });

/** Signs in again after the manual clock moved past the session's lifetime. */
async function signInAgain(user: TestUser): Promise<TestUser> {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    remoteAddress: testAddress(user.phone),
  });
  expect(login.statusCode, login.body).toBe(200);
  return { ...user, token: login.json().token, auth: { authorization: `Bearer ${login.json().token}` } };
}

describe('help centre and contact', () => {
  it('serves the first edition of the articles, searchable in both languages, with links to the pages', async () => {
    const all = await t.app.inject({ url: '/api/v1/help/articles' });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.length).toBeGreaterThanOrEqual(9);
    const found = await t.app.inject({ url: `/api/v1/help/articles?q=${encodeURIComponent('冻结')}` });
    expect(found.json().items.map((a: { slug: string }) => a.slug)).toContain('freeze-account');
    const article = await t.app.inject({ url: '/api/v1/help/articles/forgot-password' });
    expect(article.json().actions[0]).toMatchObject({ path: '/forgot-password' });
    expect((await t.app.inject({ url: '/api/v1/help/articles/nope' })).json().code).toBe('HELP_ARTICLE_NOT_FOUND');
  });

  it('lets support staff edit an article as a new version, refusing a stale edit', async () => {
    const current = (await t.app.inject({ url: '/api/v1/help/articles/credit-record' })).json();
    const { slug: _s, version, updatedAt: _u, ...content } = current;
    const edit = (expectedVersion: number, staff = agent) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/v1/staff/help/articles/credit-record',
        headers: staff.auth,
        payload: { ...content, titleEn: 'Credit record (edited)', expectedVersion },
      });
    expect((await edit(version, kycReviewer)).statusCode).toBe(403);
    const saved = await edit(version);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: version + 1, titleEn: 'Credit record (edited)' });
    expect((await edit(version)).json().code).toBe('HELP_ARTICLE_VERSION_CONFLICT');
    const versions = await t.app.inject({
      url: '/api/v1/staff/help/articles/credit-record/versions',
      headers: agent.auth,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([version + 1, version]);
  });

  it('publishes the hotline and the complaint channel without signing in', async () => {
    const contact = await t.app.inject({ url: '/api/v1/support/contact' });
    expect(contact.statusCode).toBe(200);
    expect(contact.json()).toMatchObject({ complaint: { deadlineDays: 15 }, onlineSupport: { availableNow: true } });
    expect(contact.json().complaint.escalationZh).toContain('12363');
  });
});

describe('tickets', () => {
  it('are visible only to their holder and to support staff', async () => {
    const opened = await openTicket(alice, { category: 'other', subject: '问题', text: '我的问题' });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id;
    expect((await t.app.inject({ url: `/api/v1/support/tickets/${id}`, headers: alice.auth })).statusCode).toBe(200);
    for (const request of [
      { url: `/api/v1/support/tickets/${id}` },
      { method: 'POST' as const, url: `/api/v1/support/tickets/${id}/messages`, payload: { text: 'hi' } },
      { url: `/api/v1/support/tickets/${id}/events` },
      { method: 'POST' as const, url: `/api/v1/support/tickets/${id}/withdraw` },
    ]) {
      const answer = await t.app.inject({ ...request, headers: bob.auth });
      expect(answer.json().code, request.url).toBe('TICKET_NOT_FOUND');
    }
    expect((await t.app.inject({ url: '/api/v1/support/tickets', headers: bob.auth })).json().items).toEqual([]);
    const staffView = await t.app.inject({ url: `/api/v1/staff/support/tickets/${id}`, headers: agent.auth });
    expect(staffView.statusCode).toBe(200);
    expect(staffView.json().ticket).toMatchObject({ userId: alice.userId, holderName: '*四' });
    const reviewer = await t.app.inject({ url: `/api/v1/staff/support/tickets/${id}`, headers: kycReviewer.auth });
    expect(reviewer.statusCode).toBe(403);
    const holderOnStaffRoute = await t.app.inject({ url: `/api/v1/staff/support/tickets/${id}`, headers: alice.auth });
    expect(holderOnStaffRoute.statusCode).toBe(403);
  });

  it('keep internal notes from the holder, count unread replies, and refuse links to others’ records', async () => {
    const foreign = await openTicket(alice, {
      category: 'payment_failed',
      subject: 'x',
      text: 'y',
      linkedRecords: [{ kind: 'transfer', id: 'trf_nothere' }],
    });
    expect(foreign.json().code).toBe('SUPPORT_RECORD_NOT_FOUND');
    const id = (await openTicket(alice, { category: 'suggestion', subject: '建议', text: '加个功能' })).json().id;
    const say = (text: string, internal: boolean) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/staff/support/tickets/${id}/messages`,
        headers: agent.auth,
        payload: { text, internal },
      });
    expect((await say('内部备注', true)).statusCode).toBe(201);
    expect((await say('感谢建议', false)).statusCode).toBe(201);
    const mine = (await t.app.inject({ url: `/api/v1/support/tickets/${id}`, headers: alice.auth })).json();
    expect(mine.messages.map((m: { text: string }) => m.text)).toEqual(['加个功能', '感谢建议']);
    expect(mine.ticket.unreadForHolder).toBe(1);
    const staff = (await t.app.inject({ url: `/api/v1/staff/support/tickets/${id}`, headers: agent.auth })).json();
    expect(staff.messages).toHaveLength(3);
    const notices = await t.app.inject({ url: '/api/v1/notifications', headers: alice.auth });
    expect(notices.json().items.some((n: { kind: string }) => n.kind === 'support.reply')).toBe(true);
  });

  it('take images and PDFs, sealed at rest, and refuse hostile files', async () => {
    const id = (await openTicket(alice, { category: 'other', subject: '附件', text: '见附件' })).json().id;
    const upload = (bytes: Buffer, contentType = 'image/jpeg', user = alice, filename = 'shot.jpg') => {
      const form = multipart({ text: '截图' }, [{ field: 'file', bytes, contentType, filename }]);
      return t.app.inject({
        method: 'POST',
        url: `/api/v1/support/tickets/${id}/attachments`,
        headers: { ...user.auth, ...form.headers },
        payload: form.payload,
      });
    };
    const good = await upload(jpeg('SCREENSHOT'));
    expect(good.statusCode, good.body).toBe(201);
    const attachment = good.json().attachment;
    expect(attachment).toMatchObject({ contentType: 'image/jpeg' });
    const back = await t.app.inject({ url: attachment.url, headers: alice.auth });
    expect(back.statusCode).toBe(200);
    expect(back.headers['cache-control']).toContain('no-store');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.rawPayload.equals(jpeg('SCREENSHOT'))).toBe(true);
    const { rows } = await t.db.query<{ sealed: Uint8Array }>(`SELECT sealed FROM support_attachments WHERE id = $1`, [
      attachment.id,
    ]);
    expect(Buffer.from(rows[0].sealed).includes(Buffer.from('SCREENSHOT'))).toBe(false);
    expect((await t.app.inject({ url: attachment.url, headers: bob.auth })).json().code).toBe('TICKET_NOT_FOUND');
    expect((await upload(png(['OK']), 'image/png', alice, 'a.png')).statusCode).toBe(201);
    expect((await upload(pdf(), 'application/pdf', alice, 'a.pdf')).statusCode).toBe(201);

    const hostile: [string, Buffer, string, string][] = [
      [
        'HTML called a JPEG',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'image/jpeg',
        'DOCUMENT_TYPE_UNSUPPORTED',
      ],
      [
        'an executable',
        Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]),
        'image/png',
        'DOCUMENT_TYPE_UNSUPPORTED',
      ],
      ['a truncated JPEG', jpeg().subarray(0, 200), 'image/jpeg', 'DOCUMENT_CORRUPT'],
      [
        'a PDF with JavaScript',
        pdf([], { extraCatalog: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ' }),
        'application/pdf',
        'DOCUMENT_UNSAFE',
      ],
    ];
    for (const [what, bytes, type, code] of hostile) {
      const refused = await upload(bytes, type);
      expect(refused.json().code, what).toBe(code);
    }
    const tooBig = await upload(Buffer.concat([jpeg(), Buffer.alloc(5 * 1024 * 1024)]));
    expect([413, 422]).toContain(tooBig.statusCode);
    const noFile = multipart({ text: 'x' }, []);
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/v1/support/tickets/${id}/attachments`,
      headers: { ...alice.auth, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(missing.json().code).toBe('SUPPORT_ATTACHMENT_MISSING');
  });
});

describe('the complaint clock', () => {
  it('acknowledges at once, is due in 15 days (30 when complex), flags a breach, and tells the decision', async () => {
    const opened = await openTicket(alice, { category: 'complaint_service', subject: '投诉', text: '服务太慢' });
    const ticket = opened.json();
    expect(ticket.complaint).toBe(true);
    expect(ticket.acknowledgedAt).toBe(clock.now().toISOString());
    expect(ticket.sla).toMatchObject({ dueAt: '2026-12-08T02:00:00.000Z', daysLeft: 15, breached: false });
    const claim = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/tickets/${ticket.id}/claim`,
      headers: agent.auth,
    });
    expect(claim.json()).toMatchObject({ status: 'in_progress', assigneeId: agent.staffId });

    clock.advanceMs(16 * 24 * 3600_000);
    const staff = await signInStaff(t, ['support'], clock.now());
    const breached = await t.app.inject({
      url: '/api/v1/staff/support/tickets?breached=true&complaint=true',
      headers: staff.auth,
    });
    expect(breached.json().items.map((i: { id: string }) => i.id)).toContain(ticket.id);
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/tickets/${ticket.id}/claim`,
      headers: staff.auth,
    });
    expect(other.json().code).toBe('TICKET_CLAIMED_BY_OTHER');

    // A second complaint marked complex on day 14 is due on day 30, not breached on day 16.
    const holder = await signInAgain(alice);
    const second = (
      await openTicket(holder, { category: 'complaint_merchant', subject: '商户', text: '多收钱' })
    ).json();
    clock.advanceMs(14 * 24 * 3600_000);
    const staff2 = await signInStaff(t, ['support'], clock.now());
    const complex = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/tickets/${second.id}/complex`,
      headers: staff2.auth,
      payload: { reason: '需向商户调取记录' },
    });
    expect(complex.statusCode, complex.body).toBe(200);
    expect(complex.json().sla).toMatchObject({ complex: true, daysLeft: 16 });
    clock.advanceMs(2 * 24 * 3600_000);
    const staff3 = await signInStaff(t, ['support'], clock.now());
    const decided = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/tickets/${second.id}/resolve`,
      headers: staff3.auth,
      payload: { text: '已退款' },
    });
    expect(decided.json().sla).toMatchObject({ breached: false, daysLeft: 0 });
    const holder2 = await signInAgain(alice);
    const seen = (await t.app.inject({ url: `/api/v1/support/tickets/${second.id}`, headers: holder2.auth })).json();
    expect(seen.ticket.decision).toMatchObject({ text: '已退款' });
    expect(seen.ticket.decision.escalationZh).toContain('12363');
    const rated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/support/tickets/${second.id}/rating`,
      headers: holder2.auth,
      payload: { score: 5 },
    });
    expect(rated.json()).toMatchObject({ status: 'closed', rating: { score: 5 } });
    const dashboard = await t.app.inject({ url: '/api/v1/staff/support/dashboard', headers: staff3.auth });
    expect(dashboard.statusCode, dashboard.body).toBe(200);
    expect(dashboard.json().sla).toMatchObject({ decidedInTime: 1 });
    expect(dashboard.json().sla.breached).toBeGreaterThanOrEqual(1);
  });
});

describe('the live conversation', () => {
  it('streams the agent’s reply to the holder as a server-sent event', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const holder = await signInAgain(alice);
    const staff = await signInStaff(t, ['support'], clock.now());
    const id = (await openTicket(holder, { category: 'other', subject: '在线', text: '在吗' })).json().id;
    const abort = new AbortController();
    const response = await fetch(`${base}/api/v1/support/tickets/${id}/events`, {
      headers: holder.auth,
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/support/tickets/${id}/messages`,
      headers: staff.auth,
      payload: { text: '您好，我在' },
    });
    expect(reply.statusCode).toBe(201);
    const deadline = Date.now() + 10_000;
    while (!text.includes('event: message') && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    const data = /event: message\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(data as string)).toMatchObject({ author: 'staff', text: '您好，我在' });
  });
});
