// Vitest config: unit tests are *.test.ts beside their modules; e2e/*.spec.ts are Playwright's walks, not Vitest's.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The aliases (@core/*, gonet) are declared once, in tsconfig.json.
  resolve: { tsconfigPaths: true },
  test: {
    include: [
      'core/**/*.test.ts',
      'server/**/*.test.ts',
      'web/src/**/*.test.{ts,tsx}',
      'lessons/**/*.test.ts',
      'tools/**/*.test.ts',
      'integration/**/*.test.ts',
      'bench/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    exclude: ['node_modules', 'dist', 'e2e/**/*.spec.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
