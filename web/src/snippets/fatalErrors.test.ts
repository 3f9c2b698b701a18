// Fatal errors through the lab's headless runner: whatever the program still does after one (a catch block around
// the fatal call, a host callback) never reaches its output, as nothing runs after a fatal error in Go.
import { describe, expect, it } from 'vitest';
import { runHeadless, type HeadlessResult } from './headlessRun';

function run(source: string, maxGoroutines?: number): Promise<HeadlessResult> {
  return runHeadless(
    { mode: 'run', file: 'main.ts', source },
    { bridge: null, demos: [], timeLimitMs: 10_000, ...(maxGoroutines === undefined ? {} : { maxGoroutines }) },
  );
}

/** A program that prints, makes the fatal call inside try/catch (recover's twin), then prints from the catch and after it. */
function catching(imports: string, setup: string, fatalCall: string): string {
  return `import { fmt, ${imports} } from 'gonet';
export async function main() {
  ${setup}
  fmt.println('before');
  try {
    ${fatalCall};
  } catch (e) {
    fmt.println('recovered:', e);
  }
  fmt.println('after');
}`;
}

describe('fatal errors stop the program’s output', () => {
  const cases: [string, string, string, string, RegExp][] = [
    [
      'unlock of an unlocked Mutex',
      'Mutex',
      'const mu = new Mutex();',
      'mu.unlock()',
      /^fatal error: sync: unlock of unlocked mutex/,
    ],
    [
      'RUnlock of an unlocked RWMutex',
      'RWMutex',
      'const mu = new RWMutex();',
      'mu.rUnlock()',
      /^fatal error: sync: RUnlock of unlocked RWMutex/,
    ],
    [
      'Unlock of an unlocked RWMutex',
      'RWMutex',
      'const mu = new RWMutex();',
      'mu.unlock()',
      /^fatal error: sync: Unlock of unlocked RWMutex/,
    ],
    [
      'too many goroutines',
      'chan, go',
      'const never = chan<number>();',
      'for (let i = 0; i < 100; i++) go(async () => { await never.recv(); })',
      /^fatal error: too many goroutines: 10 alive/,
    ],
  ];
  for (const [name, imports, setup, call, report] of cases) {
    it(`${name}: a catch around it prints nothing, nor does the code after it`, async () => {
      const r = await run(catching(imports, setup, call), 10);
      expect(r.outcome.status).toBe('fatal');
      expect(r.outcome.report).toMatch(report);
      expect(r.output).toBe('before\n');
    });
  }

  it('a deadlock: a host callback of the program prints nothing after it', async () => {
    let lateRan!: () => void;
    const late = new Promise<void>((resolve) => (lateRan = resolve));
    (globalThis as { fatalTestLate?: () => void }).fatalTestLate = lateRan;
    const printed: string[] = [];
    const r = await runHeadless(
      {
        mode: 'run',
        file: 'main.ts',
        source: `import { chan, fmt } from 'gonet';
export async function main() {
  fmt.println('before');
  setTimeout(() => { fmt.println('late'); (globalThis as any).fatalTestLate(); }, 20);
  await chan<number>().recv();
}`,
      },
      { bridge: null, demos: [], timeLimitMs: 10_000, onOutput: (t) => printed.push(t) },
    );
    await late;
    delete (globalThis as { fatalTestLate?: () => void }).fatalTestLate;
    expect(r.outcome.status).toBe('deadlock');
    expect(printed).toEqual(['before\n']);
  });

  it('a panic caught by try/catch is recovered, as in Go: the program goes on printing', async () => {
    const r = await run(`import { fmt, panic } from 'gonet';
export async function main() {
  try { panic('boom'); } catch (e) { fmt.println('recovered:', e); }
  fmt.println('after');
}`);
    expect(r.outcome.status).toBe('ok');
    expect(r.output).toBe('recovered: boom\nafter\n');
  });
});
