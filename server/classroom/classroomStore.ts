// The classroom's lasting data (students, sessions, progress, edits, last runs) in one SQLite file under the data
// folder. sql.js (SQLite compiled to WebAssembly) holds the database in memory; every change is written back as a
// whole new file (temp file, fsync, rename), so the file on disk is always a complete database.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { LabError } from '../../core/protocol/errors.js';
import type { LessonProgress, ShownRun, StudentWork } from '../../core/protocol/classroom.js';
import { migrate, type MigratableDb } from './schemaMigrations.js';
import type { StudentRow } from './rosterModel.js';
import type { ProgressCsvRow } from './progressCsv.js';
import type { SessionRecord } from './sessionBook.js';

export const DATABASE_FILE = 'classroom.sqlite';
/**
 * Changes within this long are written together: a busy class is a few whole-file writes a second, and a crash (not
 * a stop: stopping writes at once) loses at most this much.
 */
const WRITE_DELAY_MS = 250;

type Row = Record<string, SqlValue>;

export class ClassroomStore {
  private writeTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    private readonly db: Database,
    readonly file: string,
  ) {}

  /**
   * Opens (or creates) the database in `dir`. Throws a LabError the lab prints and stops on: a folder it cannot
   * write (E_CLASS_DATA_READ_ONLY), a file that is not a sound SQLite database (E_CLASS_DATA_CORRUPT), or one
   * from a newer lab (E_CLASS_DATA_TOO_NEW). It never replaces a file it could not read.
   */
  static async open(dir: string): Promise<ClassroomStore> {
    const file = path.join(dir, DATABASE_FILE);
    probeWritable(dir);
    let bytes: Buffer | null = null;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new LabError('E_CLASS_DATA_READ_ONLY', `cannot read ${file}: ${(err as Error).message}`);
      }
    }
    const SQL = await initSqlJs();
    let db: Database;
    try {
      db = bytes && bytes.length > 0 ? new SQL.Database(bytes) : new SQL.Database();
      const check = db.exec('PRAGMA integrity_check');
      const verdict = check[0]?.values[0]?.[0];
      if (verdict !== 'ok') throw new Error(String(verdict));
    } catch (err) {
      throw new LabError(
        'E_CLASS_DATA_CORRUPT',
        `${file} is not a sound SQLite database (${(err as Error).message}). The lab left it untouched.`,
      );
    }
    db.run('PRAGMA foreign_keys = ON');
    const outcome = migrate(migratable(db));
    if (!outcome.ok) {
      db.close();
      throw new LabError('E_CLASS_DATA_TOO_NEW', `${file} has schema version ${outcome.tooNew}`);
    }
    const store = new ClassroomStore(db, file);
    if (outcome.from !== outcome.to || !bytes) store.writeNow();
    return store;
  }

  // --- settings

  setting(key: string): string | null {
    const row = this.one('SELECT value FROM settings WHERE key = ?', [key]);
    return row ? String(row.value) : null;
  }

  setSetting(key: string, value: string): void {
    this.change(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  // --- students

  studentByNameKey(nameKey: string): StudentRow | null {
    const row = this.one('SELECT * FROM students WHERE name_key = ?', [nameKey]);
    return row ? toStudent(row) : null;
  }

  student(id: string): StudentRow | null {
    const row = this.one('SELECT * FROM students WHERE id = ?', [id]);
    return row ? toStudent(row) : null;
  }

  students(): StudentRow[] {
    return this.all('SELECT * FROM students ORDER BY joined_at').map(toStudent);
  }

  addStudent(s: { id: string; name: string; nameKey: string; now: number }): void {
    this.change(
      'INSERT INTO students (id, name, name_key, joined_at, last_activity, lesson) VALUES (?, ?, ?, ?, ?, NULL)',
      [s.id, s.name, s.nameKey, s.now, s.now],
    );
  }

  touchStudent(id: string, now: number, lesson?: string): void {
    if (lesson === undefined) this.change('UPDATE students SET last_activity = ? WHERE id = ?', [now, id]);
    else this.change('UPDATE students SET last_activity = ?, lesson = ? WHERE id = ?', [now, lesson, id]);
  }

  // --- sessions

  sessions(): SessionRecord[] {
    return this.all('SELECT * FROM sessions').map((r) => ({
      hash: String(r.hash),
      studentId: String(r.student_id),
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
    }));
  }

  addSession(r: SessionRecord): void {
    this.change('INSERT INTO sessions (hash, student_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      r.hash,
      r.studentId,
      r.createdAt,
      r.expiresAt,
    ]);
  }

  removeSessions(hashes: readonly string[]): void {
    for (const h of hashes) this.db.run('DELETE FROM sessions WHERE hash = ?', [h]);
    if (hashes.length > 0) this.scheduleWrite();
  }

  // --- work

  saveProgress(studentId: string, lesson: string, p: LessonProgress): void {
    this.change(
      `INSERT INTO progress (student_id, lesson, passed, total, solved, revealed, at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(student_id, lesson) DO UPDATE SET passed = excluded.passed, total = excluded.total,
         solved = excluded.solved, revealed = excluded.revealed, at = excluded.at`,
      [studentId, lesson, p.passed, p.total, p.solved ? 1 : 0, p.revealed ? 1 : 0, p.at],
    );
  }

  progressOf(studentId: string): Map<string, LessonProgress> {
    const out = new Map<string, LessonProgress>();
    for (const r of this.all('SELECT * FROM progress WHERE student_id = ?', [studentId]))
      out.set(String(r.lesson), toProgress(r));
    return out;
  }

  saveEdit(studentId: string, lesson: string, file: string, text: string | null, now: number): void {
    if (text === null)
      this.change('DELETE FROM edits WHERE student_id = ? AND lesson = ? AND file = ?', [studentId, lesson, file]);
    else {
      this.change(
        `INSERT INTO edits (student_id, lesson, file, text, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(student_id, lesson, file) DO UPDATE SET text = excluded.text, at = excluded.at`,
        [studentId, lesson, file, text, now],
      );
    }
  }

  work(studentId: string): StudentWork {
    const progress: StudentWork['progress'] = {};
    for (const [lesson, p] of this.progressOf(studentId)) progress[lesson] = p;
    const edits: StudentWork['edits'] = {};
    for (const r of this.all('SELECT lesson, file, text FROM edits WHERE student_id = ?', [studentId])) {
      (edits[String(r.lesson)] ??= {})[String(r.file)] = String(r.text);
    }
    return { progress, edits, lesson: this.student(studentId)?.lesson ?? null };
  }

  saveRun(studentId: string, lesson: string, output: string, now: number): void {
    this.change(
      `INSERT INTO runs (student_id, lesson, output, at) VALUES (?, ?, ?, ?)
       ON CONFLICT(student_id) DO UPDATE SET lesson = excluded.lesson, output = excluded.output, at = excluded.at`,
      [studentId, lesson, output, now],
    );
  }

  lastRun(studentId: string): ShownRun | null {
    const r = this.one(
      'SELECT runs.*, students.name FROM runs JOIN students ON students.id = runs.student_id WHERE student_id = ?',
      [studentId],
    );
    return r
      ? { studentId, name: String(r.name), lesson: String(r.lesson), output: String(r.output), at: Number(r.at) }
      : null;
  }

  csvRows(): ProgressCsvRow[] {
    return this.all(
      `SELECT s.name, s.joined_at, s.last_activity, p.lesson, p.passed, p.total, p.solved, p.revealed, p.at
       FROM students s LEFT JOIN progress p ON p.student_id = s.id ORDER BY s.name, p.lesson`,
    ).map((r) => ({
      name: String(r.name),
      joinedAt: Number(r.joined_at),
      lastActivity: Number(r.last_activity),
      lesson: r.lesson === null ? null : String(r.lesson),
      progress: r.lesson === null ? null : toProgress(r),
    }));
  }

  // --- writing

  /** Writes any pending change now and stops; the lab calls this on the way out. */
  close(): void {
    if (this.closed) return;
    if (this.writeTimer) this.writeNow();
    this.closed = true;
    this.db.close();
  }

  /** Writes the whole database to a temp file, syncs it, and renames it over the old one. */
  writeNow(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = null;
    const temp = `${this.file}.${process.pid}.tmp`;
    const bytes = this.db.export();
    // export() closes open statements and turns foreign keys back off in sql.js; set them again.
    this.db.run('PRAGMA foreign_keys = ON');
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.file);
  }

  private scheduleWrite(): void {
    if (this.closed || this.writeTimer) return;
    this.writeTimer = setTimeout(() => {
      try {
        this.writeNow();
      } catch (err) {
        process.stderr.write(`  ! classroom: could not write ${this.file}: ${(err as Error).message}\n`);
      }
    }, WRITE_DELAY_MS);
  }

  private change(sql: string, params: SqlValue[]): void {
    this.db.run(sql, params);
    this.scheduleWrite();
  }

  private all(sql: string, params: SqlValue[] = []): Row[] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: Row[] = [];
      while (stmt.step()) rows.push(stmt.getAsObject() as Row);
      return rows;
    } finally {
      stmt.free();
    }
  }

  private one(sql: string, params: SqlValue[]): Row | null {
    return this.all(sql, params)[0] ?? null;
  }
}

/** Makes the folder if needed and proves a file can be written in it (root ignores modes, not read-only mounts). */
function probeWritable(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    const fd = openSync(probe, 'w');
    closeSync(fd);
    rmSync(probe);
  } catch (err) {
    throw new LabError('E_CLASS_DATA_READ_ONLY', `cannot write in ${dir}: ${(err as Error).message}`);
  }
}

function migratable(db: Database): MigratableDb {
  return {
    userVersion: () => Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0),
    applyInTransaction: (sql, version) => {
      db.run('BEGIN');
      try {
        db.exec(sql);
        db.run(`PRAGMA user_version = ${Math.trunc(version)}`);
        db.run('COMMIT');
      } catch (err) {
        db.run('ROLLBACK');
        throw err;
      }
    },
  };
}

function toStudent(r: Row): StudentRow {
  return {
    id: String(r.id),
    name: String(r.name),
    joinedAt: Number(r.joined_at),
    lastActivity: Number(r.last_activity),
    lesson: r.lesson === null ? null : String(r.lesson),
  };
}

function toProgress(r: Row): LessonProgress {
  return {
    passed: Number(r.passed),
    total: Number(r.total),
    solved: Number(r.solved) === 1,
    revealed: Number(r.revealed) === 1,
    at: Number(r.at),
  };
}
