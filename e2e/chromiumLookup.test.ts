import { describe, expect, it } from 'vitest';
import { lookUpChromium } from './chromiumLookup';

const PLAYWRIGHT_LINUX = '/root/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
const among =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('lookUpChromium', () => {
  it('takes CHROMIUM_PATH first, over an installed browser', () => {
    const exists = among('/opt/chrome/chrome', '/usr/bin/chromium', PLAYWRIGHT_LINUX);
    expect(
      lookUpChromium({
        platform: 'linux',
        env: { CHROMIUM_PATH: '/opt/chrome/chrome' },
        playwrightChromium: PLAYWRIGHT_LINUX,
        exists,
      }),
    ).toEqual({
      ok: true,
      path: '/opt/chrome/chrome',
      source: 'CHROMIUM_PATH',
    });
  });

  it('stops with a line naming a CHROMIUM_PATH that does not exist, rather than quietly using another browser', () => {
    const choice = lookUpChromium({
      platform: 'linux',
      env: { CHROMIUM_PATH: '/opt/nowhere' },
      exists: among('/usr/bin/chromium'),
    });
    expect(choice).toEqual({
      ok: false,
      message: expect.stringContaining('CHROMIUM_PATH is /opt/nowhere, which does not exist'),
    });
  });

  it("finds Debian's chromium, Ubuntu's chromium-browser, the snap, then Google Chrome on Linux", () => {
    const order = [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/snap/bin/chromium',
      '/usr/bin/google-chrome-stable',
      '/usr/bin/google-chrome',
    ];
    for (let i = 0; i < order.length; i++) {
      const choice = lookUpChromium({
        platform: 'linux',
        env: {},
        playwrightChromium: PLAYWRIGHT_LINUX,
        exists: among(...order.slice(i), PLAYWRIGHT_LINUX),
      });
      expect(choice).toEqual({ ok: true, path: order[i], source: 'system' });
    }
  });

  it('finds Chromium, then Google Chrome, in /Applications and then ~/Applications on macOS', () => {
    const chromium = '/Applications/Chromium.app/Contents/MacOS/Chromium';
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const userChrome = '/Users/ana/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const env = { HOME: '/Users/ana' };
    expect(lookUpChromium({ platform: 'darwin', env, exists: among(chrome, chromium) })).toMatchObject({
      ok: true,
      path: chromium,
    });
    expect(lookUpChromium({ platform: 'darwin', env, exists: among(chrome, userChrome) })).toMatchObject({
      ok: true,
      path: chrome,
    });
    expect(lookUpChromium({ platform: 'darwin', env, exists: among(userChrome) })).toMatchObject({
      ok: true,
      path: userChrome,
    });
    // Linux paths mean nothing on a Mac.
    expect(lookUpChromium({ platform: 'darwin', env, exists: among('/usr/bin/chromium') }).ok).toBe(false);
  });

  it("falls back to Playwright's own downloaded Chromium when nothing is installed", () => {
    expect(
      lookUpChromium({
        platform: 'linux',
        env: {},
        playwrightChromium: PLAYWRIGHT_LINUX,
        exists: among(PLAYWRIGHT_LINUX),
      }),
    ).toEqual({
      ok: true,
      path: PLAYWRIGHT_LINUX,
      source: 'playwright',
    });
  });

  it('with no browser at all, says in one line how to get one on this platform', () => {
    const none = () => false;
    const linux = lookUpChromium({ platform: 'linux', env: {}, playwrightChromium: PLAYWRIGHT_LINUX, exists: none });
    const mac = lookUpChromium({ platform: 'darwin', env: { HOME: '/Users/ana' }, exists: none });
    const windows = lookUpChromium({ platform: 'win32', env: { PROGRAMFILES: 'C:\\Program Files' }, exists: none });
    expect(linux).toEqual({ ok: false, message: expect.stringContaining('sudo apt install chromium') });
    expect(mac).toEqual({ ok: false, message: expect.stringContaining('brew install --cask chromium') });
    expect(windows).toEqual({ ok: false, message: expect.stringContaining('install Google Chrome') });
    for (const choice of [linux, mac, windows]) {
      if (choice.ok) throw new Error('expected no browser');
      expect(choice.message).not.toContain('\n');
      expect(choice.message).toContain('npx playwright install chromium');
      expect(choice.message).toContain('CHROMIUM_PATH');
    }
  });

  it('looks for Chrome under Program Files on Windows', () => {
    const chrome = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    expect(
      lookUpChromium({ platform: 'win32', env: { PROGRAMFILES: 'C:\\Program Files' }, exists: among(chrome) }),
    ).toMatchObject({ ok: true, path: chrome });
  });
});
