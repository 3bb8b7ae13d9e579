import type { ProblemTable } from '../platform/http/problem-table.js';

/** Maintenance windows: the gate's answer on a tagged route while its feature is closed. */
export const MAINTENANCE_PROBLEMS = {
  FEATURE_IN_MAINTENANCE: {
    status: 503,
    zh: '该功能正在维护中，请稍后再试。',
    en: 'This feature is under maintenance. Please try again later.',
  },
} as const satisfies ProblemTable;

type MaintenanceProblems = typeof MAINTENANCE_PROBLEMS;

declare module '../platform/http/problems.js' {
  /** Maintenance's codes, registered by app.ts. */
  interface ProblemCodes extends MaintenanceProblems {}
}
