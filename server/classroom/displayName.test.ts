import { describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH, nameKey, normalizeDisplayName } from './displayName.js';

describe('display names', () => {
  it('trims and collapses spaces, and keeps names in any script', () => {
    expect(normalizeDisplayName('  Ana   Li ')).toBe('Ana Li');
    expect(normalizeDisplayName('李小明')).toBe('李小明');
    expect(normalizeDisplayName("O'Brien-Smith (2)")).toBe("O'Brien-Smith (2)");
  });

  it('refuses empty, too long, markup and control characters', () => {
    for (const bad of [
      '',
      '   ',
      'a'.repeat(MAX_NAME_LENGTH + 1),
      '<script>',
      'Ana\u0000',
      'Ana\u202eiL',
      'a;b',
      '=cmd()',
    ]) {
      expect(normalizeDisplayName(bad)).toBeNull();
    }
    expect(normalizeDisplayName('a'.repeat(MAX_NAME_LENGTH))).not.toBeNull();
  });

  it('gives one key to spellings that differ only by case, width or spacing', () => {
    expect(nameKey('Ana Li')).toBe(nameKey('ana  li'));
    expect(nameKey('ＡＮＡ ＬＩ')).toBe(nameKey('ana li'));
    expect(nameKey('Ana Li')).not.toBe(nameKey('Ana Lee'));
  });
});
