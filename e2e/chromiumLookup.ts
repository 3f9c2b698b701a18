// Which browser the walks and the page benchmarks drive: a pure choice from the platform, the environment and the
// paths that exist, so every branch is tested without installing or removing a browser.

export interface ChromiumLookupInput {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** Where Playwright keeps the Chromium it downloads (`chromium.executablePath()`), present or not. */
  playwrightChromium?: string;
  exists: (path: string) => boolean;
}

export type ChromiumChoice =
  { ok: true; path: string; source: 'CHROMIUM_PATH' | 'system' | 'playwright' } | { ok: false; message: string };

/** Where Chromium or Chrome is installed by the platform's usual channels, most likely first. */
export function systemChromiumPaths(platform: NodeJS.Platform, env: ChromiumLookupInput['env']): string[] {
  switch (platform) {
    case 'linux':
      return [
        '/usr/bin/chromium', // Debian
        '/usr/bin/chromium-browser', // Ubuntu (the snap's launcher), Fedora
        '/snap/bin/chromium',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
      ];
    case 'darwin': {
      const apps = ['/Applications', ...(env.HOME ? [`${env.HOME}/Applications`] : [])];
      return apps.flatMap((dir) => [
        `${dir}/Chromium.app/Contents/MacOS/Chromium`,
        `${dir}/Google Chrome.app/Contents/MacOS/Google Chrome`,
      ]);
    }
    case 'win32': {
      const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
      return roots.map((root) => `${root}\\Google\\Chrome\\Application\\chrome.exe`);
    }
    default:
      return [];
  }
}

/** How to get a browser on this platform, as one line. */
export function howToGetChromium(platform: NodeJS.Platform): string {
  const install =
    platform === 'linux'
      ? 'install one (Debian/Ubuntu: sudo apt install chromium)'
      : platform === 'darwin'
        ? 'install one (brew install --cask chromium, or Google Chrome)'
        : platform === 'win32'
          ? 'install Google Chrome'
          : 'install Chromium';
  return `No Chromium or Chrome found for the walks: ${install}, or run npx playwright install chromium, or set CHROMIUM_PATH to a Chromium or Chrome executable.`;
}

/** CHROMIUM_PATH, then the platform's usual locations, then Playwright's own download; else one line saying how. */
export function lookUpChromium(input: ChromiumLookupInput): ChromiumChoice {
  const wanted = input.env.CHROMIUM_PATH;
  if (wanted) {
    // Asked for by name: a wrong path is an error, not a reason to quietly run a different browser.
    if (input.exists(wanted)) return { ok: true, path: wanted, source: 'CHROMIUM_PATH' };
    return {
      ok: false,
      message: `CHROMIUM_PATH is ${wanted}, which does not exist: point it at a Chromium or Chrome executable, or unset it.`,
    };
  }
  const system = systemChromiumPaths(input.platform, input.env).find((p) => input.exists(p));
  if (system) return { ok: true, path: system, source: 'system' };
  if (input.playwrightChromium && input.exists(input.playwrightChromium))
    return { ok: true, path: input.playwrightChromium, source: 'playwright' };
  return { ok: false, message: howToGetChromium(input.platform) };
}
