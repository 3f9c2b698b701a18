// The Go runner with the installed toolchain: output, compile errors, panics, deadlocks, sampled goroutines, Stop,
// every limit with its code, run spam, a missing toolchain; and after all of it no run folder and no process left.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GoRunEvent } from '../../core/protocol/events/goRun.js';
import { GoRunner, type GoRunResult } from './goRunner.js';
import type { GoRunLimits } from './goRunLimits.js';

// The lab's own shared cache, so only the first run on a machine compiles the standard library.
const runsDir = mkdtempSync(join(tmpdir(), 'gorun-test-'));
const pids: number[] = [];
let owner = 0;

async function runGo(
  source: string,
  opts: {
    limits?: Partial<GoRunLimits>;
    args?: string[];
    go?: string;
    onEvent?: (e: GoRunEvent, stop: () => void) => void;
  } = {},
) {
  const runner = new GoRunner({ runsDir, limits: opts.limits, go: opts.go, samplePeriodMs: 50 });
  const events: GoRunEvent[] = [];
  const run = runner.start({
    owner: `t${++owner}`,
    source,
    args: opts.args,
    emit: (e) => {
      events.push(e);
      if (e.kind === 'gorun.start') pids.push(e.pid);
      opts.onEvent?.(e, () => run.stop());
    },
  });
  const result: GoRunResult = await run.done;
  const output = events.flatMap((e) => (e.kind === 'gorun.output' ? [e.text] : [])).join('');
  return {
    result,
    events,
    output,
    runner,
    of: <K extends GoRunEvent['kind']>(k: K) =>
      events.filter((e): e is Extract<GoRunEvent, { kind: K }> => e.kind === k),
  };
}

const program = (body: string, imports: string[] = ['fmt']) =>
  `package main\n\nimport (\n${imports.map((i) => `\t"${i}"\n`).join('')})\n\n${body}\n`;

/** Processes still in a process group (kill(-pgid, 0) fails with ESRCH once it is empty). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  // Nothing left behind by any run of this file: no run folder, no process group.
  const leftFolders = readdirSync(runsDir);
  const leftGroups = pids.filter(groupAlive);
  rmSync(runsDir, { recursive: true, force: true });
  expect(leftFolders).toEqual([]);
  expect(leftGroups).toEqual([]);
});

describe('GoRunner', { timeout: 240_000 }, () => {
  it('builds and runs a program, streams its output and ends with its exit code', async () => {
    const { result, of, output } = await runGo(
      program('func main() {\n\tfmt.Println("hello from Go")\n\tos.Exit(3)\n}', ['fmt', 'os']),
    );
    expect(output).toBe('hello from Go\n');
    expect(of('gorun.built')).toHaveLength(1);
    // Sandboxed here (root, bwrap, nft: goSandbox.test.ts), so no "not isolated" notice.
    expect(of('gorun.start')[0]!.isolation.kind).toBe('bwrap');
    expect(of('gorun.notice')).toEqual([]);
    expect(result).toMatchObject({ status: 'exited', exitCode: 3 });
  });

  it('passes the lesson arguments to the program', async () => {
    const { output } = await runGo(program('func main() {\n\tfmt.Println(os.Args[1:])\n}', ['fmt', 'os']), {
      args: ['-addr', '127.0.0.1:9'],
    });
    expect(output).toBe('[-addr 127.0.0.1:9]\n');
  });

  it('reports compile errors at file:line:col with E_GO_COMPILE and never runs the program', async () => {
    const { result, of } = await runGo('package main\n\nfunc main() {\n\tx := 1\n\tundefinedThing()\n}\n');
    expect(result.status).toBe('compile-error');
    expect(result.error?.code).toBe('E_GO_COMPILE');
    const errors = of('gorun.compileErrors')[0]!.errors;
    expect(errors).toContainEqual({ file: 'main.go', line: 5, col: 2, message: 'undefined: undefinedThing' });
    expect(errors.map((e) => e.line)).toContain(4); // x declared and not used
    expect(of('gorun.start')).toHaveLength(0);
  });

  it('recognises a panic and parses every goroutine of the dump', async () => {
    const src = program(
      'func worker(c chan int) { <-c }\n\nfunc main() {\n\tc := make(chan int)\n\tgo worker(c)\n\ttime.Sleep(100 * time.Millisecond)\n\tvar m map[string]int\n\tm["x"] = 1\n\tfmt.Println(m)\n}',
      ['fmt', 'time'],
    );
    const { result, of } = await runGo(src);
    expect(result.status).toBe('panic');
    const crash = of('gorun.crash')[0]!;
    expect(crash.message).toBe('assignment to entry in nil map');
    expect(crash.goroutines.map((g) => [g.fn, g.waitReason ?? g.state])).toEqual([
      ['main.main', 'running'],
      ['main.worker', 'chan receive'],
    ]);
    expect(crash.goroutines[1]!.createdBy?.fn).toBe('main.main');
    expect(of('gorun.goroutines').at(-1)!.final).toBe(true);
  });

  it("recognises a deadlock in the samples (the sampler keeps Go's own detector quiet) and shows the dump", async () => {
    const { result, of } = await runGo(
      program('func main() {\n\tvar wg sync.WaitGroup\n\twg.Add(1)\n\tgo func() { select {} }()\n\twg.Wait()\n}', [
        'sync',
      ]),
    );
    expect(result).toMatchObject({ status: 'deadlock', error: { code: 'E_GO_DEADLOCK_SAMPLED' } });
    const crash = of('gorun.crash')[0]!;
    expect(crash).toMatchObject({ source: 'sampled', crash: 'deadlock' });
    expect(crash.goroutines.map((g) => g.waitReason).sort()).toEqual(['select (no cases)', 'semacquire']);
  });

  it("samples the goroutines while the program runs, labelled 'sampled', without the lab's own sampler", async () => {
    const src = program(
      'func worker(id int, jobs <-chan int) {\n\tfor range jobs {\n\t}\n}\n\nfunc main() {\n\tjobs := make(chan int)\n\tfor i := 0; i < 3; i++ {\n\t\tgo worker(i, jobs)\n\t}\n\ttime.Sleep(600 * time.Millisecond)\n}',
      ['time'],
    );
    const { result, of } = await runGo(src);
    expect(result.status).toBe('exited');
    const samples = of('gorun.goroutines');
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.source === 'sampled')).toBe(true);
    const withWorkers = samples.find(
      (s) => s.goroutines.filter((g) => g.fn === 'main.worker' && g.waitReason === 'chan receive').length === 3,
    );
    expect(withWorkers).toBeDefined();
    expect(withWorkers!.goroutines.find((g) => g.id === 1)!.waitReason).toBe('sleep');
    expect(samples.flatMap((s) => s.goroutines).some((g) => g.fn.includes('gonetlab'))).toBe(false);
  });

  it('samples nothing when the runner is told not to (the sampling benchmark compares both), and the program runs the same', async () => {
    const src = program(
      'func main() {\n\tgo func() { select {} }()\n\ttime.Sleep(400 * time.Millisecond)\n\tfmt.Println("done")\n}',
      ['fmt', 'time'],
    );
    const runner = new GoRunner({ runsDir, samplePeriodMs: 50, sampleGoroutines: false });
    const events: GoRunEvent[] = [];
    const run = runner.start({ owner: 'unsampled', source: src, emit: (e) => events.push(e) });
    const result = await run.done;
    expect(result).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(
      events.filter((e) => e.kind === 'gorun.output').map((e) => (e.kind === 'gorun.output' ? e.text : '')),
    ).toEqual(['done\n']);
    expect(events.filter((e) => e.kind === 'gorun.goroutines')).toEqual([]);
  });

  it('Stop ends a program that never exits, with a final dump, its whole process group and its run folder', async () => {
    let pgid = 0;
    // Children by running itself again: the sandbox has no other commands.
    const src = program(
      'func main() {\n\tif len(os.Args) > 1 {\n\t\ttime.Sleep(time.Hour)\n\t}\n\tfor i := 0; i < 3; i++ {\n\t\texec.Command("/proc/self/exe", "child").Start()\n\t}\n\tfmt.Println("started")\n\ttime.Sleep(time.Hour)\n}',
      ['fmt', 'os', 'os/exec', 'time'],
    );
    const { result, of } = await runGo(src, {
      onEvent: (e, stop) => {
        if (e.kind === 'gorun.start') pgid = e.pid;
        // Stop once a sample shows main asleep, so the final dump has a known state to show.
        if (
          e.kind === 'gorun.goroutines' &&
          !e.final &&
          e.goroutines.some((g) => g.id === 1 && g.waitReason === 'sleep')
        )
          stop();
      },
    });
    expect(result).toMatchObject({ status: 'stopped', error: { code: 'E_GO_STOPPED' } });
    expect(of('gorun.goroutines').at(-1)).toMatchObject({ final: true });
    expect(of('gorun.goroutines').at(-1)!.goroutines[0]).toMatchObject({ id: 1, waitReason: 'sleep' });
    expect(groupAlive(pgid)).toBe(false); // the three sleeps went with it
  });

  it('Stop during the build ends the run without starting the program', async () => {
    const { result, of } = await runGo(program('func main() {\n\tfmt.Println("never")\n}'), {
      onEvent: (e, stop) => {
        if (e.kind === 'gorun.build') stop();
      },
    });
    expect(result).toMatchObject({ status: 'stopped', error: { code: 'E_GO_STOPPED' } });
    expect(of('gorun.start')).toHaveLength(0);
  });

  it('stops a program at the wall-time limit', async () => {
    const { result } = await runGo(program('func main() {\n\ttime.Sleep(time.Hour)\n}', ['time']), {
      limits: { wallMs: 1500 },
    });
    expect(result).toMatchObject({ status: 'limit', error: { code: 'E_GO_TIME_LIMIT' } });
  });

  it('stops a program that prints without end, forwarding no more than the output limit', async () => {
    const { result, output } = await runGo(
      program('func main() {\n\tline := strings.Repeat("x", 1000)\n\tfor {\n\t\tfmt.Println(line)\n\t}\n}', [
        'fmt',
        'strings',
      ]),
      { limits: { outputBytes: 200_000 } },
    );
    expect(result).toMatchObject({ status: 'limit', error: { code: 'E_GO_OUTPUT_LIMIT' } });
    expect(output.length).toBeLessThanOrEqual(200_000);
    expect(output.length).toBeGreaterThan(100_000);
  });

  it('ends a program that allocates 20 GB with E_GO_MEMORY_LIMIT', async () => {
    const src = program(
      'var keep [][]byte\n\nfunc main() {\n\tfor i := 0; i < 20*1024; i++ {\n\t\tb := make([]byte, 1<<20)\n\t\tfor j := range b {\n\t\t\tb[j] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n\tfmt.Println(len(keep))\n}',
    );
    const { result, output } = await runGo(src, { limits: { addressSpaceBytes: 1200 * 1024 ** 2 } });
    expect(result).toMatchObject({ status: 'limit', error: { code: 'E_GO_MEMORY_LIMIT' } });
    expect(output).not.toContain('20480');
  });

  it('ends a busy loop at the CPU limit with E_GO_CPU_LIMIT', async () => {
    const { result } = await runGo(program('func main() {\n\tn := 0\n\tfor {\n\t\tn++\n\t}\n}', []), {
      limits: { cpuSeconds: 1 },
    });
    expect(result).toMatchObject({ status: 'limit', error: { code: 'E_GO_CPU_LIMIT' } });
  });

  it.runIf(process.getuid?.() === 0)(
    'bounds a fork bomb (its own user under RLIMIT_NPROC) and says so once',
    async () => {
      const src = program(
        'func main() {\n\tif len(os.Args) > 1 {\n\t\ttime.Sleep(300 * time.Second)\n\t}\n\tn := 0\n\tfor i := 0; i < 5000; i++ {\n\t\tif err := exec.Command("/proc/self/exe", "child").Start(); err != nil {\n\t\t\tfmt.Println("stopped at", n, err)\n\t\t\tbreak\n\t\t}\n\t\tn++\n\t}\n\tos.Exit(0)\n}',
        ['fmt', 'os', 'os/exec', 'time'],
      );
      const { result, output, of } = await runGo(src, { limits: { processes: 60 } });
      expect(result.status).toBe('exited');
      const m = /stopped at (\d+)/.exec(output);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeLessThan(60);
      expect(of('gorun.notice').map((n) => n.error.code)).toEqual(['E_GO_PROCESS_LIMIT']);
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'cannot read /etc/shadow (it runs as nobody) and may write only its own folder',
    async () => {
      const src = program(
        'func main() {\n\t_, err := os.ReadFile("/etc/shadow")\n\tfmt.Println("shadow:", err != nil)\n\terr = os.WriteFile("/etc/gonetlab-escape", []byte("x"), 0o644)\n\tfmt.Println("etc:", err != nil)\n\terr = os.WriteFile("mine.txt", []byte("x"), 0o644)\n\tfmt.Println("own folder:", err == nil)\n}',
        ['fmt', 'os'],
      );
      const { output } = await runGo(src);
      expect(output).toBe('shadow: true\netc: true\nown folder: true\n');
    },
  );

  it('bounds the size of a file it writes, and says so', async () => {
    const src = program(
      'func main() {\n\terr := os.WriteFile("big.bin", make([]byte, 8<<20), 0o644)\n\tfmt.Println("write:", err)\n}',
      ['fmt', 'os'],
    );
    const { output, of } = await runGo(src, { limits: { fileSizeBytes: 1024 ** 2 } });
    expect(output).toContain('file too large');
    expect(of('gorun.notice').map((n) => n.error.code)).toEqual(['E_GO_FILE_SIZE_LIMIT']);
  });

  it('allows one run per owner at a time: pressing Run ten times gets E_GO_RUN_BUSY nine times', async () => {
    const runner = new GoRunner({ runsDir });
    const codes: string[] = [];
    const runs = [];
    for (let i = 0; i < 10; i++) {
      try {
        runs.push(
          runner.start({ owner: 'student', source: program('func main() {\n\tfmt.Println(1)\n}'), emit: () => {} }),
        );
      } catch (err) {
        codes.push((err as { code: string }).code);
      }
    }
    expect(runs).toHaveLength(1);
    expect(codes).toEqual(Array(9).fill('E_GO_RUN_BUSY'));
    await runs[0]!.done;
    expect(runner.active()).toBe(0);
    const notices: string[] = [];
    const again = runner.start({
      owner: 'student',
      source: program('func main() {\n\tfmt.Println(1)\n}'),
      emit: (e) => e.kind === 'gorun.notice' && notices.push(e.error.code),
    });
    expect((await again.done).status).toBe('exited');
    expect(notices).toEqual([]);
  });

  it('refuses a run past the lab-wide cap (E_GO_TOO_MANY_RUNS) and an oversized program (E_GO_PROGRAM_TOO_LARGE)', async () => {
    const runner = new GoRunner({ runsDir, maxRuns: 1 });
    const first = runner.start({ owner: 'a', source: program('func main() {\n\tfmt.Println(1)\n}'), emit: () => {} });
    expect(() => runner.start({ owner: 'b', source: program('func main() {}', []), emit: () => {} })).toThrow(
      expect.objectContaining({ code: 'E_GO_TOO_MANY_RUNS' }),
    );
    await first.done;
    expect(() =>
      runner.start({
        owner: 'b',
        source: `package main\n\nfunc main() {}\n// ${'x'.repeat(300 * 1024)}\n`,
        emit: () => {},
      }),
    ).toThrow(expect.objectContaining({ code: 'E_GO_PROGRAM_TOO_LARGE' }));
    expect(runner.active()).toBe(0);
  });

  it('a lab without Go says so with E_GO_NOT_INSTALLED and the install command', async () => {
    const { result, of } = await runGo(program('func main() {}', []), { go: '/nonexistent/go' });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'E_GO_NOT_INSTALLED' } });
    expect(result.error!.message.en).toContain('apt install golang-go');
    expect(of('gorun.end')).toHaveLength(1);
  });

  it('runs the echo lesson on the port the lab passes in (and ignores a Chinese copy beside it)', async () => {
    const source = readFileSync(new URL('../../lessons/01-echo-server/main.go', import.meta.url), 'utf8');
    const { result, output } = await runGo(source, {
      args: ['-addr', '127.0.0.1:0'],
      onEvent: (e, stop) => {
        if (e.kind === 'gorun.output' && e.text.includes('listening')) stop();
      },
    });
    expect(output).toMatch(/echo server listening on 127\.0\.0\.1:\d+/);
    expect(result.status).toBe('stopped');
  });
});
