// Install hints per platform and the version check the Go tab shows.
import { describe, expect, it } from 'vitest';
import { goVersionOlderThan, installHints, installPlatform } from './goInstallHints.js';

describe('installPlatform', () => {
  it('reads the platform and /etc/os-release', () => {
    expect(installPlatform('linux', 'ID=debian\nVERSION_ID="12"\n')).toBe('debian');
    expect(installPlatform('linux', 'ID=linuxmint\nID_LIKE="ubuntu debian"\n')).toBe('debian');
    expect(installPlatform('linux', 'ID="fedora"\n')).toBe('fedora');
    expect(installPlatform('linux', '')).toBe('other');
    expect(installPlatform('darwin', '')).toBe('macos');
    expect(installPlatform('win32', '')).toBe('windows');
  });
  it('puts the machine’s own platform first and keeps every other', () => {
    const hints = installHints('macos');
    expect(hints[0]).toEqual({ platform: 'macos', command: 'brew install go' });
    expect(new Set(hints.map((h) => h.platform)).size).toBe(hints.length);
    expect(hints.map((h) => h.platform)).toContain('debian');
  });
});

describe('goVersionOlderThan', () => {
  it('compares major and minor', () => {
    expect(goVersionOlderThan('go1.18.10 linux/amd64', '1.19')).toBe(true);
    expect(goVersionOlderThan('go1.19.8 linux/amd64', '1.19')).toBe(false);
    expect(goVersionOlderThan('go1.22rc1 linux/arm64', '1.19')).toBe(false);
    expect(goVersionOlderThan('go1.9 linux/amd64', '1.19')).toBe(true);
    expect(goVersionOlderThan('devel +abc', '1.19')).toBe(false);
  });
});
