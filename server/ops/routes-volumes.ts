import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { fenToJson } from '../platform/money.js';
import { may } from './roles.js';
import type { DayVolumes, VolumeName } from './volumes.js';

const Figure = Type.Object({
  count: Type.Integer(),
  amount: Type.Integer({ description: 'Total in fen' }),
  currency: Type.Literal('CNY'),
});

/** GET /api/v1/ops/overview/volumes: today's money volumes (Beijing day), for the console's overview. */
export function volumeRoutes(today: () => Promise<DayVolumes>) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/ops/overview/volumes',
      {
        config: may('volumes.view'),
        schema: {
          operationId: 'getTodaysVolumes',
          tags: ['ops'],
          summary: "Today's payments, transfers, top-ups and withdrawals (count and total), in Beijing time",
          response: {
            200: Type.Object({
              day: Type.String({ description: 'The Asia/Shanghai calendar day, YYYY-MM-DD' }),
              since: Type.String(),
              payments: Figure,
              transfers: Figure,
              topups: Figure,
              withdrawals: Figure,
            }),
          },
        },
      },
      async () => {
        const found = await today();
        const figure = (name: VolumeName) => ({
          count: found.volumes[name].count,
          amount: fenToJson(found.volumes[name].totalFen),
          currency: 'CNY' as const,
        });
        return {
          day: found.day,
          since: found.from.toISOString(),
          payments: figure('payments'),
          transfers: figure('transfers'),
          topups: figure('topups'),
          withdrawals: figure('withdrawals'),
        };
      },
    );
  };
}
