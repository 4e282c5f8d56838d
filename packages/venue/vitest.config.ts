import { defineConfig } from 'vitest/config';

// The venue's own tests, alone (`npm test -w @polymm/venue`); the root `npm test` runs them too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
