// Dark and light themes: follows the system until the student picks one, then remembers it.
export type Theme = 'dark' | 'light';

const STORAGE_KEY = 'gonet-lab.theme';

export function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // fall through to the system preference
  }
  return matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // not remembered, still applied
  }
}
