import { createApiKeys } from './keys.js';
import { createOrders } from './orders.js';
import type { MerchantApiDeps } from './deps.js';

/** Online checkout's merchant API: keys, orders, refunds and the pay page's view (docs/merchant-api.md). */
export function createMerchantApiService(deps: MerchantApiDeps) {
  return { deps, keys: createApiKeys(deps), orders: createOrders(deps) };
}

export type MerchantApiService = ReturnType<typeof createMerchantApiService>;
