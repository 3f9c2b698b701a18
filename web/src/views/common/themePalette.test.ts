// The palette reader: each colour from its theme variable, the fallback where the theme does not set it, and the
// panel's base colours in every palette.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BASE_PALETTE, readPalette } from './themePalette';

afterEach(() => vi.unstubAllGlobals());

describe('readPalette', () => {
  it('reads theme variables, trimmed, and falls back where one is unset', () => {
    const vars: Record<string, string> = { '--fg': ' #010203 ', '--wp-done': '#00ff00' };
    vi.stubGlobal('getComputedStyle', () => ({ getPropertyValue: (name: string) => vars[name] ?? '' }));
    const p = readPalette({} as Element, { done: ['--wp-done', '#111111'], busy: ['--wp-busy', '#222222'] });
    expect(p).toEqual({
      bg: BASE_PALETTE.bg[1],
      fg: '#010203',
      muted: BASE_PALETTE.muted[1],
      grid: BASE_PALETTE.grid[1],
      done: '#00ff00',
      busy: '#222222',
    });
  });
});
