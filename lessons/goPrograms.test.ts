// Every Go program of every lesson builds and passes `go vet`; a lesson's main_test.go (where there is one) passes
// `go test`; and every main.go has a Chinese copy (main.zh.go) that is the same code, comments aside, and that the
// lesson page shows to a Chinese reader.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonFileText } from '../core/protocol/lessons.js';
import { listLessonSlugs, loadLesson } from '../server/lessons/lessonCatalog.js';

const lessonsDir = fileURLToPath(new URL('.', import.meta.url));
const slugs = await listLessonSlugs(lessonsDir);

/** A lesson's Go programs: every .go file except tests and Chinese copies (each is checked against its original). */
function programsOf(slug: string): string[] {
  return readdirSync(path.join(lessonsDir, slug), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.endsWith('.zh.go'))
    .sort();
}

function chineseCopiesOf(slug: string): string[] {
  return readdirSync(path.join(lessonsDir, slug), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.zh.go'))
    .sort();
}

let work: string;
let goEnv: NodeJS.ProcessEnv;
beforeAll(() => {
  try {
    expect(execFileSync('go', ['version'], { encoding: 'utf8' })).toMatch(/go1\./);
  } catch {
    throw new Error('Go is needed to check the lessons compile: apt-get install golang-go (.ci/run does this)');
  }
  work = mkdtempSync(path.join(tmpdir(), 'gonet-lab-go-'));
  goEnv = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOCACHE: path.join(work, '.cache') };
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function go(args: string[], cwd: string, what: string): string {
  try {
    return execFileSync('go', args, { cwd, encoding: 'utf8', stdio: 'pipe', env: goEnv });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${what}: go ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? String(err)}`, {
      cause: err,
    });
  }
}

describe("the lessons' Go programs", () => {
  it('finds programs, and tests for the lessons that have them', () => {
    expect(slugs.flatMap(programsOf).length).toBeGreaterThanOrEqual(13);
    expect(existsSync(path.join(lessonsDir, '03-framing', 'main_test.go'))).toBe(true);
  });

  for (const slug of slugs) {
    const hasTest = existsSync(path.join(lessonsDir, slug, 'main_test.go'));
    it(`${slug}: every program builds and passes go vet${hasTest ? '; main_test.go passes' : ''}`, () => {
      for (const f of programsOf(slug)) {
        // Each program gets a module of its own: several files of one lesson may declare main.
        const target = path.join(work, slug, f.replace(/[/.]/g, '_'));
        cpSync(path.join(lessonsDir, slug, f), path.join(target, 'main.go'));
        const test = path.join(lessonsDir, slug, path.dirname(f), 'main_test.go');
        const tested = path.basename(f) === 'main.go' && existsSync(test);
        if (tested) cpSync(test, path.join(target, 'main_test.go'));
        writeFileSync(path.join(target, 'go.mod'), 'module lessoncheck\n\ngo 1.19\n');
        go(['vet', '.'], target, `${slug}/${f}`);
        go(['build', '-o', path.join(target, 'bin'), '.'], target, `${slug}/${f}`);
        if (tested) expect(go(['test', '-count=1', '.'], target, `${slug}/${f} with main_test.go`)).toMatch(/^ok\s/m);
      }
    }, 180_000);
  }

  it('a Chinese copy (main.zh.go) is the same code as its original, comments aside', () => {
    const tool = path.join(work, 'samecode');
    const source = path.join(lessonsDir, '..', 'tools', 'samecode.go');
    go(['build', '-o', tool, source], lessonsDir, 'tools/samecode.go');
    // The checker itself: it tells a changed comment from a changed token.
    const probe = path.join(work, 'probe');
    const original = readFileSync(source, 'utf8');
    mkdirSync(probe);
    writeFileSync(path.join(probe, 'a.go'), original);
    writeFileSync(path.join(probe, 'comment.go'), original.replace(/\/\/.*$/gm, '// 注释'));
    writeFileSync(path.join(probe, 'code.go'), original.replace('os.Exit(2)', 'os.Exit(3)'));
    execFileSync(tool, [path.join(probe, 'a.go'), path.join(probe, 'comment.go')]);
    expect(() =>
      execFileSync(tool, [path.join(probe, 'a.go'), path.join(probe, 'code.go')], { stdio: 'pipe' }),
    ).toThrow();

    let copies = 0;
    for (const slug of slugs) {
      for (const zh of chineseCopiesOf(slug)) {
        const original = path.join(lessonsDir, slug, zh.replace(/\.zh\.go$/, '.go'));
        expect(existsSync(original), `${slug}/${zh} has no original`).toBe(true);
        try {
          execFileSync(tool, [original, path.join(lessonsDir, slug, zh)], { encoding: 'utf8', stdio: 'pipe' });
        } catch (err) {
          const e = err as { stdout?: string; stderr?: string };
          throw new Error(`${slug}/${zh} is not the same program as its original: ${e.stdout ?? ''}${e.stderr ?? ''}`, {
            cause: err,
          });
        }
        copies++;
      }
    }
    // Every lesson's main.go reads in Chinese too: a new lesson adds its main.zh.go.
    const withMain = slugs.filter((slug) => existsSync(path.join(lessonsDir, slug, 'main.go')));
    expect(
      copies,
      `lessons without main.zh.go: ${withMain.filter((s) => !existsSync(path.join(lessonsDir, s, 'main.zh.go'))).join(', ')}`,
    ).toBe(withMain.length);
  }, 120_000);

  it('the lesson page gets the Chinese copy with the program, and shows it to a Chinese reader', async () => {
    const lesson = await loadLesson(lessonsDir, '01-echo-server');
    const main = lesson.files.find((f) => f.name === 'main.go')!;
    expect(main.zhText).toBe(readFileSync(path.join(lessonsDir, '01-echo-server', 'main.zh.go'), 'utf8'));
    expect(lesson.files.map((f) => f.name)).not.toContain('main.zh.go');
    expect(lessonFileText(main, 'zh')).toMatch(/第 1 课/);
    expect(lessonFileText(main, 'en')).toBe(main.text);
    expect(lessonFileText({ name: 'main.ts', language: 'typescript', text: 'x' }, 'zh')).toBe('x');
  });
});
