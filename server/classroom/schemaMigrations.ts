// The classroom database's schema, as numbered migrations applied in order; the version lives in PRAGMA
// user_version. A database newer than this lab is refused rather than guessed at.

export interface Migration {
  version: number;
  /** What the step adds, for the reader. */
  about: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    about: 'settings, students, sessions, progress and edits',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE students (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        joined_at INTEGER NOT NULL,
        last_activity INTEGER NOT NULL,
        lesson TEXT
      );
      CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE progress (
        student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        lesson TEXT NOT NULL,
        passed INTEGER NOT NULL,
        total INTEGER NOT NULL,
        solved INTEGER NOT NULL,
        revealed INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (student_id, lesson)
      );
      CREATE TABLE edits (
        student_id TEXT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        lesson TEXT NOT NULL,
        file TEXT NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (student_id, lesson, file)
      );`,
  },
  {
    version: 2,
    about: "each student's last snippet run (what the instructor can show to the class), and the sessions index",
    sql: `
      CREATE TABLE runs (
        student_id TEXT PRIMARY KEY REFERENCES students(id) ON DELETE CASCADE,
        lesson TEXT NOT NULL,
        output TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX sessions_by_student ON sessions(student_id);`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** What a migration runner needs from a database. */
export interface MigratableDb {
  userVersion(): number;
  /** Runs the statements and sets user_version, all in one transaction. */
  applyInTransaction(sql: string, version: number): void;
}

export type MigrationOutcome = { ok: true; from: number; to: number } | { ok: false; tooNew: number };

export function migrate(db: MigratableDb, migrations: readonly Migration[] = MIGRATIONS): MigrationOutcome {
  const from = db.userVersion();
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (from > latest) return { ok: false, tooNew: from };
  for (const m of migrations) if (m.version > from) db.applyInTransaction(m.sql, m.version);
  return { ok: true, from, to: Math.max(from, latest) };
}
