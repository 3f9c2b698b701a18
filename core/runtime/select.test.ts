// select semantics, after Go's select tests (runtime/chan_test.go: TestSelfSelect, TestSelectDuplicateChannel,
// TestSelectStress, TestNonblockRecvRace, TestSelectFairness): default, fairness, seeds, nil cases, queues.
import { describe, expect, it } from 'vitest';
import { chan, close, createRuntime, go, recvCase, select, sendCase, sync, time, type RunResult } from './index.js';

function runGo(main: () => Promise<void>, seed = 1): Promise<RunResult> {
  return createRuntime({ seed, clock: 'virtual' }).run(main);
}

async function expectOk(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.status !== 'ok') throw new Error(`run ended with ${r.status}:\n${r.report}`);
  return r;
}

describe('select', () => {
  it('never takes default when a case is ready', async () => {
    await expectOk(
      runGo(async () => {
        for (const capacity of [1, 2, 10]) {
          const ch = chan<number>(capacity);
          for (let i = 0; i < 200; i++) {
            await ch.send(i);
            const s = await select([recvCase(ch), recvCase(null)], { default: () => 'default' });
            expect(s.index).toBe(0);
            expect(s.value).toBe(i);
          }
        }
        // A parked sender makes an unbuffered receive ready.
        const unbuffered = chan<number>();
        for (let i = 0; i < 50; i++) {
          go(async () => unbuffered.send(i));
          await time.sleep(1);
          const s = await select([recvCase(unbuffered)], { default: () => 'default' });
          expect(s.index).toBe(0);
        }
      }),
    );
  });

  it('takes default when nothing is ready, and runs its body', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>();
        const s = await select([recvCase(ch), sendCase(ch, 1)], { default: () => 'idle' });
        expect(s).toEqual({ index: -1, value: undefined, ok: false, result: 'idle' });
        expect(ch.recvq.size + ch.sendq.size).toBe(0);
      }),
    );
  });

  it('a buffered value followed by close is received, never the default (Go TestNonblockRecvRace)', async () => {
    await expectOk(
      runGo(async () => {
        for (let i = 0; i < 200; i++) {
          const ch = chan<number>(1);
          await ch.send(1);
          go(async () => {
            const s = await select([recvCase(ch)], { default: () => 'default' });
            expect(s.index).toBe(0);
            expect([s.value, s.ok]).toEqual([1, true]);
          });
          close(ch);
          await time.sleep(1);
          expect(await ch.recv()).toEqual([undefined, false]);
        }
      }),
    );
  });

  it('a select never pairs with itself (Go TestSelfSelect)', async () => {
    for (const capacity of [0, 10]) {
      await expectOk(
        runGo(async () => {
          const ch = chan<number>(capacity);
          const wg = new sync.WaitGroup();
          for (let p = 0; p < 2; p++) {
            wg.add(1);
            go(async () => {
              for (let i = 0; i < 1000; i++) {
                const s = await select([sendCase(ch, p), recvCase(ch)]);
                // Unbuffered, a goroutine must never receive its own value (buffered, it may: it sent it earlier).
                if (capacity === 0 && s.index === 1) expect(s.value).not.toBe(p);
              }
              wg.done();
            });
          }
          await wg.wait();
        }),
      );
    }
  });

  it('a lone select with a send and a receive on one unbuffered channel deadlocks instead of pairing with itself', async () => {
    const r = await runGo(async () => {
      const ch = chan<number>();
      await select([sendCase(ch, 1), recvCase(ch)]);
    });
    expect(r.status).toBe('deadlock');
    expect(r.dump[0].waitReason).toBe('select');
  });

  it('ready cases each win a fair share', async () => {
    await expectOk(
      runGo(async () => {
        const a = chan<number>(1);
        const b = chan<number>(1);
        const c = chan<number>();
        close(c); // always ready
        const wins = [0, 0, 0];
        const rounds = 3000;
        for (let i = 0; i < rounds; i++) {
          if (a.len() === 0) await a.send(0);
          if (b.len() === 0) await b.send(0);
          const s = await select([recvCase(a), recvCase(b), recvCase(c)]);
          wins[s.index]++;
        }
        // Each of three always-ready cases expects a third; a fair coin stays well within ±15% of that.
        for (const w of wins) {
          expect(w).toBeGreaterThan(rounds / 3 - 150);
          expect(w).toBeLessThan(rounds / 3 + 150);
        }
      }),
    );
  });

  it('the same seed replays the same choices; another seed makes others', async () => {
    const choices = async (seed: number): Promise<number[]> => {
      const out: number[] = [];
      await expectOk(
        runGo(async () => {
          const a = chan<number>();
          const b = chan<number>();
          close(a);
          close(b);
          for (let i = 0; i < 64; i++) out.push((await select([recvCase(a), recvCase(b)])).index);
        }, seed),
      );
      return out;
    };
    const first = await choices(42);
    expect(await choices(42)).toEqual(first);
    expect(await choices(43)).not.toEqual(first);
  });

  it('nil channel cases are never chosen', async () => {
    await expectOk(
      runGo(async () => {
        const ready = chan<number>();
        close(ready);
        for (let i = 0; i < 100; i++) {
          const s = await select([recvCase(null), sendCase(null, 1), recvCase(ready)]);
          expect(s.index).toBe(2);
        }
      }),
    );
  });

  it('select {} blocks forever', async () => {
    const r = await runGo(async () => {
      await select([]);
    });
    expect(r.status).toBe('deadlock');
    expect(r.dump[0].waitReason).toBe('select (no cases)');
  });

  it('a select of only nil channels blocks forever, with no default', async () => {
    const r = await runGo(async () => {
      await select([recvCase(null), sendCase(null, 1)]);
    });
    expect(r.status).toBe('deadlock');
    expect(r.dump[0].waitReason).toBe('select');
  });

  it('a timeout case fires when nothing else is ready', async () => {
    await expectOk(
      runGo(async () => {
        const never = chan<string>();
        const t0 = time.now();
        const s = await select([
          recvCase(never, (v) => v),
          recvCase(time.after(250 * time.Millisecond), () => 'timeout'),
        ]);
        expect(s.result).toBe('timeout');
        expect(time.since(t0)).toBe(250);
        expect(never.recvq.size).toBe(0);
      }),
    );
  });

  it('a duplicate channel in one select does not corrupt its queues (Go TestSelectDuplicateChannel)', async () => {
    await expectOk(
      runGo(async () => {
        const c = chan<number>();
        const d = chan<number>();
        const e = chan<number>();
        const done = new sync.WaitGroup();
        done.add(1);
        go(async () => {
          // Parks on c twice and on d: one waiter must be taken, the other two withdrawn.
          const s = await select([recvCase(c), recvCase(c), recvCase(d)]);
          expect(s.index).toBe(2);
          done.done();
        });
        await time.sleep(1);
        expect(c.recvq.size).toBe(2);
        go(async () => {
          await e.recv();
        });
        await time.sleep(1);
        await d.send(9);
        await done.wait();
        expect(c.recvq.size).toBe(0);
        expect(d.recvq.size).toBe(0);
        // c still works normally.
        go(async () => c.send(4));
        expect(await c.recv()).toEqual([4, true]);
        await e.send(0);
      }),
    );
  });

  it('cancelled select waiters leave no stale entries behind', async () => {
    await expectOk(
      runGo(async () => {
        const quit = chan<void>();
        const data = chan<number>();
        go(async () => {
          for (let i = 0; i < 500; i++) await data.send(i);
        });
        for (let i = 0; i < 500; i++) {
          const s = await select([recvCase(quit), recvCase(data)]);
          expect([s.index, s.value]).toEqual([1, i]);
          expect(quit.recvq.size).toBe(0);
        }
        expect(data.sendq.size + data.recvq.size + quit.recvq.size).toBe(0);
      }),
    );
  });

  it('case bodies run in the goroutine and their results come back; async bodies are awaited', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(1);
        await ch.send(20);
        const s = await select([
          recvCase(ch, async (v, ok) => {
            await time.sleep(5);
            return ok ? v * 2 : -1;
          }),
        ]);
        expect(s.result).toBe(40);
        const out = chan<number>();
        go(async () => {
          const r = await select([sendCase(out, 1, () => 'sent')]);
          expect(r.result).toBe('sent');
        });
        expect((await out.recv())[0]).toBe(1);
      }),
    );
  });

  it('a send case on a closed channel panics', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(1);
        close(ch);
        await expect(async () => select([sendCase(ch, 1)], { default: () => 0 })).rejects.toThrow(
          'send on closed channel',
        );
      }),
    );
  });

  it('a stress mix of sends, receives and selects does not deadlock and loses nothing (Go TestSelectStress)', async () => {
    const r = await expectOk(
      runGo(async () => {
        const chans = [chan<number>(), chan<number>(), chan<number>(2), chan<number>(3)];
        const n = 2000;
        const received = [0, 0, 0, 0];
        const wg = new sync.WaitGroup();
        // Plain senders and receivers, one pair per channel.
        for (let k = 0; k < 4; k++) {
          wg.add(2);
          go(async () => {
            for (let i = 0; i < n; i++) await chans[k].send(i);
            wg.done();
          });
          go(async () => {
            for (let i = 0; i < n; i++) {
              await chans[k].recv();
              received[k]++;
            }
            wg.done();
          });
        }
        // A select sender and a select receiver over all four channels, using nil once a channel's quota is met.
        wg.add(2);
        go(async () => {
          const left = [n, n, n, n];
          while (left.some((x) => x > 0)) {
            const s = await select(chans.map((c, k) => sendCase(left[k] > 0 ? c : null, -1)));
            left[s.index]--;
          }
          wg.done();
        });
        go(async () => {
          const left = [n, n, n, n];
          while (left.some((x) => x > 0)) {
            const s = await select(chans.map((c, k) => recvCase(left[k] > 0 ? c : null)));
            left[s.index]--;
            received[s.index]++;
          }
          wg.done();
        });
        await wg.wait();
        expect(received).toEqual([2 * n, 2 * n, 2 * n, 2 * n]);
        for (const c of chans) expect([c.len(), c.recvq.size, c.sendq.size]).toEqual([0, 0, 0]);
      }),
    );
    expect(r.leaks).toEqual([]);
  });
});
