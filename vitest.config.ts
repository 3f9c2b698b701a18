// Vitest config: unit tests are *.test.ts beside their modules; e2e/ belongs to Playwright.
import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@protocol': here('./server/protocol'),
      '@runtime': here('./server/runtime'),
      '@framing': here('./server/framing'),
    },
  },
  test: {
    include: ['server/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'lessons/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'e2e'],
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
