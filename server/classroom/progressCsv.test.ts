import { describe, expect, it } from 'vitest';
import { csvField, progressCsv } from './progressCsv.js';

describe('progress CSV', () => {
  it('has a header and one row per student and lesson, with ISO times', () => {
    const csv = progressCsv([
      {
        name: 'Ana',
        joinedAt: Date.UTC(2026, 0, 5, 9),
        lastActivity: Date.UTC(2026, 0, 5, 10),
        lesson: '01-echo-server',
        progress: { passed: 3, total: 3, solved: true, revealed: false, at: Date.UTC(2026, 0, 5, 9, 30) },
      },
      {
        name: 'Bo',
        joinedAt: Date.UTC(2026, 0, 5, 9),
        lastActivity: Date.UTC(2026, 0, 5, 9),
        lesson: null,
        progress: null,
      },
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'name,joined_at,last_activity,lesson,checks_passed,checks_total,solved,solution_shown,updated_at',
    );
    expect(lines[1]).toBe(
      'Ana,2026-01-05T09:00:00.000Z,2026-01-05T10:00:00.000Z,01-echo-server,3,3,true,false,2026-01-05T09:30:00.000Z',
    );
    expect(lines[2]).toBe('Bo,2026-01-05T09:00:00.000Z,2026-01-05T09:00:00.000Z,,,,,,');
  });

  it('quotes commas and quotes, and defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('Li, Ana')).toBe('"Li, Ana"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-2')).toBe(`"'-2"`);
    expect(csvField('Ana')).toBe('Ana');
  });
});
