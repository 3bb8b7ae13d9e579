import { EventEmitter } from 'node:events';

/**
 * Wakes a merchant's live stream as soon as this process completes one of its payments. Other
 * processes' payments are found by the stream's own polling of the database (once a second), so
 * the feed is correct with any number of server processes; the wake-up only makes it faster.
 */
export function createLiveFeed() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    wake(merchantId: string): void {
      emitter.emit(merchantId);
    },
    /** Calls `listener` on every wake-up for the merchant until the returned function is called. */
    subscribe(merchantId: string, listener: () => void): () => void {
      emitter.on(merchantId, listener);
      return () => emitter.off(merchantId, listener);
    },
  };
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;
