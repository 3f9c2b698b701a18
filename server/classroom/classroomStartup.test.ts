// The lab process in classroom mode: the banner (code, addresses, instructor link), a join code that lasts across
// restarts, and refusing to start on a data folder it cannot write or a damaged database.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../net/freePort.js';
import { DATABASE_FILE } from './classroomStore.js';
import { requireRoot } from './privateNetwork.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'gonet-start-'));
  dirs.push(d);
  return d;
}

/** Runs the lab until it prints the banner (then stops it with Ctrl-C) or exits by itself. */
async function runLab(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--demo-ports', '0', ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let stopping = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (!stopping && out.includes('Press Ctrl-C')) {
      stopping = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? (signal ? -1 : null))),
  );
  return { code, out, err };
}

describe('the lab in classroom mode', () => {
  it('prints the join code, where students go and the instructor link, and keeps the code across restarts', async () => {
    const data = tempDir();
    const first = await runLab(['--classroom', '--data', data]);
    expect([first.code, first.err]).toEqual([0, '']);
    const code = /join code {2}([A-Z0-9]{3}-[A-Z0-9]{3})/.exec(first.out)?.[1];
    expect(code).toBeDefined();
    expect(first.out).toMatch(/instructor-login\?token=[A-Za-z0-9_-]{43}/);
    expect(first.out).toContain(path.join(data, DATABASE_FILE));
    const second = await runLab(['--classroom', '--data', data]);
    expect(second.out).toContain(`join code  ${code}`);
    // A new instructor token each run: the old link stops working when the lab restarts.
    const token = (s: string) => /token=([A-Za-z0-9_-]+)/.exec(s)?.[1];
    expect(token(second.out)).not.toBe(token(first.out));
  }, 60_000);

  it('refuses to start on a damaged database, says so in both languages, and leaves the file as it was', async () => {
    const data = tempDir();
    const file = path.join(data, DATABASE_FILE);
    writeFileSync(file, 'SQLite format 3\0 but then nonsense '.repeat(200));
    const before = readFileSync(file);
    const run = await runLab(['--classroom', '--data', data]);
    expect(run.code).toBe(1);
    expect(run.out).not.toContain('GoNet Lab is running');
    expect(run.err).toContain('E_CLASS_DATA_CORRUPT');
    expect(run.err).toContain('database file is damaged');
    expect(run.err).toContain('课堂数据库文件已损坏');
    expect(readFileSync(file).equals(before)).toBe(true);
  }, 60_000);

  it('refuses to start on a read-only data folder (a read-only mount, which binds root too)', async () => {
    requireRoot('The read-only data folder test');
    const data = path.join(tempDir(), 'ro');
    mkdirSync(data);
    execFileSync('mount', ['--bind', data, data]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', data]);
      const run = await runLab(['--classroom', '--data', data]);
      expect(run.code).toBe(1);
      expect(run.err).toContain('E_CLASS_DATA_READ_ONLY');
      expect(run.err).toContain(data);
      expect(run.err).toContain('数据文件夹');
    } finally {
      execFileSync('umount', [data]);
    }
  }, 60_000);
});
