import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PII_KEY, createTestApp, type TestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { jpeg } from '../../test/kyc-factories.js';
import { createApprovals } from '../approvals/service.js';
import { manualClock } from '../platform/clock.js';
import { createSandboxDocumentCheck } from './adapter.js';
import { createDocumentCipher } from './document-cipher.js';
import { type KycService, createKycService } from './service.js';
import { DEFAULT_TIER_TABLE } from './tiers.js';

/**
 * With a same-name card check wired, approved documents alone leave the holder at basic; the
 * verified tier follows once a card in their name is linked (cardLinked, or the job).
 */

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let kyc: KycService;
const withCard = new Set<string>();

beforeAll(async () => {
  t = await createTestApp({ clock });
  const { services } = t;
  kyc = createKycService({
    db: t.db,
    clock,
    identity: services.identity,
    ledger: services.ledger,
    notifications: services.notifications,
    audit: services.audit,
    approvals: createApprovals({ db: t.db, clock, audit: services.audit }),
    cipher: createDocumentCipher(TEST_PII_KEY),
    adapter: createSandboxDocumentCheck({ clock, minLatencyMs: 0, maxLatencyMs: 0 }),
    tiers: DEFAULT_TIER_TABLE,
    hasSameNameCard: async (userId) => withCard.has(userId),
  });
});
afterAll(async () => t?.close());

const pages = () => [
  { side: 'front', bytes: jpeg() },
  { side: 'back', bytes: jpeg() },
  { side: 'selfie', bytes: jpeg() },
];
const tier = async (userId: string) => (await t.services.identity.profile(userId))?.tier;

describe('verified tier and the same-name bank card', () => {
  it('raises the tier at once when the holder already has a card in their name', async () => {
    const user = await registerUser(t);
    withCard.add(user.userId);
    const submitted = await kyc.submit(user.userId, 'resident_id', pages());
    expect(submitted.ok && submitted.value.status).toBe('approved');
    expect(await tier(user.userId)).toBe('verified');
  });

  it('waits for the card after approving the documents, then completes', async () => {
    const user = await registerUser(t);
    const submitted = await kyc.submit(user.userId, 'resident_id', pages());
    expect(submitted.ok && submitted.value.status).toBe('approved');
    expect(await tier(user.userId)).toBe('basic');
    expect((await kyc.limits(user.userId))?.nextStep?.action).toBe('link_bank_card');
    expect((await t.services.notifications.list(user.userId)).items.map((n) => n.kind)).toContain(
      'kyc.documents_approved',
    );
    expect(await kyc.completeCardVerifications()).toBe(0);

    withCard.add(user.userId);
    expect(await kyc.completeCardVerifications()).toBe(1);
    expect(await tier(user.userId)).toBe('verified');
    const wallet = await t.services.ledger.getAccount(
      (await t.services.identity.profile(user.userId))?.walletAccountId as string,
    );
    expect(wallet?.limits).toEqual(DEFAULT_TIER_TABLE.verified.limits);
    expect(await kyc.cardLinked(user.userId)).toBe(false); // already done: nothing twice
    expect(await kyc.completeCardVerifications()).toBe(0);
  });
});
