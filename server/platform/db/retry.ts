import { isRetryable } from './types.js';

export const DEFAULT_TX_RETRIES = 8;

/** Bounded retry with jittered exponential backoff for serialization failures and deadlocks. */
export async function withRetries<T>(maxRetries: number, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || tries >= maxRetries) throw error;
      const backoffMs = Math.min(200, 2 ** tries) * (0.5 + Math.random());
      await new Promise((done) => setTimeout(done, backoffMs));
    }
  }
}
