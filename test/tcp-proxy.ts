import { once } from 'node:events';
import { type Server, type Socket, createConnection, createServer } from 'node:net';

/**
 * A TCP proxy in the test process between the server under test and PostgreSQL, so a test can take
 * the database away without stopping the shared PostgreSQL: `cut()` resets every open connection
 * and refuses new ones; `restore()` lets them through again.
 */
export interface TcpProxy {
  port: number;
  /** The database URL rewritten to go through the proxy. */
  url(target: string): string;
  cut(): void;
  restore(): void;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    port,
    url(target) {
      const parsed = new URL(target);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    cut() {
      open = false;
      for (const socket of sockets) socket.resetAndDestroy();
      sockets.clear();
    },
    restore() {
      open = true;
    },
    get connections() {
      return sockets.size / 2;
    },
    async close() {
      open = false;
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
