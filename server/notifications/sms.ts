import type { Clock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { newId } from '../platform/ids.js';

/** The SMS gateway adapter. The sandbox is the default; a real gateway implements the same interface. */
export interface SmsGateway {
  send(message: { phone: string; text: string; purpose: string }): Promise<{ id: string }>;
}

export class SmsDeliveryError extends Error {}

/**
 * Sandbox magic numbers (documented in docs/sandboxes.md):
 * - 13900000000: the gateway refuses the message (SmsDeliveryError);
 * - 13900000001: the gateway answers after 2 seconds.
 * Everything else is delivered after a short latency into the dev outbox.
 */
export const SANDBOX_FAILING_PHONE = '13900000000';
export const SANDBOX_SLOW_PHONE = '13900000001';

export function createSandboxSms(deps: { db: Queryable; clock: Clock; latencyMs?: number }): SmsGateway {
  const latencyMs = deps.latencyMs ?? 5;
  return {
    async send(message) {
      const delay = message.phone === SANDBOX_SLOW_PHONE ? 2_000 : latencyMs;
      await new Promise((done) => setTimeout(done, delay));
      if (message.phone === SANDBOX_FAILING_PHONE) throw new SmsDeliveryError('sandbox gateway refused the message');
      const id = newId('sms', deps.clock.now().getTime());
      await deps.db.query('INSERT INTO sms_outbox (id, phone, text, purpose, created_at) VALUES ($1, $2, $3, $4, $5)', [
        id,
        message.phone,
        message.text,
        message.purpose,
        deps.clock.now(),
      ]);
      return { id };
    },
  };
}

export interface OutboxMessage {
  id: string;
  phone: string;
  text: string;
  purpose: string;
  createdAt: Date;
}

export async function readOutbox(db: Queryable, options: { phone?: string; limit: number }): Promise<OutboxMessage[]> {
  const { rows } = await db.query<{ id: string; phone: string; text: string; purpose: string; created_at: Date }>(
    `SELECT id, phone, text, purpose, created_at FROM sms_outbox WHERE ($1::text IS NULL OR phone = $1) ORDER BY created_at DESC, id DESC LIMIT $2`,
    [options.phone ?? null, Math.min(Math.max(options.limit, 1), 200)],
  );
  return rows.map((row) => ({ id: row.id, phone: row.phone, text: row.text, purpose: row.purpose, createdAt: row.created_at }));
}
