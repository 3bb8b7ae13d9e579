/**
 * Which wallet features have pages. Features whose server API has not landed yet lead to a
 * friendly "coming soon" page instead of a broken one.
 */
export const FEATURE_ROUTES = {
  scan: '/soon/scan',
  payCode: '/soon/payCode',
  transfer: '/soon/transfer',
  topUp: '/soon/topUp',
  withdraw: '/soon/withdraw',
  cards: '/soon/cards',
  records: '/soon/records',
  verify: '/soon/verify',
} as const;

export type Feature = keyof typeof FEATURE_ROUTES;
