// Vitest config: unit tests are *.test.ts beside their modules; e2e/ belongs to Playwright.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The aliases (@core/*, gonet) are declared once, in tsconfig.json.
  resolve: { tsconfigPaths: true },
  test: {
    include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'lessons/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'e2e'],
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
