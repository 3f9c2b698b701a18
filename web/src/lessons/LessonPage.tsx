// One lesson: its text one step at a time (with live placeholders), its live views and its code.
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Lesson } from '@core/protocol/lessons';
import { checkStepIndex, splitSteps } from '@core/protocol/lessonSteps';
import { useLab, useLabConnection, useText } from '../app/labContext';
import { VIEW_REGISTRY } from '../views/viewRegistry';
import { CodePane } from './CodePane';
import { fillPlaceholders } from './lessonPlaceholders';
import { LessonMarkdown } from './LessonMarkdown';
import { StepNavigator } from './StepNavigator';

export interface LessonPageProps {
  slug: string;
  theme: 'dark' | 'light';
  /** The step the address names, from 1; null for the first. */
  step: number | null;
  /** Opens a step, from 1 (the address follows, so the back button goes back a step). */
  onStep: (step: number) => void;
}

export function LessonPage({ slug, theme, step, onStep }: LessonPageProps) {
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

  const steps = useMemo(() => (lesson ? splitSteps(lesson.body[language]) : []), [lesson, language]);
  const index = Math.min(Math.max((step ?? 1) - 1, 0), Math.max(steps.length - 1, 0));
  const openStep = useCallback((i: number) => onStep(i + 1), [onStep]);

  // A step opened from the navigator takes the focus to its text (screen readers read it; the page scrolls to it).
  const stepText = useRef<HTMLDivElement>(null);
  const shownIndex = useRef<number | null>(null);
  useEffect(() => {
    if (steps.length === 0) return;
    if (shownIndex.current !== null && shownIndex.current !== index) stepText.current?.focus();
    shownIndex.current = index;
  }, [index, steps.length]);

  if (error)
    return (
      <p className="error" role="alert">
        {t('lessonFailed')}: {error}
      </p>
    );
  if (!lesson) return <p className="muted">{t('loadingLesson')}</p>;

  return (
    <article className="lesson" data-testid="lesson" data-slug={lesson.slug}>
      <div className="lesson-text">
        <h1>{lesson.title[language]}</h1>
        <div className="lesson-step" ref={stepText} tabIndex={-1} data-testid="lesson-step" data-step={index + 1}>
          <LessonMarkdown markdown={fillPlaceholders(steps[index]?.markdown ?? '', status)} theme={theme} />
        </div>
        {steps.length > 1 && (
          <StepNavigator
            steps={steps}
            index={index}
            checkIndex={checkStepIndex(steps, language)}
            onStep={openStep}
            title={lesson.title[language]}
          />
        )}
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
        {lesson.files.length > 0 && <CodePane key={lesson.slug} files={lesson.files} theme={theme} lesson={lesson} />}
      </div>
    </article>
  );
}
