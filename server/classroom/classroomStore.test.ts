import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabError } from '../../core/protocol/errors.js';
import { ClassroomStore, DATABASE_FILE } from './classroomStore.js';
import { SCHEMA_VERSION } from './schemaMigrations.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'gonet-class-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openError(dir: string): Promise<LabError> {
  try {
    (await ClassroomStore.open(dir)).close();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('opened');
}

describe('classroom store', () => {
  it('keeps students, sessions, progress, edits and runs across a close and reopen', async () => {
    const dir = tempDir();
    const a = await ClassroomStore.open(dir);
    a.setSetting('join_code', 'KQ7M3D');
    a.addStudent({ id: 's1', name: 'Ana', nameKey: 'ana', now: 100 });
    a.addSession({ hash: 'h', studentId: 's1', createdAt: 100, expiresAt: 200 });
    a.saveProgress('s1', '11-length-prefix-decoder', { passed: 2, total: 3, solved: false, revealed: false, at: 150 });
    a.saveProgress('s1', '11-length-prefix-decoder', { passed: 3, total: 3, solved: true, revealed: false, at: 160 });
    a.saveEdit('s1', '11-length-prefix-decoder', 'main.ts', 'let x = 1;', 160);
    a.saveEdit('s1', '11-length-prefix-decoder', 'other.ts', 'gone', 160);
    a.saveEdit('s1', '11-length-prefix-decoder', 'other.ts', null, 161);
    a.touchStudent('s1', 170, '11-length-prefix-decoder');
    a.saveRun('s1', '11-length-prefix-decoder', 'hello\n', 170);
    a.close();

    const b = await ClassroomStore.open(dir);
    expect(b.setting('join_code')).toBe('KQ7M3D');
    expect(b.studentByNameKey('ana')).toEqual({
      id: 's1',
      name: 'Ana',
      joinedAt: 100,
      lastActivity: 170,
      lesson: '11-length-prefix-decoder',
    });
    expect(b.sessions()).toEqual([{ hash: 'h', studentId: 's1', createdAt: 100, expiresAt: 200 }]);
    expect(b.work('s1')).toEqual({
      progress: { '11-length-prefix-decoder': { passed: 3, total: 3, solved: true, revealed: false, at: 160 } },
      edits: { '11-length-prefix-decoder': { 'main.ts': 'let x = 1;' } },
      lesson: '11-length-prefix-decoder',
    });
    expect(b.lastRun('s1')).toMatchObject({ name: 'Ana', output: 'hello\n' });
    expect(b.csvRows()).toHaveLength(1);
    b.close();
  });

  it('writes changes to disk by itself shortly after they happen (a crash later loses nothing written)', async () => {
    const dir = tempDir();
    const a = await ClassroomStore.open(dir);
    a.addStudent({ id: 's1', name: 'Ana', nameKey: 'ana', now: 1 });
    await expect
      .poll(
        async () => {
          const copy = path.join(tempDir(), DATABASE_FILE);
          writeFileSync(copy, readFileSync(path.join(dir, DATABASE_FILE)));
          const b = await ClassroomStore.open(path.dirname(copy));
          const found = b.student('s1')?.name ?? null;
          b.close();
          return found;
        },
        { timeout: 10_000 },
      )
      .toBe('Ana');
    a.close();
  });

  it('refuses a file that is not a SQLite database, and leaves it untouched', async () => {
    const dir = tempDir();
    const file = path.join(dir, DATABASE_FILE);
    const garbage = Buffer.from('this is not sqlite '.repeat(300));
    writeFileSync(file, garbage);
    const err = await openError(dir);
    expect(err.code).toBe('E_CLASS_DATA_CORRUPT');
    expect(err.message).toContain(file);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a database whose pages were damaged', async () => {
    const dir = tempDir();
    const a = await ClassroomStore.open(dir);
    for (let i = 0; i < 200; i++) a.addStudent({ id: `s${i}`, name: `N${i}`, nameKey: `n${i}`, now: i });
    a.close();
    const file = path.join(dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 4096, 8192); // overwrite the second page
    writeFileSync(file, bytes);
    expect((await openError(dir)).code).toBe('E_CLASS_DATA_CORRUPT');
  });

  it('refuses a database from a newer lab', async () => {
    const dir = tempDir();
    const initSqlJs = (await import('sql.js')).default;
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    writeFileSync(path.join(dir, DATABASE_FILE), db.export());
    db.close();
    expect((await openError(dir)).code).toBe('E_CLASS_DATA_TOO_NEW');
  });

  it('refuses a data folder it cannot create', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const err = await openError(path.join(blocker, 'data'));
    expect(err.code).toBe('E_CLASS_DATA_READ_ONLY');
  });

  it('ends sessions and their seats when a student is removed with their sessions', async () => {
    const a = await ClassroomStore.open(tempDir());
    a.addStudent({ id: 's1', name: 'Ana', nameKey: 'ana', now: 1 });
    a.addSession({ hash: 'h1', studentId: 's1', createdAt: 1, expiresAt: 9 });
    a.addSession({ hash: 'h2', studentId: 's1', createdAt: 1, expiresAt: 9 });
    a.removeSessions(['h1']);
    expect(a.sessions().map((s) => s.hash)).toEqual(['h2']);
    a.close();
  });
});
