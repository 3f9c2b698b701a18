// One lesson: its text (with live placeholders), its live views and its code.
import { Suspense, useEffect, useState } from 'react';
import type { Lesson } from '@core/protocol/lessons';
import { useLab, useLabConnection, useText } from '../app/labContext';
import { VIEW_REGISTRY } from '../views/viewRegistry';
import { CodePane } from './CodePane';
import { fillPlaceholders } from './lessonPlaceholders';
import { LessonMarkdown } from './LessonMarkdown';

export function LessonPage({ slug, theme }: { slug: string; theme: 'dark' | 'light' }) {
  const { socket, language } = useLab();
  const { status } = useLabConnection();
  const t = useText();
  const [lesson, setLesson] = useState<Lesson | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch(`/api/lessons/${slug}`)
      .then(async (r) => {
        if (!r.ok) {
          const failure = (await r.json().catch(() => null)) as { error?: { detail?: string } } | null;
          throw new Error(failure?.error?.detail ?? `HTTP ${r.status}`);
        }
        return (await r.json()) as Lesson;
      })
      .then(setLesson, (err: Error) => setError(err.message));
  }, [slug]);

  useEffect(() => {
    if (lesson) socket.setDemos(lesson.demos);
  }, [lesson, socket]);

  useEffect(() => {
    if (lesson) document.title = `${lesson.title[language]} · GoNet Lab`;
  }, [lesson, language]);

  if (error) return <p className="error" role="alert">{t('lessonFailed')}: {error}</p>;
  if (!lesson) return <p className="muted">{t('loadingLesson')}</p>;

  return (
    <article className="lesson" data-testid="lesson" data-slug={lesson.slug}>
      <div className="lesson-text">
        <h1>{lesson.title[language]}</h1>
        <LessonMarkdown markdown={fillPlaceholders(lesson.body[language], status)} theme={theme} />
      </div>
      <div className="lesson-live">
        {lesson.views.map((name) => {
          const View = VIEW_REGISTRY[name];
          return View ? (
            <Suspense key={name} fallback={<div className="panel placeholder">…</div>}>
              <View lesson={lesson} demos={lesson.demos} />
            </Suspense>
          ) : (
            <p key={name} className="error">
              {t('unknownView')}: {name}
            </p>
          );
        })}
        {lesson.files.length > 0 && <CodePane files={lesson.files} theme={theme} lesson={lesson} />}
      </div>
    </article>
  );
}
