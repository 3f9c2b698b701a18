// What the lab answers when it checks a student's Go exercise: per-check results in the same shape as the
// TypeScript checks' (the page shows both alike), the seed of the random splits, and how the build went.
import type { LocalizedText, WireError } from './errors.js';

/** Lessons whose exercise has a Go version the lab checks as the real TCP peer. */
export const GO_EXERCISES = [
  '11-length-prefix-decoder',
  '12-bounded-dialer',
  '13-heartbeat-client',
  '20-reconnecting-client',
  '21-token-bucket',
  '22-failing-fast',
] as const;
export type GoExercise = (typeof GO_EXERCISES)[number];

export function isGoExercise(lesson: string): lesson is GoExercise {
  return (GO_EXERCISES as readonly string[]).includes(lesson);
}

/** One check's result: the fields of the TypeScript runner's CheckResult (a Go program has no mapped position). */
export interface GoCheckResult {
  index: number;
  name: LocalizedText;
  pass: boolean;
  /** Why it failed, in both languages; null when it passed. */
  message: LocalizedText | null;
  position: null;
}

export interface GoExerciseReport {
  lesson: GoExercise;
  /** Seed of the checker's random choices (how the frames were split): the same seed gives the same run. */
  seed: number;
  /** checked: every check ran; compile-error or failed: the program did not build or the checker could not run. */
  status: 'checked' | 'compile-error' | 'failed';
  error?: WireError;
  checks: GoCheckResult[];
  ms: number;
}
