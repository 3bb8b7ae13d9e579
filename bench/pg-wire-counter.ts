import { once } from 'node:events';
import { type Server, type Socket, createConnection, createServer } from 'node:net';

/**
 * A TCP proxy between the server under test and PostgreSQL that reads the wire protocol on both
 * sides: it counts round trips (each ReadyForQuery the server sends ends one: a simple query, or an
 * extended-protocol batch closed by Sync) and keeps the SQL text the clients sent (Query messages, and
 * the text of each statement bound), so a benchmark can say how many times one payment waits on the database, and which
 * statements it sends. It adds a hop, so it is for counting, never for timing.
 */
export interface WireCounter {
  /** The database URL rewritten to go through the counter. */
  url(target: string): string;
  /** Forgets what was counted so far. */
  reset(): void;
  readonly roundTrips: number;
  /** SQL texts in the order they were sent (all connections interleaved), with `-- sync` at each round trip's end. */
  readonly statements: readonly string[];
  /**
   * Each round trip since the last reset: its SQL, when it started (the first message of it reached the
   * counter, ms since the reset) and how long until PostgreSQL's ReadyForQuery came back.
   */
  readonly trips: readonly RoundTrip[];
  close(): Promise<void>;
}

export interface RoundTrip {
  /** Which of the counter's connections (numbered as they open) it went on. */
  connection: number;
  sql: string;
  startMs: number;
  ms: number;
}

/** Splits a PostgreSQL message stream (type byte + int32 length) and calls `onMessage` for each. */
function messageReader(onMessage: (type: number, body: Buffer) => void, untyped: boolean) {
  let pending: Buffer = Buffer.alloc(0);
  let first = untyped;
  return (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (first) {
        // The client's startup (or SSL/cancel request) message has a length but no type byte.
        if (pending.length < 4) return;
        const length = pending.readInt32BE(0);
        if (pending.length < length) return;
        pending = pending.subarray(length);
        first = false;
        continue;
      }
      if (pending.length < 5) return;
      const length = pending.readInt32BE(1);
      if (pending.length < 1 + length) return;
      onMessage(pending[0], pending.subarray(5, 1 + length));
      pending = pending.subarray(1 + length);
    }
  };
}

function cstring(body: Buffer, from: number): [string, number] {
  const end = body.indexOf(0, from);
  return [body.toString('utf8', from, end), end + 1];
}

const READY_FOR_QUERY = 'Z'.charCodeAt(0);
const PARSE = 'P'.charCodeAt(0);
const QUERY = 'Q'.charCodeAt(0);
const BIND = 'B'.charCodeAt(0);
const SYNC = 'S'.charCodeAt(0);

export async function startWireCounter(targetHost: string, targetPort: number): Promise<WireCounter> {
  let roundTrips = 0;
  let statements: string[] = [];
  let trips: RoundTrip[] = [];
  let epoch = performance.now();
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    const connection = ++connections;
    const upstream = createConnection({ host: targetHost, port: targetPort });
    sockets.add(client).add(upstream);
    const drop = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    let startupDone = false;
    // Prepared statements by name on this connection ('' is the unnamed one): a named statement is
    // parsed once per connection, then only bound, so the text is recorded at each Bind.
    const prepared = new Map<string, string>();
    // The round trip in progress on this connection: when its first message came, and its SQL.
    let current: { startedAt: number; sql: string[] } | null = null;
    const begin = () => (current ??= { startedAt: performance.now(), sql: [] });
    const fromClient = messageReader((type, body) => {
      if (startupDone) begin();
      if (type === PARSE) {
        const [name, next] = cstring(body, 0);
        prepared.set(name, cstring(body, next)[0]);
      } else if (type === BIND) {
        const statement = cstring(body, cstring(body, 0)[1])[0];
        const text = prepared.get(statement) ?? `-- prepared statement ${statement}`;
        statements.push(text);
        current?.sql.push(text);
      } else if (type === QUERY) {
        statements.push(cstring(body, 0)[0]);
        current?.sql.push(cstring(body, 0)[0]);
      } else if (type === SYNC) statements.push('-- sync');
    }, true);
    const fromServer = messageReader((type) => {
      if (type !== READY_FOR_QUERY) return;
      // The first ReadyForQuery ends the connection's startup, not a query.
      if (startupDone) {
        roundTrips++;
        if (current) {
          const now = performance.now();
          trips.push({
            connection,
            sql: current.sql.join('\n'),
            startMs: current.startedAt - epoch,
            ms: now - current.startedAt,
          });
        }
      }
      current = null;
      startupDone = true;
    }, false);
    client.on('data', (chunk: Buffer) => {
      fromClient(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      fromServer(chunk);
      client.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url(target) {
      const parsed = new URL(target);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    reset() {
      roundTrips = 0;
      statements = [];
      trips = [];
      epoch = performance.now();
    },
    get roundTrips() {
      return roundTrips;
    },
    get statements() {
      return statements;
    },
    get trips() {
      return trips;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
