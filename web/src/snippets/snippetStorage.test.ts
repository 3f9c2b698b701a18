// What a student's browser kept under a renamed lesson's old slug moves to the new one, without overwriting newer work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEdit, loadProgress, migrateStoredLesson, recordProgress, saveEdit } from './snippetStorage';

/** A Storage in memory, as a browser's localStorage behaves. */
class MemoryStorage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, String(v));
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
  keys() {
    return [...this.items.keys()];
  }
}

let store: MemoryStorage;
beforeEach(() => {
  store = new MemoryStorage();
  (globalThis as { localStorage?: unknown }).localStorage = store;
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('migrateStoredLesson', () => {
  it('moves edits and progress to the new slug and leaves nothing under the old one', () => {
    saveEdit('12-worker-pool', 'start.ts', 'my work');
    recordProgress('12-worker-pool', 3, 5, false);
    saveEdit('09-worker-pool', 'main.ts', 'other lesson');
    migrateStoredLesson('12-worker-pool', '12-bounded-dialer');
    expect(loadEdit('12-bounded-dialer', 'start.ts')).toBe('my work');
    expect(loadProgress('12-bounded-dialer')).toMatchObject({ passed: 3, total: 5 });
    expect(store.keys().some((k) => k.includes('12-worker-pool'))).toBe(false);
    expect(loadEdit('09-worker-pool', 'main.ts')).toBe('other lesson');
    // A second run finds nothing to move.
    migrateStoredLesson('12-worker-pool', '12-bounded-dialer');
    expect(loadEdit('12-bounded-dialer', 'start.ts')).toBe('my work');
  });

  it('keeps what the new slug already has', () => {
    saveEdit('12-worker-pool', 'start.ts', 'old');
    saveEdit('12-bounded-dialer', 'start.ts', 'newer');
    migrateStoredLesson('12-worker-pool', '12-bounded-dialer');
    expect(loadEdit('12-bounded-dialer', 'start.ts')).toBe('newer');
    expect(loadEdit('12-worker-pool', 'start.ts')).toBeNull();
  });
});
