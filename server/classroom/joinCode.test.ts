import { describe, expect, it } from 'vitest';
import {
  displayJoinCode,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  joinCodeMatches,
  newJoinCode,
  newSecret,
  normalizeJoinCode,
} from './joinCode.js';

describe('join code', () => {
  it('is six letters from the unambiguous alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const code = newJoinCode();
      expect(code).toHaveLength(JOIN_CODE_LENGTH);
      for (const c of code) expect(JOIN_CODE_ALPHABET).toContain(c);
    }
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[0O1IL2Z5S8B]/);
  });

  it('skips bytes above the largest multiple of the alphabet, so every letter is equally likely', () => {
    // 255 is rejected (256 % 25 = 6, so bytes 250..255 would favour the first six letters).
    const bytes = [255, 251, 250, 0, 1, 2, 3, 4, 24, 49];
    let calls = 0;
    const code = newJoinCode((n) => {
      calls++;
      return Buffer.from(Array.from({ length: n }, (_, i) => bytes[i] ?? 0));
    });
    expect(calls).toBe(1);
    const a = JOIN_CODE_ALPHABET;
    expect(code).toBe(`${a[0]}${a[1]}${a[2]}${a[3]}${a[4]}${a[24]}`);
  });

  it('accepts what students type: lower case, spaces, the dash the banner shows', () => {
    expect(normalizeJoinCode(' kq7-m3d ')).toBe('KQ7M3D');
    expect(joinCodeMatches('kq7 m3d', 'KQ7M3D')).toBe(true);
    expect(joinCodeMatches(displayJoinCode('KQ7M3D'), 'KQ7M3D')).toBe(true);
    expect(displayJoinCode('KQ7M3D')).toBe('KQ7-M3D');
  });

  it('refuses any other code, including prefixes and longer strings', () => {
    for (const wrong of ['', 'KQ7M3', 'KQ7M3DX', 'KQ7M3E', 'x'.repeat(1000)])
      expect(joinCodeMatches(wrong, 'KQ7M3D')).toBe(false);
  });

  it('makes long URL-safe secrets that differ', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });
});
