// time package semantics, on the virtual clock (exact, replayable) and briefly on the real one.
import { describe, expect, it } from 'vitest';
import { createRuntime, go, sync, time, type RunResult } from './index.js';

function runGo(main: () => Promise<void>, clock: 'virtual' | 'real' = 'virtual'): Promise<RunResult> {
  return createRuntime({ seed: 1, clock }).run(main);
}

async function expectOk(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.status !== 'ok') throw new Error(`run ended with ${r.status}:\n${r.report}`);
  return r;
}

describe('time', () => {
  it('sleepers wake in deadline order, at their deadlines', async () => {
    await expectOk(
      runGo(async () => {
        const woke: [number, number][] = [];
        const wg = new sync.WaitGroup();
        for (const d of [30, 10, 20, 10]) {
          wg.add(1);
          go(async () => {
            await time.sleep(d);
            woke.push([d, time.now()]);
            wg.done();
          });
        }
        await wg.wait();
        expect(woke).toEqual([
          [10, 10],
          [10, 10],
          [20, 20],
          [30, 30],
        ]);
      }),
    );
  });

  it('sleep(0) and negative durations return at once', async () => {
    await expectOk(
      runGo(async () => {
        await time.sleep(0);
        await time.sleep(-5);
        expect(time.now()).toBe(0);
      }),
    );
  });

  it('virtual time stands still while a goroutine can run', async () => {
    await expectOk(
      runGo(async () => {
        const ch = time.after(5);
        for (let i = 0; i < 100; i++) await time.sleep(0);
        expect(time.now()).toBe(0);
        const [t] = await ch.recv();
        expect(t).toBe(5);
      }),
    );
  });

  it('a stopped timer never fires; reset re-arms it', async () => {
    await expectOk(
      runGo(async () => {
        const t = time.newTimer(10);
        expect(t.stop()).toBe(true);
        expect(t.stop()).toBe(false);
        await time.sleep(20);
        expect(t.c!.len()).toBe(0);
        expect(t.reset(5)).toBe(false);
        const [at] = await t.c!.recv();
        expect(at).toBe(25);
      }),
    );
  });

  it('afterFunc runs its function in a new goroutine', async () => {
    await expectOk(
      runGo(async () => {
        const done = new sync.WaitGroup();
        done.add(1);
        let at = -1;
        time.afterFunc(15, () => {
          at = time.now();
          done.done();
        });
        await done.wait();
        expect(at).toBe(15);
      }),
    );
  });

  it('a ticker ticks each period and drops ticks a slow reader misses', async () => {
    await expectOk(
      runGo(async () => {
        const tk = time.newTicker(10);
        const ticks: number[] = [];
        for (let i = 0; i < 3; i++) ticks.push((await tk.c.recv())[0]!);
        expect(ticks).toEqual([10, 20, 30]);
        await time.sleep(55); // ticks at 40..80 come while nobody reads; the channel holds one
        expect(tk.c.len()).toBe(1);
        expect((await tk.c.recv())[0]).toBe(40);
        expect((await tk.c.recv())[0]).toBe(90);
        tk.stop();
        await time.sleep(100);
        expect(tk.c.len()).toBe(0);
      }),
    );
  });

  it('a non-positive ticker period panics; tick returns nil for it', async () => {
    await expectOk(
      runGo(async () => {
        expect(() => time.newTicker(0)).toThrow('non-positive interval for NewTicker');
        expect(time.tick(-1)).toBeNull();
      }),
    );
  });

  it('real clock: sleep waits about as long as asked', async () => {
    await expectOk(
      runGo(async () => {
        const t0 = performance.now();
        await time.sleep(30);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
      }, 'real'),
    );
  });

  it('unit constants read like Go', () => {
    expect(250 * time.Millisecond).toBe(250);
    expect(2 * time.Second).toBe(2000);
    expect(time.Minute).toBe(60 * time.Second);
  });
});
