// The Go dump parser on real Go 1.19 output (testdata/go1.19-*.txt, printed by the installed toolchain) and on a
// hand-written sample of the newer format (testdata/handwritten-go1.22-format.txt: `in goroutine N`, `gp=… m=…`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectGoCrash, parseGoroutineDump, programGoroutines } from './goroutineDumpParser.js';

const sample = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const brief = (text: string) => parseGoroutineDump(text).map((g) => [g.id, g.state, g.waitReason ?? '', g.fn]);

describe('parseGoroutineDump, Go 1.19 runtime.Stack(all) (what the sampler writes)', () => {
  const gs = parseGoroutineDump(sample('go1.19-runtime-stack.txt'));

  it('reads every goroutine with its state, wait reason and own function', () => {
    expect(gs.map((g) => [g.id, g.state, g.waitReason ?? '', g.fn])).toEqual([
      [1, 'running', '', 'main.main'],
      [21, 'waiting', 'IO wait', 'main.main.func1'],
      [22, 'waiting', 'chan receive', 'main.worker'],
      [23, 'waiting', 'semacquire', 'main.main.func2'],
      [24, 'waiting', 'select (no cases)', 'main.main.func3'],
      [25, 'waiting', 'sleep', 'main.main.func4'],
      [26, 'waiting', 'select', 'main.main.func5'],
    ]);
  });

  it('keeps frames innermost first, with method receivers and inlined frames, and the creator (old form, no id)', () => {
    const accept = gs.find((g) => g.id === 21)!;
    expect(accept.frames[0]).toEqual({
      fn: 'internal/poll.runtime_pollWait',
      file: '/usr/lib/go-1.19/src/runtime/netpoll.go',
      line: 305,
    });
    expect(accept.frames.map((f) => f.fn)).toContain('net.(*TCPListener).Accept');
    expect(accept.frames.map((f) => f.fn)).toContain('internal/poll.(*pollDesc).waitRead');
    expect(accept.createdBy).toEqual({ fn: 'main.main', file: '/tmp/gorun-probe2/main.go', line: 21 });
    expect(gs.find((g) => g.id === 1)!.createdBy).toBeUndefined();
  });
});

describe('parseGoroutineDump, crashes printed by Go 1.19', () => {
  it('a panic with GOTRACEBACK=all: the message and every goroutine', () => {
    const text = sample('go1.19-panic-all.txt');
    expect(detectGoCrash(text)).toEqual({ crash: 'panic', message: 'assignment to entry in nil map' });
    expect(brief(text).map((g) => g[2])).toEqual([
      '',
      'IO wait',
      'chan receive',
      'semacquire',
      'select (no cases)',
      'sleep',
      'select',
    ]);
  });

  it('the deadlock fatal error: every goroutine asleep, main in semacquire on the WaitGroup', () => {
    const text = sample('go1.19-deadlock.txt');
    expect(detectGoCrash(text)).toEqual({ crash: 'deadlock', message: 'all goroutines are asleep - deadlock!' });
    expect(brief(text)).toEqual([
      [1, 'waiting', 'semacquire', 'main.main'],
      [18, 'waiting', 'chan receive', 'main.main.func1'],
      [19, 'waiting', 'chan receive', 'main.main.func1'],
    ]);
    expect(parseGoroutineDump(text)[0]!.frames.map((f) => f.fn)).toEqual([
      'sync.runtime_Semacquire',
      'sync.(*WaitGroup).Wait',
      'main.main',
    ]);
  });

  it('a SIGQUIT dump: runtime frames with fp/sp/pc, goroutine 0 and the runtime goroutines dropped from the program view', () => {
    const text = sample('go1.19-sigquit.txt');
    expect(detectGoCrash(text)).toBeNull();
    const all = parseGoroutineDump(text);
    expect(all.map((g) => g.id)).toContain(0);
    expect(all.find((g) => g.id === 1)!.fn).toBe('main.main');
    expect(all.find((g) => g.id === 1)!.frames[2]).toEqual({
      fn: 'main.main',
      file: '/tmp/gorun-probe3/main.go',
      line: 23,
    });
    const mine = programGoroutines(all);
    expect(mine.map((g) => [g.id, g.waitReason ?? g.state, g.fn])).toEqual([
      [1, 'sleep', 'main.main'],
      ...mine.filter((g) => g.id !== 1).map((g) => [g.id, 'chan receive', 'main.main.func1']),
    ]);
    expect(mine.length).toBe(3);
  });
});

describe('parseGoroutineDump, newer format (hand-written sample of Go 1.21+ output, not produced here)', () => {
  const text = sample('handwritten-go1.22-format.txt');
  const gs = parseGoroutineDump(text);

  it('reads gp/m annotations, minutes blocked, locked to thread and `created by … in goroutine N`', () => {
    expect(gs.map((g) => g.id)).toEqual([1, 7, 8, 9]);
    expect(gs[1]).toMatchObject({ state: 'waiting', waitReason: 'chan receive', minutesBlocked: 3, fn: 'main.worker' });
    expect(gs[1]!.createdBy).toEqual({ fn: 'main.main', file: '/home/student/run/main.go', line: 25, goroutine: 1 });
    expect(gs[2]).toMatchObject({
      waitReason: 'sync.WaitGroup.Wait',
      minutesBlocked: 12,
      lockedToThread: true,
      fn: 'main.startPool.func1',
    });
    expect(gs[2]!.createdBy!.goroutine).toBe(7);
    expect(gs[2]!.frames.map((f) => f.fn)).toContain('main.(*pool).drain');
  });

  it('a goroutine whose stack is unavailable keeps its state and creator, with no frames', () => {
    expect(gs[3]).toMatchObject({ id: 9, state: 'running', fn: '', frames: [] });
    expect(gs[3]!.createdBy!.goroutine).toBe(1);
  });

  it('a recovered-and-repanicked panic is reported by its first line', () => {
    expect(detectGoCrash(text)).toEqual({ crash: 'panic', message: 'boom' });
  });
});

describe('detectGoCrash', () => {
  it('does not take a program that prints "panic: " for a crash when no dump follows', () => {
    expect(detectGoCrash('panic: this is just a log line\nmore output\n')).toBeNull();
  });

  it('names other fatal errors as fatal', () => {
    expect(detectGoCrash('fatal error: runtime: out of memory\n\ngoroutine 1 [running]:\n')).toEqual({
      crash: 'fatal',
      message: 'runtime: out of memory',
    });
  });
});

describe('programGoroutines', () => {
  it("hides goroutines running code of the file it is asked to hide (the lab's own sampler, behind a compiler wrapper)", () => {
    const text =
      'goroutine 1 [running]:\nmain.main()\n\t/r/main.go:3 +0x1\n\ngoroutine 5 [sleep]:\ntime.Sleep(0x1)\n\t/go/src/runtime/time.go:195 +0x135\nmain.gonetlabSample(0x0)\n\t/r/zz.go:9 +0x1\nmain.init.0.func1()\n\t/r/zz.go:4 +0x2\ncreated by main.init.0\n\t/r/zz.go:4 +0x2\n';
    expect(programGoroutines(parseGoroutineDump(text)).map((g) => g.id)).toEqual([1, 5]);
    expect(programGoroutines(parseGoroutineDump(text), 'zz.go').map((g) => g.id)).toEqual([1]);
  });
});
