import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'cli',
          include: ['test/cli/**/*.test.ts'],
          // In-process CLI tests (runCli against in-memory streams): each file starts its own sandbox and config
          // dirs, so they can share a worker's module cache instead of paying for a fresh worker per file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'other',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/cli/**'],
        },
      },
    ],
  },
});
