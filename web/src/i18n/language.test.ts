import { describe, expect, it } from 'vitest';
import { languageFromPreferences } from './language';
import { UI } from './uiText';

describe('language', () => {
  it('follows the first Chinese or English preference', () => {
    expect(languageFromPreferences(['zh-CN', 'en'])).toBe('zh');
    expect(languageFromPreferences(['fr', 'zh-TW'])).toBe('zh');
    expect(languageFromPreferences(['en-GB', 'zh'])).toBe('en');
    expect(languageFromPreferences(['de'])).toBe('en');
    expect(languageFromPreferences([])).toBe('en');
  });
  it('has every UI string in both languages', () => {
    for (const [key, text] of Object.entries(UI)) {
      expect(text.en, key).not.toBe('');
      expect(text.zh, key).not.toBe('');
    }
  });
});
