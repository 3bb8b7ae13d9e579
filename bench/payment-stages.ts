import type { RoundTrip } from './pg-wire-counter.js';

/**
 * Where one payment's time goes, from the round trips the wire counter timed: each round trip is put
 * in a stage by its SQL (a transaction's BEGIN goes with the statement after it on the same connection,
 * its COMMIT with the one before), and the payment's time outside the database is what is left of
 * the HTTP request's time once the database waits (their union, as some run side by side) are taken out.
 */

const STAGES: [stage: string, pattern: RegExp][] = [
  ['session', /FROM sessions/],
  ['maintenance check', /maintenance_windows/],
  ['idempotency', /idempotency_keys/],
  [
    'PIN check and confirmation',
    /FROM users WHERE id = \$1 FOR UPDATE|SET status = 'confirmed'|payment_confirmations WHERE id = \$1/,
  ],
  [
    'prepare: parties, account, rows',
    new RegExp(
      'FROM users WHERE|FROM ledger_accounts WHERE (id = \\$1|owner_ref)' +
        '|INSERT INTO (payment_confirmations|transfers|payments)' +
        '|FROM merchants WHERE (merchant_number|id = \\$1)|FROM merchant_qr_codes|payment_daily_usage WHERE',
    ),
  ],
  ['risk assessment', /risk_|device_first_seen_at|pg_advisory_xact_lock/],
  [
    'posting (ledger, group commit)',
    new RegExp(
      'ledger_|FROM transfers WHERE id = ANY|UPDATE transfers|UPDATE payments|payment_confirmations WHERE id = ANY' +
        "|SET status = 'used'|INSERT INTO payment_daily_usage|FROM merchants WHERE id = ANY",
    ),
  ],
  ['notifications', /notifications/],
];

const stageOf = (sql: string) => STAGES.find(([, pattern]) => pattern.test(sql))?.[0] ?? 'other';
const bare = (sql: string) => /^(BEGIN|COMMIT|ROLLBACK)\b/i.test(sql.trim());

export interface StageRow {
  stage: string;
  roundTrips: number;
  dbMs: number;
}

/** Stages of the payments made while `trips` were recorded; per payment, averaged over `payments`. */
export function paymentStages(trips: readonly RoundTrip[], payments: number): StageRow[] {
  const stages = new Map<string, StageRow>();
  const lastOn = new Map<number, string>();
  const ordered = [...trips].sort((a, b) => a.startMs - b.startMs);
  ordered.forEach((trip, i) => {
    let stage: string;
    if (/^BEGIN/i.test(trip.sql.trim())) {
      const next = ordered.slice(i + 1).find((t) => t.connection === trip.connection && !bare(t.sql));
      stage = next ? stageOf(next.sql) : 'other';
    } else if (bare(trip.sql)) stage = lastOn.get(trip.connection) ?? 'other';
    else stage = stageOf(trip.sql);
    lastOn.set(trip.connection, stage);
    const row = stages.get(stage) ?? { stage, roundTrips: 0, dbMs: 0 };
    row.roundTrips += 1 / payments;
    row.dbMs += trip.ms / payments;
    stages.set(stage, row);
  });
  const order = [...STAGES.map(([stage]) => stage), 'other'];
  return [...stages.values()].sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
}

/** Milliseconds during which at least one round trip was waiting on the database. */
export function databaseWallMs(trips: readonly RoundTrip[]): number {
  const spans = trips.map((t) => [t.startMs, t.startMs + t.ms]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = spans[0] ?? [0, 0];
  for (const [start, end] of spans.slice(1)) {
    if (start > to) {
      total += to - from;
      [from, to] = [start, end];
    } else to = Math.max(to, end);
  }
  return total + (to - from);
}

/** The table in Markdown, with the time outside the database (Node, HTTP, the client) as the last line. */
export function stageTable(rows: StageRow[], requestMs: number, dbWallMs: number): string {
  const lines = [
    '| stage | round trips | waiting on PostgreSQL (ms) |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.stage} | ${r.roundTrips.toFixed(1)} | ${r.dbMs.toFixed(2)} |`),
    "| outside the database: HTTP, JSON, checks, hashing, the event loop, the counter's own hops | | " +
      `${(requestMs - dbWallMs).toFixed(2)} |`,
    `| **whole request** | **${rows.reduce((n, r) => n + r.roundTrips, 0).toFixed(1)}** | ` +
      `**${requestMs.toFixed(2)}** |`,
  ];
  return lines.join('\n');
}
