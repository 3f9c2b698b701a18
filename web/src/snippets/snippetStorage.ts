// What the browser keeps per lesson: the student's edits of the snippet, and exercise progress. localStorage,
// with every access guarded (private windows and full storage must not break the page).

const editKey = (slug: string, file: string) => `gonet-lab:snippet:${slug}:${file}`;
const progressKey = (slug: string) => `gonet-lab:progress:${slug}`;

export interface ExerciseProgress {
  /** Checks that passed in the best attempt, and how many there are. */
  passed: number;
  total: number;
  /** True once every check passed with the student's own code (not after Solve). */
  solved: boolean;
  /** True once the student pressed Solve. */
  revealed: boolean;
  at: number;
}

/** What changed in the student's work; the classroom mirrors it to the server for a joined student. */
export type WorkChange =
  | { kind: 'edit'; slug: string; file: string; text: string | null }
  | { kind: 'progress'; slug: string; progress: ExerciseProgress }
  | { kind: 'run'; slug: string; output: string };

const workListeners = new Set<(change: WorkChange) => void>();

/** Calls `listener` after each saved edit or progress change; returns the function that stops it. */
export function onWorkSaved(listener: (change: WorkChange) => void): () => void {
  workListeners.add(listener);
  return () => workListeners.delete(listener);
}

function announce(change: WorkChange): void {
  for (const l of workListeners) l(change);
}

/** A run finished with this output (not kept in the browser; the classroom keeps a joined student's last run). */
export function announceRun(slug: string, output: string): void {
  announce({ kind: 'run', slug, output });
}

/** Puts work kept elsewhere (the classroom's copy) into this browser, without announcing it back. */
export function restoreWork(
  progress: Record<string, ExerciseProgress>,
  edits: Record<string, Record<string, string>>,
): void {
  const s = storage();
  if (!s) return;
  try {
    for (const [slug, p] of Object.entries(progress)) s.setItem(progressKey(slug), JSON.stringify(p));
    for (const [slug, files] of Object.entries(edits))
      for (const [file, text] of Object.entries(files)) s.setItem(editKey(slug, file), text);
  } catch {
    // see saveEdit
  }
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadEdit(slug: string, file: string): string | null {
  try {
    return storage()?.getItem(editKey(slug, file)) ?? null;
  } catch {
    return null;
  }
}

export function saveEdit(slug: string, file: string, text: string | null): void {
  try {
    const s = storage();
    if (!s) return;
    if (text === null) s.removeItem(editKey(slug, file));
    else s.setItem(editKey(slug, file), text);
  } catch {
    // Full or forbidden storage: the edit lives on in the page until it is closed.
  }
  announce({ kind: 'edit', slug, file, text });
}

export function loadProgress(slug: string): ExerciseProgress | null {
  try {
    const raw = storage()?.getItem(progressKey(slug));
    if (!raw) return null;
    const p = JSON.parse(raw) as Partial<ExerciseProgress>;
    if (typeof p.passed !== 'number' || typeof p.total !== 'number') return null;
    return {
      passed: p.passed,
      total: p.total,
      solved: p.solved === true,
      revealed: p.revealed === true,
      at: typeof p.at === 'number' ? p.at : 0,
    };
  } catch {
    return null;
  }
}

/** Records a check run; keeps the best result, and `solved` once reached. Returns what was stored. */
export function recordProgress(slug: string, passed: number, total: number, fromSolution: boolean): ExerciseProgress {
  const old = loadProgress(slug);
  const next: ExerciseProgress = {
    passed: Math.max(passed, old && old.total === total ? old.passed : 0),
    total,
    solved: (old?.solved ?? false) || (!fromSolution && passed === total && total > 0),
    revealed: (old?.revealed ?? false) || fromSolution,
    at: Date.now(),
  };
  try {
    storage()?.setItem(progressKey(slug), JSON.stringify(next));
  } catch {
    // see saveEdit
  }
  announce({ kind: 'progress', slug, progress: next });
  return next;
}

export function markRevealed(slug: string): void {
  const old = loadProgress(slug);
  const next: ExerciseProgress = { ...(old ?? { passed: 0, total: 0, solved: false }), revealed: true, at: Date.now() };
  announce({ kind: 'progress', slug, progress: next });
  try {
    storage()?.setItem(progressKey(slug), JSON.stringify(next));
  } catch {
    // see saveEdit
  }
}

/**
 * Moves what is stored under a lesson's old slug to its new one (a renamed folder). Entries the new slug already
 * has are kept: they are newer than the old ones.
 */
export function migrateStoredLesson(from: string, to: string): void {
  try {
    const s = storage();
    if (!s) return;
    const moves: [string, string][] = [];
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      if (key === progressKey(from)) moves.push([key, progressKey(to)]);
      else if (key?.startsWith(editKey(from, ''))) moves.push([key, editKey(to, key.slice(editKey(from, '').length))]);
    }
    for (const [oldKey, newKey] of moves) {
      const value = s.getItem(oldKey);
      if (value !== null && s.getItem(newKey) === null) s.setItem(newKey, value);
      s.removeItem(oldKey);
    }
  } catch {
    // see saveEdit
  }
}
