// Moves through a lesson's steps: previous and next buttons, a link per step (the check marked as such), the
// left and right arrow keys (not while the student types), and a polite announcement of where the student is.
import { useMemo } from 'react';
import type { LessonStep } from '@core/protocol/lessonSteps';
import { useShortcuts } from '../app/useShortcuts';
import { useText } from '../app/labContext';

export interface StepNavigatorProps {
  steps: LessonStep[];
  /** The shown step, from 0. */
  index: number;
  /** Index of the check step, or -1. */
  checkIndex: number;
  /** Opens a step, from 0. */
  onStep: (index: number) => void;
  title: string;
}

export function StepNavigator({ steps, index, checkIndex, onStep, title }: StepNavigatorProps) {
  const t = useText();
  const last = steps.length - 1;
  const shortcuts = useMemo(
    () => ({
      ArrowLeft: () => index > 0 && onStep(index - 1),
      ArrowRight: () => index < last && onStep(index + 1),
    }),
    [index, last, onStep],
  );
  useShortcuts(shortcuts);
  const label = (i: number) => steps[i]!.heading ?? title;
  return (
    <nav
      className="step-nav"
      aria-label={t('steps')}
      data-testid="step-nav"
      data-step={index + 1}
      data-steps={steps.length}
    >
      <button type="button" onClick={() => onStep(index - 1)} disabled={index === 0} data-testid="step-previous">
        ← {t('stepPrevious')}
      </button>
      <ol className="step-list">
        {steps.map((_, i) => (
          <li key={i}>
            <a
              href={`#step-${i + 1}`}
              onClick={(e) => {
                e.preventDefault();
                onStep(i);
              }}
              aria-current={i === index ? 'step' : undefined}
              title={label(i)}
              className={i === checkIndex ? 'step-link step-check' : 'step-link'}
              data-testid="step-link"
            >
              <span aria-hidden="true">{i === checkIndex ? '✓' : i + 1}</span>
              <span className="visually-hidden">{`${t('stepOf')
                .replace('{i}', String(i + 1))
                .replace('{n}', String(steps.length))}: ${label(i)}`}</span>
            </a>
          </li>
        ))}
      </ol>
      <span className="step-status" aria-live="polite" data-testid="step-status">
        {t('stepOf')
          .replace('{i}', String(index + 1))
          .replace('{n}', String(steps.length))}
        {index === checkIndex ? ` · ${t('stepCheck')}` : ''}
      </span>
      <button
        type="button"
        className="primary"
        onClick={() => onStep(index + 1)}
        disabled={index === last}
        data-testid="step-next"
      >
        {t('stepNext')} →
      </button>
    </nav>
  );
}
