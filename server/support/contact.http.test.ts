import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { signInStaff } from '../../test/kyc-factories.js';
import { manualClock } from '../platform/clock.js';

// 10:00 in Beijing: within online support's hours (08:00–22:00).
const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const onlineSupport = async () => {
  const contact = await t.app.inject({ url: '/api/v1/support/contact' });
  expect(contact.statusCode).toBe(200);
  return contact.json().onlineSupport as { withinHours: boolean; availableNow: boolean };
};

describe('online support on the contact page', () => {
  it('is "on" only while a support agent uses the console within the hours', async () => {
    // Within the hours but nobody at the console: the page must not claim an agent is on.
    expect(await onlineSupport()).toEqual(expect.objectContaining({ withinHours: true, availableNow: false }));
    // Staff who do not answer tickets do not count.
    await signInStaff(t, ['kyc_reviewer'], clock.now());
    expect((await onlineSupport()).availableNow).toBe(false);

    const agent = await signInStaff(t, ['support'], clock.now());
    expect(await onlineSupport()).toEqual(expect.objectContaining({ withinHours: true, availableNow: true }));

    // Eleven quiet minutes: the agent is no longer counted; working the queue again counts them back.
    clock.advanceMs(11 * 60_000);
    expect((await onlineSupport()).availableNow).toBe(false);
    const queue = await t.app.inject({ url: '/api/v1/staff/support/tickets', headers: agent.auth });
    expect(queue.statusCode, queue.body).toBe(200);
    expect((await onlineSupport()).availableNow).toBe(true);

    // 23:00 in Beijing: outside the hours, even with an agent signed in.
    clock.set('2026-11-23T15:00:00Z');
    await signInStaff(t, ['support'], clock.now());
    expect(await onlineSupport()).toEqual(expect.objectContaining({ withinHours: false, availableNow: false }));
  });
});
