// Which demo the goroutine views follow on a page: null for "the latest run among the lesson's demos", or one
// demo the student picked above the timeline. Shared so the dump table follows the timeline's choice.
import { useSyncExternalStore } from 'react';

let pinned: string | null = null;
const listeners = new Set<() => void>();

export function setGoroutineDemoPin(demo: string | null): void {
  pinned = demo;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useGoroutineDemoPin(): string | null {
  return useSyncExternalStore(subscribe, () => pinned);
}

/** The demos a goroutine view folds: the pinned one if it is among the lesson's, else all of them. */
export function followedDemos(demos: readonly string[], pin: string | null): string | null {
  if (pin !== null && demos.includes(pin)) return pin;
  return demos.length === 0 ? null : demos.join(',');
}
