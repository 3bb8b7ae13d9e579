import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { manualClock } from '../platform/clock.js';
import { createAuditLog } from './service.js';

describe('audit log service', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it('records events and finds them by actor, subject, action prefix and time, newest first', async () => {
    const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
    const audit = createAuditLog({ db: t.db, clock });
    await audit.record(t.db, { actorKind: 'user', actorId: 'usr_a1', action: 'user.pin_reset', subjectId: 'usr_a1' });
    clock.advanceMs(60_000);
    await audit.record(t.db, {
      actorKind: 'staff',
      actorId: 'stf_b1',
      action: 'user.frozen',
      subjectType: 'user',
      subjectId: 'usr_a1',
      details: { reason: 'theft' },
    });
    const bySubject = await audit.search({ subjectId: 'usr_a1' });
    expect(bySubject.map((entry) => entry.action)).toEqual(['user.frozen', 'user.pin_reset']);
    expect(bySubject[0]).toMatchObject({ actorKind: 'staff', subjectType: 'user', details: { reason: 'theft' } });
    expect(bySubject[1].subjectType).toBeUndefined();
    expect((await audit.find({ actorKind: 'staff', actionPrefix: 'user.' })).map((entry) => entry.actorId)).toEqual([
      'stf_b1',
    ]);
    const later = await audit.find({ subjectId: 'usr_a1', from: new Date('2026-03-01T08:00:30Z') });
    expect(later.map((entry) => entry.action)).toEqual(['user.frozen']);
    expect(await audit.search({ subjectId: 'usr_a1', beforeSeq: bySubject[0].seq })).toHaveLength(1);
  });
});
