// Which demo the goroutine views follow on a page: null for "the latest run among the lesson's demos", or one
// demo the student picked above the timeline. Shared so the dump table follows the timeline's choice. The
// student's own snippet run (its demo id, set by the snippet workbench) counts as one more demo of the page.
import { useSyncExternalStore } from 'react';

let pinned: string | null = null;
let snippetRun: string | null = null;
const listeners = new Set<() => void>();

function changed(): void {
  for (const l of listeners) l();
}

export function setGoroutineDemoPin(demo: string | null): void {
  pinned = demo;
  changed();
}

/** The demo id of the student's latest snippet run on this page (null: none, or the page left the lesson). */
export function setSnippetRunDemo(demo: string | null): void {
  if (demo === snippetRun) return;
  snippetRun = demo;
  changed();
}

export function snippetRunDemo(): string | null {
  return snippetRun;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useGoroutineDemoPin(): string | null {
  return useSyncExternalStore(subscribe, () => pinned);
}

export function useSnippetRunDemo(): string | null {
  return useSyncExternalStore(subscribe, () => snippetRun);
}

/** The lesson's demos and, after them, the student's run (if any). */
export function withSnippetRun(demos: readonly string[], run: string | null): string[] {
  return run === null || demos.includes(run) ? [...demos] : [...demos, run];
}

/** The demos a goroutine view folds: the pinned one if it is among the lesson's, else all of them. */
export function followedDemos(demos: readonly string[], pin: string | null): string | null {
  if (pin !== null && demos.includes(pin)) return pin;
  return demos.length === 0 ? null : demos.join(',');
}
