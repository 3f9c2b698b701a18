// The instructor's roster: the class's students as stored, joined with who is connected now. Pure.
import type { LessonProgress, RosterEntry } from '../../core/protocol/classroom.js';

export interface StudentRow {
  id: string;
  name: string;
  joinedAt: number;
  lastActivity: number;
  lesson: string | null;
}

/** An exercise counts as passed once every check passed with the student's own code. */
export function exercisesPassed(progress: Iterable<LessonProgress>): number {
  let n = 0;
  for (const p of progress) if (p.solved) n++;
  return n;
}

export function buildRoster(
  students: readonly StudentRow[],
  progressOf: (studentId: string) => Iterable<LessonProgress>,
  connected: ReadonlySet<string>,
  seated: ReadonlySet<string>,
): RosterEntry[] {
  return (
    students
      // A student is on the roster while a browser holds their seat or is connected; older names stay in the CSV.
      .filter((s) => seated.has(s.id) || connected.has(s.id))
      .map((s) => ({
        studentId: s.id,
        name: s.name,
        joinedAt: s.joinedAt,
        lesson: s.lesson,
        exercisesPassed: exercisesPassed(progressOf(s.id)),
        lastActivity: s.lastActivity,
        connected: connected.has(s.id),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en') || a.joinedAt - b.joinedAt)
  );
}
