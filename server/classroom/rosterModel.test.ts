import { describe, expect, it } from 'vitest';
import type { LessonProgress } from '../../core/protocol/classroom.js';
import { buildRoster, exercisesPassed } from './rosterModel.js';

const p = (solved: boolean, passed = 1, total = 2): LessonProgress => ({
  passed,
  total,
  solved,
  revealed: false,
  at: 0,
});

describe('roster model', () => {
  it("counts an exercise as passed only when solved with the student's own code", () => {
    expect(exercisesPassed([p(true), p(false, 2, 2), p(true)])).toBe(2);
  });

  it('lists seated or connected students by name with their lesson, passed count and connection', () => {
    const students = [
      { id: 'b', name: 'Bo', joinedAt: 2, lastActivity: 5, lesson: '03-framing' },
      { id: 'a', name: 'ana', joinedAt: 1, lastActivity: 4, lesson: null },
      { id: 'c', name: 'Cy', joinedAt: 3, lastActivity: 3, lesson: null },
      { id: 'gone', name: 'Old', joinedAt: 0, lastActivity: 0, lesson: null },
    ];
    const progress = new Map([['b', [p(true), p(true)]]]);
    const roster = buildRoster(students, (id) => progress.get(id) ?? [], new Set(['b', 'c']), new Set(['a', 'b']));
    expect(roster.map((r) => [r.name, r.lesson, r.exercisesPassed, r.connected])).toEqual([
      ['ana', null, 0, false],
      ['Bo', '03-framing', 2, true],
      ['Cy', null, 0, true],
    ]);
  });
});
