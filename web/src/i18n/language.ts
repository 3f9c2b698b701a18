// The UI language: follows the browser until the student picks one, then remembers the choice.
import type { LocalizedText } from '@core/protocol/errors';

export type Language = 'en' | 'zh';

const STORAGE_KEY = 'gonet-lab.language';

/** Picks the lab language from the browser's preferences: Chinese if any preferred language is Chinese. Pure. */
export function languageFromPreferences(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function initialLanguage(): Language {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    // Storage can be blocked; the browser's preference still works.
  }
  return languageFromPreferences(navigator.languages ?? [navigator.language]);
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but still applied for this visit.
  }
}

export function pick(text: LocalizedText, language: Language): string {
  return text[language];
}
