// How the lab drives a browser (found on this machine, never downloaded): shared by playwright.config.ts, the
// browser check `npm test` runs first, and the page benchmarks.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { lookUpChromium, type ChromiumChoice } from './chromiumLookup';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The browser on this machine: CHROMIUM_PATH, the platform's usual places, then Playwright's own download. */
export function findChromium(): ChromiumChoice {
  return lookUpChromium({
    platform: process.platform,
    env: process.env,
    playwrightChromium: chromium.executablePath(),
    exists: existsSync,
  });
}

/** The browser's executable, or an error whose message is the one line saying how to get one. */
export function chromiumExecutable(): string {
  const choice = findChromium();
  if (!choice.ok) throw new Error(choice.message);
  return choice.path;
}
