import { CONTACT, onlineNow } from './contact.js';
import type { SupportDeps } from './deps.js';
import { createHelp } from './help.js';
import { createTickets } from './tickets.js';

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
    live: deps.live,
    async contact() {
      const now = deps.clock.now();
      return { ...CONTACT, onlineNow: onlineNow(now), announcements: await deps.announcements() };
    },
    holderOf: (userId: string) => deps.holders.findParty({ userId }),
    staffName: async (staffId: string | null) => (staffId ? ((await deps.staff.profile(staffId))?.name ?? null) : null),
  };
}

export type SupportService = ReturnType<typeof createSupportService>;
