// Deadlock and leak detection: Go's fatal error with a goroutine dump when every goroutine is blocked and nothing
// (timer, I/O, outside hold) can wake one; leaks reported when the run ends with goroutines still blocked.
import { describe, expect, it } from 'vitest';
import { chan, createRuntime, go, ioWait, Mutex, recvCase, select, time, WaitGroup, type RunResult } from './index.js';

function runGo(main: () => Promise<void>, clock: 'virtual' | 'real' = 'virtual'): Promise<RunResult> {
  return createRuntime({ seed: 1, clock }).run(main);
}

describe('deadlock detection', () => {
  it("main receiving with no sender: Go's message and a dump of goroutine 1", async () => {
    const r = await runGo(async function main() {
      const ch = chan<number>(0, { name: 'results' });
      await ch.recv();
    });
    expect(r.status).toBe('deadlock');
    expect(r.report).toMatch(
      /^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \[chan receive\]:\nmain\(\.\.\.\)\n\twaiting on chan \d+ "results" \(len 0, cap 0\)/,
    );
    expect(r.dump).toEqual([
      expect.objectContaining({
        id: 1,
        fn: 'main',
        state: 'waiting',
        waitReason: 'chan receive',
        parent: 0,
        waitingOn: [expect.objectContaining({ kind: 'chan', name: 'results', len: 0, cap: 0 })],
      }),
    ]);
  });

  it('the dump lists every goroutine: id, state, what it waits on, where it was created', async () => {
    const r = await runGo(async function main() {
      const jobs = chan<number>(2, { name: 'jobs' });
      const results = chan<number>(0, { name: 'results' });
      const mu = new Mutex('stats');
      await mu.lock();
      go(async function producer() {
        for (let i = 0; i < 3; i++) await jobs.send(i); // the third send blocks: the buffer holds two
      });
      go(async function statsWriter() {
        await mu.lock();
      });
      go(async function selector() {
        await select([recvCase(results), recvCase(null)]);
      });
      const wg = new WaitGroup('all');
      wg.add(1);
      await wg.wait();
    });
    expect(r.status).toBe('deadlock');
    const byFn = Object.fromEntries(r.dump.map((g) => [g.fn, g]));
    expect(Object.keys(byFn).sort()).toEqual(['main', 'producer', 'selector', 'statsWriter']);
    expect(byFn.producer).toMatchObject({
      state: 'waiting',
      waitReason: 'chan send',
      parent: 1,
      parentFn: 'main',
      waitingOn: [{ kind: 'chan', name: 'jobs', len: 2, cap: 2 }],
    });
    expect(byFn.statsWriter).toMatchObject({
      waitReason: 'sync.Mutex.Lock',
      waitingOn: [{ kind: 'mutex', name: 'stats' }],
    });
    expect(byFn.selector).toMatchObject({
      waitReason: 'select',
      waitingOn: [{ kind: 'chan', name: 'results', dir: 'recv' }],
    });
    expect(byFn.main).toMatchObject({ waitReason: 'sync.WaitGroup.Wait' });
    // Creation sites point into this file.
    expect(byFn.producer.site).toMatch(/deadlock\.test\.ts:\d+:\d+/);
    expect(r.report).toContain('goroutine 2 [chan send]:\nproducer(...)\n\twaiting on chan');
    expect(r.report).toContain('created by main in goroutine 1');
  });

  it('a pending timer is not a deadlock: the sleeper wakes and the run ends normally', async () => {
    const r = await runGo(async () => {
      const ch = chan<number>();
      go(async () => {
        await time.sleep(50);
        await ch.send(1);
      });
      expect(await ch.recv()).toEqual([1, true]);
    });
    expect(r.status).toBe('ok');
  });

  it('once the last timer has fired with everyone blocked, it is a deadlock', async () => {
    const r = await runGo(async () => {
      const ch = chan<number>();
      time.after(20); // fires into its buffer; nobody reads it
      await ch.recv();
    });
    expect(r.status).toBe('deadlock');
  });

  it("pending I/O is not a deadlock (as Go's netpoller)", async () => {
    const r = await runGo(async () => {
      const ch = chan<string>();
      go(async function reader() {
        const line = await ioWait(new Promise<string>((resolve) => setTimeout(() => resolve('hello'), 30)));
        await ch.send(line);
      });
      expect(await ch.recv()).toEqual(['hello', true]);
    }, 'real');
    expect(r.status).toBe('ok');
  });

  it('an outside hold (keepAlive) defers detection until it is released', async () => {
    const rt = createRuntime({ seed: 1 });
    const release = rt.keepAlive();
    const blocked = new Promise<void>((resolve) => {
      rt.go(async function waiter() {
        resolve();
        await select([]);
      });
    });
    await blocked;
    await new Promise((r) => setTimeout(r, 20));
    expect(rt.result).toBeNull();
    release();
    const r = await rt.done;
    expect(r.status).toBe('deadlock');
    expect(r.dump.map((g) => g.fn)).toEqual(['waiter']);
  });

  it('detection can be turned off for runs that expect outside wake-ups', async () => {
    const rt = createRuntime({ seed: 1, detectDeadlock: false, clock: 'virtual' });
    const ch = await new Promise<ReturnType<typeof chan<number>>>((resolve) => {
      rt.go(async () => {
        const c = chan<number>();
        resolve(c);
        await c.recv();
      });
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(rt.result).toBeNull();
    expect(ch.trySend(5)).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(rt.stop().status).toBe('stopped');
  });
});

describe('leaks', () => {
  it('goroutines still blocked when main returns are reported, with the same detail', async () => {
    const events: string[] = [];
    const r = await createRuntime({ seed: 1, clock: 'virtual', onEvent: (e) => events.push(e.kind) }).run(
      async function main() {
        const ch = chan<number>(0, { name: 'answer' });
        go(async function forgotten() {
          await ch.send(42); // nobody receives: blocked forever
        });
        go(async function finishes() {
          await time.sleep(1);
        });
        await time.sleep(10);
      },
    );
    expect(r.status).toBe('ok');
    expect(r.leaks).toEqual([
      expect.objectContaining({
        id: 2,
        fn: 'forgotten',
        waitReason: 'chan send',
        parent: 1,
        waitingOn: [expect.objectContaining({ name: 'answer' })],
      }),
    ]);
    expect(r.report).toMatch(
      /^goroutine leak: 1 goroutine still blocked when the run ended\n\ngoroutine 2 \[chan send\]:\nforgotten/,
    );
    expect(events.slice(-2)).toEqual(['go.leak', 'go.runEnd']);
  });

  it('a clean run reports no leaks and an empty report', async () => {
    const r = await runGo(async () => {
      const ch = chan<number>();
      go(async () => ch.send(1));
      await ch.recv();
    });
    expect([r.status, r.report, r.leaks]).toEqual(['ok', '', []]);
  });

  it('stopping a server-style runtime reports its blocked goroutines as leaks', async () => {
    const rt = createRuntime({ seed: 1, detectDeadlock: false });
    rt.go(async function handler() {
      await chan<number>().recv();
    });
    await new Promise((r) => setTimeout(r, 5));
    const r = rt.stop();
    expect(r.status).toBe('stopped');
    expect(r.leaks.map((g) => [g.fn, g.waitReason])).toEqual([['handler', 'chan receive']]);
  });
});

describe('panics', () => {
  it("an unrecovered panic in any goroutine ends the run with Go's report", async () => {
    const r = await runGo(async function main() {
      go(async function worker() {
        const ch = chan<number>(1);
        ch.close();
        await ch.send(1);
      });
      await time.sleep(10);
    });
    expect(r.status).toBe('panic');
    expect(r.report).toMatch(
      /^panic: send on closed channel\n\ngoroutine 2 \[running\]:\nworker\(\.\.\.\)\ncreated by main in goroutine 1/,
    );
  });

  it("a panic caught with try/catch (Go's recover) lets the run go on", async () => {
    const r = await runGo(async () => {
      const ch = chan<number>();
      ch.close();
      let recovered = '';
      try {
        await ch.send(1);
      } catch (e) {
        recovered = (e as Error).message;
      }
      expect(recovered).toBe('send on closed channel');
    });
    expect(r.status).toBe('ok');
  });

  it('a thrown JavaScript error reads as a panic too', async () => {
    const r = await runGo(async () => {
      throw new TypeError('x is not a function');
    });
    expect(r.status).toBe('panic');
    expect(r.report.split('\n')[0]).toBe('panic: TypeError: x is not a function');
  });
});
