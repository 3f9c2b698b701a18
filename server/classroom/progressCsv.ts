// The CSV export of the class's progress: one row per student and lesson. Pure.
import type { LessonProgress } from '../../core/protocol/classroom.js';

export interface ProgressCsvRow {
  name: string;
  joinedAt: number;
  lastActivity: number;
  lesson: string | null;
  progress: LessonProgress | null;
}

const HEADER = [
  'name',
  'joined_at',
  'last_activity',
  'lesson',
  'checks_passed',
  'checks_total',
  'solved',
  'solution_shown',
  'updated_at',
];

/** Quotes a field; a leading = + - @ is defused so a spreadsheet never runs a student's name as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const iso = (t: number) => (t > 0 ? new Date(t).toISOString() : '');

export function progressCsv(rows: readonly ProgressCsvRow[]): string {
  const lines = [HEADER.join(',')];
  for (const r of rows) {
    const p = r.progress;
    lines.push(
      [
        csvField(r.name),
        iso(r.joinedAt),
        iso(r.lastActivity),
        r.lesson ?? '',
        p ? String(p.passed) : '',
        p ? String(p.total) : '',
        p ? String(p.solved) : '',
        p ? String(p.revealed) : '',
        p ? iso(p.at) : '',
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
