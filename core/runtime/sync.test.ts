// sync package semantics: WaitGroup, Mutex (mutual exclusion, hand-off, fatal unlock), RWMutex, Once.
import { describe, expect, it } from 'vitest';
import { createRuntime, go, GoPanic, Mutex, Once, RWMutex, time, WaitGroup, type RunResult } from './index.js';

function runGo(main: () => Promise<void>, seed = 1): Promise<RunResult> {
  return createRuntime({ seed, clock: 'virtual' }).run(main);
}

async function expectOk(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.status !== 'ok') throw new Error(`run ended with ${r.status}:\n${r.report}`);
  return r;
}

describe('WaitGroup', () => {
  it('wait returns once every done has been called, for every waiter', async () => {
    await expectOk(
      runGo(async () => {
        const wg = new WaitGroup();
        const finished: number[] = [];
        for (let i = 0; i < 5; i++) {
          wg.add(1);
          go(async () => {
            await time.sleep((5 - i) * 10);
            finished.push(i);
            wg.done();
          });
        }
        let waiters = 0;
        const outer = new WaitGroup();
        outer.add(2);
        for (let k = 0; k < 2; k++) {
          go(async () => {
            await wg.wait();
            waiters++;
            outer.done();
          });
        }
        await wg.wait();
        expect(finished).toEqual([4, 3, 2, 1, 0]);
        await outer.wait();
        expect(waiters).toBe(2);
      }),
    );
  });

  it('wait on a zero counter returns at once', async () => {
    await expectOk(
      runGo(async () => {
        const wg = new WaitGroup();
        const t0 = time.now();
        await wg.wait();
        expect(time.since(t0)).toBe(0);
      }),
    );
  });

  it('a negative counter panics', async () => {
    const r = await runGo(async () => {
      const wg = new WaitGroup();
      wg.done();
    });
    expect(r.status).toBe('panic');
    expect(r.report.split('\n')[0]).toBe('panic: sync: negative WaitGroup counter');
  });

  it('forgetting done leaves main waiting: a deadlock', async () => {
    const r = await runGo(async function main() {
      const wg = new WaitGroup('workers');
      wg.add(2);
      go(async function worker() {
        wg.done();
      });
      await wg.wait();
    });
    expect(r.status).toBe('deadlock');
    expect(r.dump).toHaveLength(1);
    expect(r.dump[0]).toMatchObject({
      id: 1,
      fn: 'main',
      waitReason: 'sync.WaitGroup.Wait',
      waitingOn: [{ kind: 'waitgroup', name: 'workers' }],
    });
  });
});

describe('Mutex', () => {
  it('keeps a read-modify-write critical section exclusive across awaits', async () => {
    for (const locked of [true, false]) {
      let counter = 0;
      await expectOk(
        runGo(async () => {
          const mu = new Mutex();
          const wg = new WaitGroup();
          for (let i = 0; i < 10; i++) {
            wg.add(1);
            go(async () => {
              for (let k = 0; k < 10; k++) {
                if (locked) await mu.lock();
                const seen = counter;
                await time.sleep(1); // something slow between the read and the write
                counter = seen + 1;
                if (locked) mu.unlock();
              }
              wg.done();
            });
          }
          await wg.wait();
        }),
      );
      // With the lock every increment survives; without it, the race loses most of them.
      if (locked) expect(counter).toBe(100);
      else expect(counter).toBeLessThan(100);
    }
  });

  it('hands the lock to waiters in arrival order', async () => {
    await expectOk(
      runGo(async () => {
        const mu = new Mutex();
        const order: number[] = [];
        await mu.lock();
        const wg = new WaitGroup();
        for (let i = 0; i < 4; i++) {
          wg.add(1);
          go(async () => {
            await mu.lock();
            order.push(i);
            mu.unlock();
            wg.done();
          });
          await time.sleep(1);
        }
        expect(mu.tryLock()).toBe(false);
        mu.unlock();
        await wg.wait();
        expect(order).toEqual([0, 1, 2, 3]);
        expect(mu.tryLock()).toBe(true);
        mu.unlock();
      }),
    );
  });

  it('unlocking an unlocked mutex is a fatal error', async () => {
    const r = await runGo(async () => {
      const mu = new Mutex();
      mu.unlock();
    });
    expect(r.status).toBe('fatal');
    expect(r.report.split('\n')[0]).toBe('fatal error: sync: unlock of unlocked mutex');
  });

  it('locking twice in one goroutine deadlocks', async () => {
    const r = await runGo(async () => {
      const mu = new Mutex('mu');
      await mu.lock();
      await mu.lock();
    });
    expect(r.status).toBe('deadlock');
    expect(r.dump[0].waitReason).toBe('sync.Mutex.Lock');
  });
});

describe('RWMutex', () => {
  it('lets readers share and keeps writers exclusive', async () => {
    await expectOk(
      runGo(async () => {
        const rw = new RWMutex();
        let readers = 0;
        let maxReaders = 0;
        let writers = 0;
        const wg = new WaitGroup();
        for (let i = 0; i < 6; i++) {
          wg.add(1);
          go(async () => {
            for (let k = 0; k < 5; k++) {
              if (i % 3 === 0) {
                await rw.lock();
                writers++;
                expect(readers).toBe(0);
                expect(writers).toBe(1);
                await time.sleep(2);
                writers--;
                rw.unlock();
              } else {
                await rw.rLock();
                readers++;
                maxReaders = Math.max(maxReaders, readers);
                expect(writers).toBe(0);
                await time.sleep(3);
                readers--;
                rw.rUnlock();
              }
            }
            wg.done();
          });
        }
        await wg.wait();
        expect(maxReaders).toBeGreaterThan(1);
      }),
    );
  });

  it('a waiting writer is not starved by a stream of readers', async () => {
    await expectOk(
      runGo(async () => {
        const rw = new RWMutex();
        let writerDone = -1;
        await rw.rLock();
        go(async () => {
          await rw.lock();
          writerDone = time.now();
          rw.unlock();
        });
        await time.sleep(1);
        // New readers arriving after the writer queue behind it.
        go(async () => {
          await rw.rLock();
          expect(writerDone).toBeGreaterThanOrEqual(0);
          rw.rUnlock();
        });
        await time.sleep(10);
        expect(writerDone).toBe(-1);
        rw.rUnlock();
        await time.sleep(1);
        expect(writerDone).toBe(11);
      }),
    );
  });

  it('RUnlock and Unlock of an unlocked RWMutex are fatal errors', async () => {
    const a = await runGo(async () => new RWMutex().rUnlock());
    expect(a.report.split('\n')[0]).toBe('fatal error: sync: RUnlock of unlocked RWMutex');
    const b = await runGo(async () => new RWMutex().unlock());
    expect(b.report.split('\n')[0]).toBe('fatal error: sync: Unlock of unlocked RWMutex');
  });
});

describe('Once', () => {
  it('runs the function once; concurrent callers wait until it has returned', async () => {
    await expectOk(
      runGo(async () => {
        const once = new Once();
        let runs = 0;
        let ready = false;
        const wg = new WaitGroup();
        for (let i = 0; i < 5; i++) {
          wg.add(1);
          go(async () => {
            await once.do(async () => {
              runs++;
              await time.sleep(20);
              ready = true;
            });
            expect(ready).toBe(true);
            wg.done();
          });
        }
        await wg.wait();
        expect(runs).toBe(1);
      }),
    );
  });

  it('a function that panics still counts as done', async () => {
    await expectOk(
      runGo(async () => {
        const once = new Once();
        let runs = 0;
        try {
          await once.do(() => {
            runs++;
            throw new GoPanic('boom');
          });
        } catch (e) {
          expect(e).toBeInstanceOf(GoPanic);
        }
        await once.do(() => runs++);
        expect(runs).toBe(1);
      }),
    );
  });
});
