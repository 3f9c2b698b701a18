// The instructor's page: how students join (code, addresses, QR), the live roster, and the class controls
// (bring everyone to a lesson, remove a student, show one student's run, CSV of progress).
import { useEffect, useMemo, useState } from 'react';
import { CLASSROOM_WS_PATH, type ClassroomServerMessage, type RosterEntry } from '@core/protocol/classroom';
import type { LessonSummary } from '@core/protocol/lessons';
import type { WireError } from '@core/protocol/errors';
import { initialLanguage, rememberLanguage, type Language } from '../i18n/language';
import { applyTheme, initialTheme, type Theme } from '../app/theme';
import { postJson } from './classroomApi';
import { CLASS_TEXT } from './classroomText';

interface JoinInfo {
  joinCode: string;
  joinUrls: string[];
  classSize: number;
}

export function InstructorPage() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [students, setStudents] = useState<RosterEntry[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [lessons, setLessons] = useState<LessonSummary[]>([]);
  const [target, setTarget] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<WireError | null>(null);
  const t = (k: keyof typeof CLASS_TEXT) => CLASS_TEXT[k][language];

  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = `GoNet Lab: ${CLASS_TEXT.instructorTitle[language]}`;
    rememberLanguage(language);
  }, [language]);
  useEffect(() => {
    void fetch('/api/classroom/instructor/info').then(async (r) => r.ok && setInfo((await r.json()) as JoinInfo));
    void fetch('/api/lessons').then(async (r) => {
      if (!r.ok) return;
      const list = (await r.json()) as LessonSummary[];
      setLessons(list);
      setTarget((old) => old || (list[0]?.slug ?? ''));
    });
  }, []);
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    const connect = () => {
      ws = new WebSocket(
        `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${CLASSROOM_WS_PATH}/instructor`,
      );
      ws.onmessage = (e) => {
        const m = JSON.parse(String(e.data)) as ClassroomServerMessage;
        if (m.type === 'roster') {
          setStudents(m.students);
          setShown(m.shown);
        }
      };
      ws.onclose = () => !stopped && window.setTimeout(connect, 1500);
    };
    connect();
    return () => {
      stopped = true;
      ws?.close();
    };
  }, []);

  const act = async (path: string, body: unknown, done?: (b: Record<string, unknown>) => void) => {
    setError(null);
    const r = await postJson(`/api/classroom/instructor/${path}`, body);
    if (r.ok) done?.(r.body);
    else setError(r.error);
  };
  const time = useMemo(
    () => new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en', { timeStyle: 'medium' }),
    [language],
  );
  const lessonTitle = (slug: string | null) =>
    slug ? (lessons.find((l) => l.slug === slug)?.title[language] ?? slug) : '—';

  return (
    <main className="class-page instructor-page">
      <header className="class-header">
        <h1>{t('instructorTitle')}</h1>
        <span>
          <a href="/">{t('backToLab')}</a>{' '}
          <button
            type="button"
            className="ghost"
            onClick={() => setLanguage(language === 'en' ? 'zh' : 'en')}
            data-testid="language-toggle"
          >
            {t('language')}
          </button>{' '}
          <button
            type="button"
            className="ghost"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            data-testid="theme-toggle"
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </span>
      </header>
      {info && (
        <section className="class-join-info" aria-label={t('joinWith')}>
          <img src="/api/classroom/instructor/qr.svg" alt={t('qrAlt')} />
          <div>
            <p>
              {t('joinCode')}:{' '}
              <span className="class-code" data-testid="join-code-shown">
                {info.joinCode}
              </span>
            </p>
            <p>{t('joinWith')}:</p>
            <ul>
              {info.joinUrls.map((u) => (
                <li key={u}>
                  <code>{u}</code>
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
      <div className="class-controls">
        <label>
          {t('bring')}{' '}
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="broadcast-lesson">
            {lessons.map((l) => (
              <option key={l.slug} value={l.slug}>
                {l.order}. {l.title[language]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          data-testid="broadcast"
          onClick={() =>
            void act('broadcast', { lesson: target }, (b) => setNotice(t('sentTo').replace('{n}', String(b.sent))))
          }
        >
          {t('bringButton')}
        </button>
        <a href="/api/classroom/instructor/progress.csv" download data-testid="csv">
          {t('csv')}
        </a>
        {shown && (
          <button type="button" onClick={() => void act('show', { studentId: null })}>
            {t('stopShowing')}
          </button>
        )}
      </div>
      {notice && <p role="status">{notice}</p>}
      {error && (
        <p className="error" role="alert" data-code={error.code}>
          {error.message[language]}
        </p>
      )}
      <h2>
        {t('roster')} ({students.length}
        {info ? ` / ${info.classSize}` : ''})
      </h2>
      {students.length === 0 ? (
        <p>{t('noStudents')}</p>
      ) : (
        <table className="roster" data-testid="roster">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colJoined')}</th>
              <th scope="col">{t('colLesson')}</th>
              <th scope="col">{t('colPassed')}</th>
              <th scope="col">{t('colActivity')}</th>
              <th scope="col">{t('colConnected')}</th>
              <th scope="col">{t('colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {students.map((s) => (
              <tr key={s.studentId} data-testid="roster-row" data-name={s.name}>
                <td>{s.name}</td>
                <td>{time.format(s.joinedAt)}</td>
                <td data-testid="roster-lesson" data-slug={s.lesson ?? ''}>
                  {lessonTitle(s.lesson)}
                </td>
                <td data-testid="roster-passed">{s.exercisesPassed}</td>
                <td>{time.format(s.lastActivity)}</td>
                <td data-testid="roster-connected">{s.connected ? t('yes') : t('no')}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => void act('show', { studentId: shown === s.studentId ? null : s.studentId })}
                    aria-pressed={shown === s.studentId}
                  >
                    {shown === s.studentId ? t('stopShowing') : t('show')}
                  </button>
                  <button type="button" onClick={() => void act('kick', { studentId: s.studentId })} data-testid="kick">
                    {t('kick')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
