import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { type HttpAdapterSettings, createOutboundClient } from '../platform/outbound-http.js';
import { err, ok } from '../platform/result.js';
import type { FundCompany } from './fund-company.js';
import { parseE4 } from './rules.js';

/**
 * The real fund company over HTTP (docs/operations.md, signed like every outside call):
 * `GET /v1/funds/{fundCode}/days/{YYYY-MM-DD}` answers `200 { per10k: "0.4921", yield7dPct: "1.8520",
 * publishedAt }` once the day is published and `404` before; anything else, a timeout included, is
 * UNAVAILABLE and the income job tries again on its next run.
 */
const Published = Type.Object({
  per10k: Type.String({ pattern: '^\\d{1,6}(\\.\\d{1,4})?$' }),
  yield7dPct: Type.String({ pattern: '^-?\\d{1,6}(\\.\\d{1,4})?$' }),
  publishedAt: Type.String({ minLength: 10, maxLength: 40 }),
});

export function createHttpFundCompany(settings: HttpAdapterSettings, deps: { clock: Clock }): FundCompany {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async dayFigures(fundCode, day) {
      const path = `/v1/funds/${encodeURIComponent(fundCode)}/days/${encodeURIComponent(day)}`;
      try {
        const answer = await client.call('GET', path);
        if (answer.status === 404) return ok(null);
        if (answer.status === 200 && Value.Check(Published, answer.body)) {
          const per10kE4 = parseE4(answer.body.per10k);
          const negative = answer.body.yield7dPct.startsWith('-');
          const yieldAbs = parseE4(answer.body.yield7dPct.replace(/^-/, ''));
          const publishedAt = new Date(answer.body.publishedAt);
          if (per10kE4 !== null && yieldAbs !== null && !Number.isNaN(publishedAt.getTime()))
            return ok({ fundCode, day, per10kE4, yield7dE4: negative ? -yieldAbs : yieldAbs, publishedAt });
        }
        return err({ code: 'UNAVAILABLE', message: `fund company answered HTTP ${answer.status}` });
      } catch (error) {
        return err({ code: 'UNAVAILABLE', message: `fund company did not answer: ${(error as Error).name}` });
      }
    },
  };
}
