import { request } from './harness.js';

/**
 * Risk assessment time inside the payment, read from the server's own histogram
 * (`tongbao_risk_assess_duration_seconds`, timed around every assessment the payment path runs):
 * a snapshot of the buckets before a line and after it, and the p99 of what happened in between as
 * the upper bound of the bucket that holds it (so "≤ 2 ms" reads straight off the buckets).
 */
export type RiskBuckets = Map<number, number>;

const BUCKET = /^tongbao_risk_assess_duration_seconds_bucket\{([^}]*)\} (\d+(?:\.\d+)?)$/;

export async function riskBuckets(url: string, channel: string): Promise<RiskBuckets> {
  const answer = await request(url, 'GET', '/metrics');
  if (answer.status !== 200) throw new Error(`GET /metrics answered ${answer.status}`);
  const buckets: RiskBuckets = new Map();
  for (const line of answer.body.split('\n')) {
    const match = BUCKET.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.channel !== channel) continue;
    buckets.set(labels.le === '+Inf' ? Infinity : Number(labels.le), Number(match[2]));
  }
  return buckets;
}

/** The p99 of the assessments between two snapshots, as "≤ N ms", with how many there were. */
export function riskP99(before: RiskBuckets, after: RiskBuckets): { count: number; p99: string } {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = (bound: number) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
  const count = bounds.length > 0 ? delta(Infinity) : 0;
  if (count === 0) return { count, p99: 'n/a' };
  const bound = bounds.find((b) => delta(b) >= count * 0.99) ?? Infinity;
  return { count, p99: bound === Infinity ? '> 1 s' : `≤ ${bound * 1000} ms` };
}
