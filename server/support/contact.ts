/**
 * How to reach customer service. The complaint channel is published prominently in the app and
 * the hotline's main menu (PBOC 金融消费者权益保护实施办法, domain-rules-2 §11). Online support is
 * staffed 08:00–22:00 Beijing time; outside those hours tickets wait for the morning.
 */

export const CONTACT = {
  hotline: '95188-0000',
  hotlineHoursZh: '7×24 小时（人工服务 08:00–22:00）',
  hotlineHoursEn: 'Around the clock (agents 08:00–22:00 Beijing time)',
  onlineHoursZh: '每天 08:00–22:00',
  onlineHoursEn: 'Every day 08:00–22:00 Beijing time',
  email: 'service@tongbao.example',
  complaint: {
    titleZh: '投诉渠道',
    titleEn: 'How to complain',
    textZh: '在线提交投诉或拨打热线按“3”进入投诉；我们立即受理，15 日内答复，复杂情况不超过 30 日。',
    textEn:
      'Complain online, or call the hotline and press 3. We acknowledge at once and decide within 15 days, ' +
      'at most 30 for complex cases.',
    deadlineDays: 15,
    newTicketPath: '/support/tickets/new?category=complaint_service',
  },
} as const;

const ONLINE_FROM_HOUR = 8;
const ONLINE_TO_HOUR = 22;
/** An agent counts as on when their console session was used this recently (sessions are touched each minute). */
export const AGENT_SEEN_WITHIN_MS = 10 * 60_000;

/** Whether `now` is within online support's hours (Beijing time, UTC+8 with no daylight saving). */
export function onlineNow(now: Date): boolean {
  const hour = (now.getUTCHours() + 8) % 24;
  return hour >= ONLINE_FROM_HOUR && hour < ONLINE_TO_HOUR;
}
