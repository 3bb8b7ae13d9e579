/** Where each wallet feature lives; every tile of the home page leads to one of these. */
export const FEATURE_ROUTES = {
  scan: '/scan',
  payCode: '/pay-code',
  transfer: '/transfer',
  topUp: '/topup',
  receive: '/receive',
  withdraw: '/withdraw',
  cards: '/cards',
  records: '/records',
  verify: '/verify',
  bills: '/bills',
  savings: '/savings',
  insights: '/insights',
  assets: '/assets',
  credit: '/credit',
  creditCard: '/credit/card',
} as const;

export type Feature = keyof typeof FEATURE_ROUTES;
