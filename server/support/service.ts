import { AGENT_SEEN_WITHIN_MS, CONTACT, onlineNow } from './contact.js';
import type { SupportDeps } from './deps.js';
import { type Channel, type Explanation, explain } from './explain.js';
import { createHelp } from './help.js';
import { createCases } from './cases.js';
import { createDisputes } from './disputes.js';
import { createTickets } from './tickets.js';
import type { LinkedRecord } from './types.js';

/** Customer service (docs/support.md): contact, help centre, tickets with their live conversation. */

export interface SupportServiceDeps extends SupportDeps {
  /** Current and upcoming maintenance announcements, for the contact page. */
  announcements(): Promise<Announcement[]>;
}

export interface Announcement {
  id: string;
  titleZh: string;
  titleEn: string;
  messageZh: string;
  messageEn: string;
  startsAt: Date;
  endsAt: Date;
}

export function createSupportService(deps: SupportServiceDeps) {
  const tickets = createTickets(deps);
  const help = createHelp(deps);
  return {
    deps,
    tickets,
    help,
    disputes: createDisputes(deps, tickets),
    cases: createCases(deps),
    live: deps.live,
    async contact() {
      const withinHours = onlineNow(deps.clock.now());
      // Within the hours, support is "on" only while an agent (or an admin answering) actually uses the console.
      const agentsOnline = withinHours
        ? await deps.staff.countSeenWithin(['support', 'admin'], AGENT_SEEN_WITHIN_MS)
        : 0;
      return { ...CONTACT, withinHours, agentOnline: agentsOnline > 0, announcements: await deps.announcements() };
    },
    /** "Why did this fail?" for one of the holder's records; null when it is not theirs. */
    async explainRecord(userId: string, record: LinkedRecord): Promise<Explanation | null> {
      const facts = await deps.records.find(userId, record);
      return facts && explain(facts, deps.records.state(userId));
    },
    /** The same for a refusal that left no record: the problem code the holder was answered. */
    explainRefusal(userId: string, input: { code: string; channel: Channel; amountFen: bigint | null }) {
      return explain(
        { kind: input.channel, id: null, status: 'refused', failure: input.code, amountFen: input.amountFen },
        deps.records.state(userId),
      );
    },
    holderOf: (userId: string) => deps.holders.findParty({ userId }),
    staffName: async (staffId: string | null) => (staffId ? ((await deps.staff.profile(staffId))?.name ?? null) : null),
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
