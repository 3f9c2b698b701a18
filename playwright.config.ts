// Playwright: lesson walks in the machine's own Chromium against a real lab server (built app, real demo ports).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './e2e/chromiumOptions';

const port = Number(process.env.LAB_E2E_PORT ?? 7480);

const browser = findChromium();
if (!browser.ok) {
  // One line, no stack: what to install on this platform.
  console.error(browser.message);
  process.exit(1);
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: browser.path,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // Demo ports from the kernel: walks read them from /api/status, and no fixed range can be taken meanwhile.
    command: `npx tsx server/main.ts --port ${port} --demo-ports 0`,
    url: `http://127.0.0.1:${port}/api/status`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
