import { EventEmitter } from 'node:events';

/**
 * Wakes a ticket's open event streams as soon as this process writes to the ticket. Streams also
 * poll the database once a second, so with several server processes a message written elsewhere
 * still arrives; the wake-up only makes it immediate (the pattern of server/payments/live.ts).
 */
export function createTicketLive() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    wake(ticketId: string): void {
      emitter.emit(ticketId);
    },
    subscribe(ticketId: string, listener: () => void): () => void {
      emitter.on(ticketId, listener);
      return () => emitter.off(ticketId, listener);
    },
  };
}

export type TicketLive = ReturnType<typeof createTicketLive>;
