import type { FastifyInstance } from 'fastify';
import { dumpPglite } from '../db/backup.js';
import type { Db } from '../db/types.js';

/**
 * `GET /api/v1/operations/backup` (operator token): an online, consistent copy of the embedded
 * database, the same gzipped tar `tongbao backup` writes (`tongbao backup <file> --server <url>` asks a
 * running server for it). PGlite is one process per data directory, so a backup of a running server
 * must come from that server. Not registered on PostgreSQL: back it up with pg_dump or PITR.
 */
export function backupRoutes(db: Db) {
  return async (app: FastifyInstance) => {
    if (db.engine !== 'pglite') return;
    app.get(
      '/api/v1/operations/backup',
      {
        config: { auth: ['operator'] },
        schema: {
          operationId: 'downloadBackup',
          tags: ['operations'],
          summary: 'A consistent copy of the embedded database, taken online (gzipped tar; PGlite only)',
          security: [{ operatorToken: [] }],
        },
      },
      async (_request, reply) => {
        const bytes = await dumpPglite(db);
        return reply
          .type('application/gzip')
          .header('cache-control', 'no-store')
          .header(
            'content-disposition',
            `attachment; filename="tongbao-${new Date().toISOString().slice(0, 10)}.tar.gz"`,
          )
          .send(bytes);
      },
    );
  };
}
