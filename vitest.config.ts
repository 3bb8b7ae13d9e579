import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Every test file runs on embedded PGlite; when DATABASE_URL is set, the whole suite runs a second
// time on PostgreSQL. Each project gets its own engine through TEST_ENGINE.
const engines = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

// Files that replace a module with vi.mock need a fresh module registry: they run isolated.
const MOCKING = ['server/identity/throttles.http.test.ts', 'server/payments/applications.http.test.ts'];

export default defineConfig({
  test: {
    projects: [
      ...engines.flatMap((engine) => [
        {
          extends: true as const,
          test: {
            name: engine,
            include: ['server/**/*.test.ts', 'test/**/*.test.ts'],
            exclude: MOCKING,
            env: { TEST_ENGINE: engine, NODE_ENV: 'test' },
            globalSetup: ['test/global-setup.ts'],
            // A worker keeps its imported modules from one file to the next: each file builds its own
            // app on its own database, and importing the server afresh per file cost about 1.7 s a file.
            isolate: false,
          },
        },
        {
          extends: true as const,
          test: {
            name: `${engine}-mocks`,
            include: MOCKING,
            env: { TEST_ENGINE: engine, NODE_ENV: 'test' },
            globalSetup: ['test/global-setup.ts'],
          },
        },
      ]),
      // Unit tests of the web app's own code (money, masking, payment codes): once, no database.
      {
        extends: true as const,
        test: { name: 'web', include: ['web/**/*.test.ts'], env: { NODE_ENV: 'test' } },
      },
      // Browser tests run once, not per engine: each file starts the real server on its own
      // embedded database and port and drives its own chromium; the web app is built once beforehand.
      {
        extends: true as const,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          env: { NODE_ENV: 'test' },
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 120_000,
          // Above the harness's 240 s server-start deadline, so a slow start fails with the server's output.
          hookTimeout: 300_000,
          // One browser-test file at a time: each starts a server and a chromium, and two at once on a
          // busy 2-core machine starved both past the start deadline.
          fileParallelism: false,
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
    pool: 'forks',
    // Vitest's default (cores - 1) runs one file at a time on a 2-core CI machine, leaving a core idle
    // while a file waits on PostgreSQL, a child server or chromium. Files are independent (own
    // database, own port, own data directory), so run at least two at once.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Generous: beside the browser tests on a 2-core CI machine a file takes two to four times as long as
    // alone (tests of 25 s alone came within reach of the old 60 s). A hang still ends well inside CI's limit.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
