// Channel semantics, derived from Go's own channel tests (runtime/chan_test.go): every capacity, every way of
// sending and receiving (direct, one-case select, multi-case select), close, nil channels, FIFO, panics.
import { describe, expect, it } from 'vitest';
import {
  Chan,
  chan,
  close,
  createRuntime,
  go,
  GoPanic,
  recv,
  recvCase,
  select,
  send,
  sendCase,
  sync,
  time,
  type RunResult,
} from './index.js';

const CAPACITIES = [0, 1, 2, 10, 100];

/** How an operation is issued: as a plain op, through a one-case select, or through a select with other cases. */
type Way = 'direct' | 'select1' | 'selectN';
const WAYS: Way[] = ['direct', 'select1', 'selectN'];

async function sendVia(way: Way, ch: Chan<number>, v: number): Promise<void> {
  if (way === 'direct') return ch.send(v);
  if (way === 'select1') {
    await select([sendCase(ch, v)]);
    return;
  }
  // Extra cases that are never ready: a nil channel and a channel nobody uses.
  const idle = chan<number>();
  const s = await select([recvCase(null), recvCase(idle), sendCase(ch, v), sendCase(null, 0)]);
  expect(s.index).toBe(2);
}

async function recvVia(way: Way, ch: Chan<number>): Promise<[number | undefined, boolean]> {
  if (way === 'direct') return ch.recv();
  if (way === 'select1') {
    const s = await select([recvCase(ch)]);
    return [s.value as number | undefined, s.ok];
  }
  const idle = chan<number>();
  const s = await select([sendCase(null, 0), recvCase(idle), recvCase(ch), recvCase(null)]);
  expect(s.index).toBe(2);
  return [s.value as number | undefined, s.ok];
}

/** Non-blocking send: select with default, as Go writes it. */
async function trySendVia(way: Way, ch: Chan<number>, v: number): Promise<boolean> {
  if (way === 'direct') return ch.trySend(v);
  const cases = way === 'select1' ? [sendCase(ch, v)] : [recvCase(null), sendCase(ch, v), recvCase(chan<number>())];
  const s = await select(cases, { default: () => undefined });
  return s.index !== -1;
}

async function tryRecvVia(way: Way, ch: Chan<number>): Promise<[number | undefined, boolean] | null> {
  if (way === 'direct') return ch.tryRecv();
  const cases = way === 'select1' ? [recvCase(ch)] : [recvCase(null), recvCase(ch), recvCase(chan<number>())];
  const s = await select(cases, { default: () => undefined });
  if (s.index === -1) return null;
  return [s.value as number | undefined, s.ok];
}

function runGo(main: () => Promise<void>, seed = 1): Promise<RunResult> {
  return createRuntime({ seed, clock: 'virtual' }).run(main);
}

async function expectOk(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.status !== 'ok') throw new Error(`run ended with ${r.status}:\n${r.report}`);
  return r;
}

describe.each(WAYS)('channels, operations issued %s', (way) => {
  it.each(CAPACITIES)('cap %i: a receive from an empty channel blocks until a send', async (capacity) => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(capacity);
        const got: number[] = [];
        go(async () => {
          const [v] = await recvVia(way, ch);
          got.push(v!);
        });
        await time.sleep(10);
        expect(got).toEqual([]);
        expect(await tryRecvVia(way, ch)).toBeNull();
        await sendVia(way, ch, 7);
        await time.sleep(10);
        expect(got).toEqual([7]);
      }),
    );
  });

  it.each(CAPACITIES)(
    'cap %i: sends complete without a receiver until the buffer is full, then block',
    async (capacity) => {
      await expectOk(
        runGo(async () => {
          const ch = chan<number>(capacity);
          let sent = 0;
          go(async () => {
            for (let i = 0; i <= capacity; i++) {
              await sendVia(way, ch, i);
              sent++;
            }
          });
          await time.sleep(10);
          expect(sent).toBe(capacity);
          expect(ch.len()).toBe(capacity);
          expect(await trySendVia(way, ch, -1)).toBe(false);
          const [first] = await recvVia(way, ch);
          expect(first).toBe(0);
          await time.sleep(10);
          expect(sent).toBe(capacity + 1);
          for (let i = 1; i <= capacity; i++) expect((await recvVia(way, ch))[0]).toBe(i);
          expect(ch.len()).toBe(0);
        }),
      );
    },
  );

  it.each(CAPACITIES)(
    'cap %i: non-blocking send succeeds only while there is room or a waiting receiver',
    async (capacity) => {
      await expectOk(
        runGo(async () => {
          const ch = chan<number>(capacity);
          for (let i = 0; i < capacity; i++) expect(await trySendVia(way, ch, i)).toBe(true);
          expect(await trySendVia(way, ch, 99)).toBe(false);
          for (let i = 0; i < capacity; i++) expect(await tryRecvVia(way, ch)).toEqual([i, true]);
          expect(await tryRecvVia(way, ch)).toBeNull();
          // With a receiver parked, even an unbuffered non-blocking send goes through.
          const got: number[] = [];
          go(async () => {
            got.push((await ch.recv())[0]!);
          });
          await time.sleep(1);
          expect(await trySendVia(way, ch, 5)).toBe(true);
          await time.sleep(1);
          expect(got).toEqual([5]);
        }),
      );
    },
  );

  it.each(CAPACITIES)(
    'cap %i: after close, buffered values drain in order, then zero values with ok=false',
    async (capacity) => {
      await expectOk(
        runGo(async () => {
          const ch = chan<number>(capacity, { zero: 0 });
          for (let i = 0; i < capacity; i++) await ch.send(i + 1);
          close(ch);
          for (let i = 0; i < capacity; i++) expect(await recvVia(way, ch)).toEqual([i + 1, true]);
          for (let k = 0; k < 3; k++) expect(await recvVia(way, ch)).toEqual([0, false]);
          expect(await tryRecvVia(way, ch)).toEqual([0, false]);
        }),
      );
    },
  );

  it.each(CAPACITIES)('cap %i: close wakes every blocked receiver with ok=false', async (capacity) => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(capacity);
        const results: [number | undefined, boolean][] = [];
        const wg = new sync.WaitGroup();
        for (let i = 0; i < 5; i++) {
          wg.add(1);
          go(async () => {
            results.push(await recvVia(way, ch));
            wg.done();
          });
        }
        await time.sleep(5);
        expect(results).toEqual([]);
        close(ch);
        await wg.wait();
        expect(results).toEqual(Array(5).fill([undefined, false]));
      }),
    );
  });

  it.each(CAPACITIES)("cap %i: send on a closed channel panics with Go's message", async (capacity) => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(capacity);
        close(ch);
        await expect(sendVia(way, ch, 1)).rejects.toThrow(new GoPanic('send on closed channel'));
      }),
    );
  });

  it.each(CAPACITIES)('cap %i: a sender blocked when the channel is closed panics', async (capacity) => {
    const r = await runGo(async () => {
      const ch = chan<number>(capacity);
      for (let i = 0; i < capacity; i++) await ch.send(i);
      go(async function blockedSender() {
        await sendVia(way, ch, 99);
      });
      await time.sleep(5);
      close(ch);
      await time.sleep(5);
    });
    expect(r.status).toBe('panic');
    expect(r.report).toMatch(/^panic: send on closed channel\n\ngoroutine 2 \[running\]:\nblockedSender/);
  });

  it.each(CAPACITIES)(
    'cap %i: many producers and consumers: FIFO per producer, every value exactly once',
    async (capacity) => {
      const producers = 4;
      const consumers = 4;
      const perProducer = 250;
      await expectOk(
        runGo(async () => {
          const ch = chan<number>(capacity);
          const seen: number[][] = Array.from({ length: consumers }, () => []);
          const wgP = new sync.WaitGroup();
          const wgC = new sync.WaitGroup();
          for (let p = 0; p < producers; p++) {
            wgP.add(1);
            go(async () => {
              for (let i = 0; i < perProducer; i++) await sendVia(way, ch, p * 10_000 + i);
              wgP.done();
            });
          }
          for (let c = 0; c < consumers; c++) {
            wgC.add(1);
            go(async () => {
              for (;;) {
                const [v, ok] = await recvVia(way, ch);
                if (!ok) break;
                seen[c].push(v!);
              }
              wgC.done();
            });
          }
          await wgP.wait();
          close(ch);
          await wgC.wait();
          const all = seen.flat().sort((a, b) => a - b);
          const expected = [];
          for (let p = 0; p < producers; p++) for (let i = 0; i < perProducer; i++) expected.push(p * 10_000 + i);
          expect(all).toEqual(expected);
          // Each consumer sees each producer's values in the order they were sent.
          for (const list of seen) {
            for (let p = 0; p < producers; p++) {
              const mine = list.filter((v) => Math.floor(v / 10_000) === p);
              expect(mine).toEqual([...mine].sort((a, b) => a - b));
            }
          }
        }),
      );
    },
  );
});

describe('channels: close and nil', () => {
  it('closing a closed channel and closing a nil channel panic', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(1);
        close(ch);
        expect(() => close(ch)).toThrow(new GoPanic('close of closed channel'));
        expect(() => close(null)).toThrow(new GoPanic('close of nil channel'));
      }),
    );
  });

  it('a negative capacity panics like makechan', async () => {
    await expectOk(
      runGo(async () => {
        expect(() => chan<number>(-1)).toThrow('makechan: size out of range');
      }),
    );
  });

  it('range (for await) receives until close and drain', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<string>(2);
        go(async () => {
          for (const w of ['a', 'b', 'c', 'd']) await ch.send(w);
          ch.close();
        });
        const got: string[] = [];
        for await (const w of ch) got.push(w);
        expect(got).toEqual(['a', 'b', 'c', 'd']);
      }),
    );
  });

  it('leaving a range early leaves the channel usable', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(3);
        for (const v of [1, 2, 3]) await ch.send(v);
        for await (const v of ch) if (v === 1) break;
        expect(await ch.recv()).toEqual([2, true]);
      }),
    );
  });

  it.each(['send', 'recv'] as const)(
    'a %s on a nil channel blocks forever (deadlock once nothing else can run)',
    async (op) => {
      const r = await runGo(async () => {
        if (op === 'send') await send(null, 1);
        else await recv(null);
      });
      expect(r.status).toBe('deadlock');
      expect(r.dump[0].waitReason).toBe(op === 'send' ? 'chan send (nil chan)' : 'chan receive (nil chan)');
    },
  );

  it('len and cap follow the buffer', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(3);
        expect([ch.len(), ch.cap()]).toEqual([0, 3]);
        await ch.send(1);
        await ch.send(2);
        expect(ch.len()).toBe(2);
        await ch.recv();
        expect(ch.len()).toBe(1);
      }),
    );
  });

  it('a buffered ring keeps FIFO order across wrap-around and growth', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(40);
        let next = 0;
        let expectNext = 0;
        for (let round = 0; round < 50; round++) {
          const burst = 1 + (round % 40);
          for (let i = 0; i < burst && ch.len() < ch.cap(); i++) await ch.send(next++);
          const take = Math.ceil(ch.len() / 2);
          for (let i = 0; i < take; i++) expect((await ch.recv())[0]).toBe(expectNext++);
        }
      }),
    );
  });

  it('a parked sender on a full buffered channel keeps FIFO order behind the buffer', async () => {
    await expectOk(
      runGo(async () => {
        const ch = chan<number>(2);
        go(async () => {
          for (let i = 0; i < 6; i++) await ch.send(i);
        });
        await time.sleep(5);
        const got = [];
        for (let i = 0; i < 6; i++) got.push((await ch.recv())[0]);
        expect(got).toEqual([0, 1, 2, 3, 4, 5]);
      }),
    );
  });
});
