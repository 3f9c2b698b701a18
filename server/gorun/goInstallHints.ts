// How to install Go, per platform, with the lab machine's own platform first; and whether a version is new enough
// for the lessons. Pure (the platform and /etc/os-release text are passed in).
import type { GoInstallHint } from '../../core/protocol/demos/goRun.js';

const HINTS: readonly GoInstallHint[] = [
  { platform: 'debian', command: 'sudo apt install golang-go' },
  { platform: 'fedora', command: 'sudo dnf install golang' },
  { platform: 'arch', command: 'sudo pacman -S go' },
  { platform: 'alpine', command: 'sudo apk add go' },
  { platform: 'macos', command: 'brew install go' },
  { platform: 'windows', command: 'winget install GoLang.Go' },
  { platform: 'other', command: 'https://go.dev/dl/' },
];

/** The lab machine's platform as the hints name it, from process.platform and /etc/os-release (Linux). */
export function installPlatform(platform: NodeJS.Platform, osRelease: string): GoInstallHint['platform'] {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  if (platform !== 'linux') return 'other';
  const ids = [...osRelease.matchAll(/^(?:ID|ID_LIKE)=(.*)$/gm)].flatMap((m) => m[1]!.replace(/"/g, '').split(/\s+/));
  for (const [id, hint] of [
    ['debian', 'debian'],
    ['ubuntu', 'debian'],
    ['fedora', 'fedora'],
    ['rhel', 'fedora'],
    ['arch', 'arch'],
    ['alpine', 'alpine'],
  ] as const)
    if (ids.includes(id)) return hint;
  return 'other';
}

/** Every hint, the given platform's first. */
export function installHints(first: GoInstallHint['platform']): GoInstallHint[] {
  return [...HINTS.filter((h) => h.platform === first), ...HINTS.filter((h) => h.platform !== first)];
}

/** True when "go1.18.2 linux/amd64" (or "go1.22rc1 …") is older than `needs` ("1.19"); unknown forms are not. */
export function goVersionOlderThan(version: string, needs: string): boolean {
  const m = /^go(\d+)\.(\d+)/.exec(version);
  const n = /^(\d+)\.(\d+)/.exec(needs);
  if (!m || !n) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [needMajor, needMinor] = [Number(n[1]), Number(n[2])];
  return major < needMajor || (major === needMajor && minor < needMinor);
}
