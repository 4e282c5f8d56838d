import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      {
        find: /^@polymm\/venue$/,
        replacement: fileURLToPath(new URL('./packages/venue/src/index.ts', import.meta.url)),
      },
      {
        find: /^@polymm\/venue\/in-process$/,
        replacement: fileURLToPath(new URL('./packages/venue/src/inProcess.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'packages/venue/test/**/*.test.ts', 'marbles/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The integration tests mostly wait on sockets and market clocks: three files at a time on the
    // 2-core CI machine halves the wall time (600 s -> 280 s measured) without starving them.
    maxWorkers: 3,
    minWorkers: 1,
  },
});
