import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { ProblemSource } from '../platform/http/openapi.js';
import { Problem } from '../platform/http/problem-error.js';
import { languageFrom } from '../platform/http/problems.js';
import type { MaintenanceService, MaintenanceWindow } from './service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The feature this route belongs to; a maintenance window on it answers 503. */
    feature?: string;
  }
}

export const AnnouncementSchema = Type.Object({
  id: Type.String(),
  feature: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  active: Type.Boolean(),
  title: Type.String(),
  message: Type.String(),
});

export function announcementView(window: MaintenanceWindow, request: FastifyRequest, now: Date) {
  const english = languageFrom(request.headers['accept-language']) === 'en';
  return {
    id: window.id,
    feature: window.feature,
    startsAt: window.startsAt.toISOString(),
    endsAt: window.endsAt.toISOString(),
    active: window.startsAt <= now && now < window.endsAt,
    title: english ? window.titleEn : window.titleZh,
    message: english ? window.messageEn : window.messageZh,
  };
}

/** For the API document: a route tagged with a feature answers FEATURE_IN_MAINTENANCE during its window. */
export const maintenanceProblems: ProblemSource = (route) =>
  (route.config as { feature?: string } | undefined)?.feature ? ['FEATURE_IN_MAINTENANCE'] : [];

/** Closes tagged routes during their feature's maintenance window, before any work is done. */
export function registerMaintenanceGate(app: FastifyInstance, maintenance: MaintenanceService, now: () => Date): void {
  app.addHook('onRequest', async (request) => {
    const feature = request.routeOptions.config.feature;
    if (!feature) return;
    const window = await maintenance.activeFor(feature);
    if (!window) return;
    const retryAfterS = Math.max(1, Math.ceil((window.endsAt.getTime() - now().getTime()) / 1000));
    throw new Problem(
      'FEATURE_IN_MAINTENANCE',
      { feature, announcement: announcementView(window, request, now()) },
      [],
      {
        'retry-after': String(retryAfterS),
      },
    );
  });
}

export function maintenanceRoutes(maintenance: MaintenanceService, now: () => Date) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/announcements',
      {
        schema: {
          operationId: 'listAnnouncements',
          tags: ['announcements'],
          summary: 'Maintenance announcements open now or upcoming',
          response: { 200: Type.Object({ items: Type.Array(AnnouncementSchema) }) },
        },
      },
      async (request) => ({
        items: (await maintenance.announcements()).map((window) => announcementView(window, request, now())),
      }),
    );
  };
}
