// The lab shell: header (connection, language, theme), the lesson list and the current lesson.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LessonSummary } from '@core/protocol/lessons';
import { initialLanguage, rememberLanguage, type Language } from '../i18n/language';
import { UI } from '../i18n/uiText';
import type { LabSocket } from '../net/labSocket';
import type { EventStore } from '../store/eventStore';
import { LessonPage } from '../lessons/LessonPage';
import { ConnectionBadge } from './ConnectionBadge';
import { LabContext } from './labContext';
import { applyTheme, initialTheme, type Theme } from './theme';
import { useRoute } from './useRoute';
import { useShortcuts } from './useShortcuts';

export function App({ socket, store }: { socket: LabSocket; store: EventStore }) {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [lessons, setLessons] = useState<LessonSummary[] | null>(null);
  const [lessonsError, setLessonsError] = useState<string | null>(null);
  const [route, go] = useRoute();
  const slug = route?.slug ?? null;
  const [help, setHelp] = useState(false);

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    rememberLanguage(language);
  }, [language]);
  useEffect(() => {
    fetch('/api/lessons')
      .then((r) => (r.ok ? (r.json() as Promise<LessonSummary[]>) : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setLessons, (err: Error) => setLessonsError(err.message));
  }, []);

  const current = slug ?? lessons?.[0]?.slug ?? null;
  const step = useCallback(
    (delta: number) => {
      if (!lessons || !current) return;
      const i = lessons.findIndex((l) => l.slug === current);
      const next = lessons[i + delta];
      if (next) go(next.slug);
    },
    [lessons, current, go],
  );
  const shortcuts = useMemo(
    () => ({
      '[': () => step(-1),
      ']': () => step(1),
      t: () => setTheme((t) => (t === 'dark' ? 'light' : 'dark')),
      l: () => setLanguage((l) => (l === 'en' ? 'zh' : 'en')),
      '?': () => setHelp((h) => !h),
      Escape: () => setHelp(false),
    }),
    [step],
  );
  useShortcuts(shortcuts);

  const context = useMemo(() => ({ socket, store, language }), [socket, store, language]);
  const t = (k: keyof typeof UI) => UI[k][language];

  return (
    <LabContext.Provider value={context}>
      <div className="shell">
        <header className="topbar">
          <span className="brand">GoNet Lab</span>
          <ConnectionBadge />
          <span className="spacer" />
          <button
            type="button"
            className="ghost"
            title={t('languageTitle')}
            onClick={() => setLanguage(language === 'en' ? 'zh' : 'en')}
            data-testid="language-toggle"
          >
            {t('language')}
          </button>
          <button
            type="button"
            className="ghost"
            title={t('themeTitle')}
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            data-testid="theme-toggle"
          >
            {theme === 'dark' ? t('themeLight') : t('themeDark')}
          </button>
          <button type="button" className="ghost" title={t('shortcuts')} onClick={() => setHelp(!help)}>
            ?
          </button>
        </header>
        <nav className="sidebar" aria-label={t('lessons')}>
          <h2>{t('lessons')}</h2>
          {lessonsError && <p className="error">{lessonsError}</p>}
          <ol>
            {lessons?.map((l) => (
              <li key={l.slug}>
                <a href={`#/${l.slug}`} aria-current={l.slug === current ? 'page' : undefined} title={l.error}>
                  <span className="lesson-number">{l.order}</span> {l.title[language]}
                  {l.error && <span className="error"> ⚠</span>}
                </a>
              </li>
            ))}
          </ol>
        </nav>
        <main className="content">
          {current && (
            <LessonPage
              key={current}
              slug={current}
              theme={theme}
              step={route?.slug === current ? route.step : null}
              onStep={(n) => go(current, n)}
            />
          )}
        </main>
        {help && (
          <div className="dialog" role="dialog" aria-label={t('shortcuts')}>
            <h3>{t('shortcuts')}</h3>
            <p>{t('shortcutsList')}</p>
            <button type="button" onClick={() => setHelp(false)}>
              {t('close')}
            </button>
          </div>
        )}
      </div>
    </LabContext.Provider>
  );
}
