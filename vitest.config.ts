import { defineConfig } from 'vitest/config';

// One runner for the whole repository; each package is a project so `--project sdk` runs one.
// The "alipay-legacy-source" condition makes workspace packages resolve to their TypeScript sources (no build).
export default defineConfig({
  resolve: { conditions: ['alipay-legacy-source'] },
  ssr: { resolve: { conditions: ['alipay-legacy-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'sdk', include: ['packages/sdk/{src,test}/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'sandbox',
          include: ['packages/sandbox/{src,test}/**/*.test.{ts,tsx}'],
          exclude: ['packages/sandbox/test/browser/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'shop',
          include: ['apps/shop/{src,test}/**/*.test.{ts,tsx}'],
          exclude: ['apps/shop/test/browser/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Real processes over loopback on SQLite and PostgreSQL (npm run test:reliability); not part of npm test.
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: process.env.RELIABILITY_SIZE === 'full' ? 3_600_000 : 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['packages/sandbox/test/browser/**/*.test.{ts,tsx}', 'apps/shop/test/browser/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
