import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@polymm/venue': fileURLToPath(new URL('./packages/venue/src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts', 'packages/venue/test/**/*.test.ts', 'marbles/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
