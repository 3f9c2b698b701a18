import { describe, expect, it } from 'vitest';
import initSqlJs from 'sql.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION, type MigratableDb } from './schemaMigrations.js';

/** A fake database that records what ran, for the runner's own logic. */
function recording(start: number): MigratableDb & { applied: number[] } {
  let version = start;
  const applied: number[] = [];
  return {
    applied,
    userVersion: () => version,
    applyInTransaction: (_sql, v) => {
      applied.push(v);
      version = v;
    },
  };
}

describe('schema migrations', () => {
  it('are numbered 1, 2, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('applies only the steps after the stored version', () => {
    const fresh = recording(0);
    expect(migrate(fresh)).toEqual({ ok: true, from: 0, to: SCHEMA_VERSION });
    expect(fresh.applied).toEqual(MIGRATIONS.map((m) => m.version));
    const atOne = recording(1);
    migrate(atOne);
    expect(atOne.applied).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    const current = recording(SCHEMA_VERSION);
    expect(migrate(current)).toEqual({ ok: true, from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(current.applied).toEqual([]);
  });

  it('refuses a database newer than this lab', () => {
    expect(migrate(recording(SCHEMA_VERSION + 1))).toEqual({ ok: false, tooNew: SCHEMA_VERSION + 1 });
  });

  it('run for real on SQLite: a version-1 database with a student moves to the latest and keeps the student', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    const real: MigratableDb = {
      userVersion: () => Number(db.exec('PRAGMA user_version')[0]!.values[0]![0]),
      applyInTransaction: (sql, v) => {
        db.exec(`BEGIN; ${sql}; PRAGMA user_version = ${v}; COMMIT;`);
      },
    };
    migrate(real, MIGRATIONS.slice(0, 1));
    db.run("INSERT INTO students VALUES ('s1', 'Ana', 'ana', 1, 1, NULL)");
    expect(migrate(real)).toEqual({ ok: true, from: 1, to: SCHEMA_VERSION });
    expect(db.exec('SELECT name FROM students')[0]!.values).toEqual([['Ana']]);
    expect(db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'runs'")[0]!.values).toEqual([
      ['runs'],
    ]);
    db.close();
  });
});
