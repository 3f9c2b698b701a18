// The goroutines demo's programs: small Go-shaped programs, one idea each (goroutines, channels, select, sync,
// context and leaks), run on the lab's goroutine runtime so the timeline and dump show every goroutine. Each is
// the TypeScript spelling of a pattern the lesson's Go program teaches, with knobs the lesson page can turn.
import type { GoroutineProgram, GoroutinesRunArgs } from '../../../core/protocol/demos/goroutines.js';
import {
  chan,
  context,
  go,
  Mutex,
  recvCase,
  select,
  sendCase,
  time,
  WaitGroup,
  type Chan,
} from '../../../core/runtime/index.js';
import { SeededRandom } from '../../../core/runtime/seededRandom.js';

/** Prints a line as the program's output (fmt.Println). */
export type Println = (...parts: unknown[]) => void;

export type ProgramMain = () => Promise<void>;

type Params = Omit<GoroutinesRunArgs, 'program'>;

/** Builds the program's main for these knobs. */
export function programMain(program: GoroutineProgram, p: Params, println: Println): ProgramMain {
  const rnd = new SeededRandom(p.seed ?? 1);
  switch (program) {
    case 'spawn':
      return spawn(p.n ?? 100, p.workMs ?? 50, rnd, println);
    case 'sequential-vs-concurrent':
      return sequentialVsConcurrent(p.n ?? 5, p.workMs ?? 40, println);
    case 'unbuffered':
      return producerConsumer(p.n ?? 5, 0, 10, p.workMs ?? 30, println);
    case 'buffered':
      return producerConsumer(p.n ?? 8, p.capacity ?? 3, 10, p.workMs ?? 60, println);
    case 'close-range':
      return closeRange(p.n ?? 4, println);
    case 'forgot-receiver':
      return forgotReceiver(println);
    case 'select-timeout':
      return selectTimeout(p.workMs ?? 300, p.timeoutMs ?? 200, println);
    case 'fan-in':
      return fanIn(p.n ?? 6, println);
    case 'select-default':
      return selectDefault(p.n ?? 12, p.capacity ?? 2, println);
    case 'counter-race':
      return counterRace(p.n ?? 10, p.useMutex ?? false, println);
    case 'counter-channel':
      return counterChannel(p.n ?? 10, println);
    case 'leak':
      return leakyRequests(p.n ?? 5, p.workMs ?? 100, p.timeoutMs ?? 50, false, println);
    case 'leak-fixed':
      return leakyRequests(p.n ?? 5, p.workMs ?? 100, p.timeoutMs ?? 50, true, println);
    case 'context-cancel':
      return contextCancel(p.n ?? 3, p.timeoutMs ?? 250, println);
  }
}

/** Lesson 5: N goroutines, each doing a little work; main waits for all with a WaitGroup. */
function spawn(n: number, workMs: number, rnd: SeededRandom, println: Println): ProgramMain {
  return async function main() {
    const started = time.now();
    const wg = new WaitGroup('workers');
    for (let i = 0; i < n; i++) {
      wg.add(1);
      const work = workMs === 0 ? 0 : 1 + rnd.below(workMs);
      go(async function worker() {
        await time.sleep(work);
        wg.done();
      });
    }
    println(`started ${n} goroutines in ${(time.since(started)).toFixed(1)} ms`);
    await wg.wait();
    println(`all ${n} done after ${time.since(started).toFixed(1)} ms (each slept up to ${workMs} ms)`);
  };
}

/** Lesson 5: the same tasks one after another, then each in its own goroutine. */
function sequentialVsConcurrent(n: number, workMs: number, println: Println): ProgramMain {
  return async function main() {
    let t0 = time.now();
    for (let i = 0; i < n; i++) await time.sleep(workMs);
    println(`sequential: ${n} tasks of ${workMs} ms took ${time.since(t0).toFixed(0)} ms`);
    t0 = time.now();
    const wg = new WaitGroup();
    for (let i = 0; i < n; i++) {
      wg.add(1);
      go(async function task() {
        await time.sleep(workMs);
        wg.done();
      });
    }
    await wg.wait();
    println(`concurrent: ${n} tasks of ${workMs} ms took ${time.since(t0).toFixed(0)} ms`);
  };
}

/** Lesson 6: a producer and a slow consumer; with capacity 0 every send waits for the receiver. */
function producerConsumer(n: number, capacity: number, produceMs: number, consumeMs: number, println: Println): ProgramMain {
  return async function main() {
    const items = chan<number>(capacity, { name: 'items' });
    go(async function producer() {
      for (let i = 1; i <= n; i++) {
        await time.sleep(produceMs);
        const t0 = time.now();
        await items.send(i);
        println(`sent ${i} (waited ${time.since(t0).toFixed(0)} ms, len ${items.len()}/${items.cap()})`);
      }
      items.close();
    });
    for await (const v of items) {
      await time.sleep(consumeMs);
      println(`received ${v}`);
    }
    println('channel closed and drained');
  };
}

/** Lesson 6: range ends at close; a receive after that gets the zero value and ok=false. */
function closeRange(n: number, println: Println): ProgramMain {
  return async function main() {
    const words = chan<string>(n, { name: 'words', zero: '' });
    go(async function producer() {
      for (let i = 0; i < n; i++) await words.send(`w${i}`);
      words.close();
    });
    for await (const w of words) println(`range got ${w}`);
    const [v, ok] = await words.recv();
    println(`after close: v=${JSON.stringify(v)} ok=${ok}`);
  };
}

/** Lesson 6: sending on an unbuffered channel nobody receives from — Go stops with a deadlock. */
function forgotReceiver(println: Println): ProgramMain {
  return async function main() {
    const results = chan<number>(0, { name: 'results' });
    println('sending without a receiver…');
    await results.send(42);
    println('never printed');
  };
}

/** Lesson 7: wait for a result or give up after a timeout. */
function selectTimeout(workMs: number, timeoutMs: number, println: Println): ProgramMain {
  return async function main() {
    const result = chan<string>(1, { name: 'result' });
    go(async function slowCall() {
      await time.sleep(workMs);
      await result.send(`answer after ${workMs} ms`);
    });
    await select([
      recvCase(result, (v) => println(`got: ${v}`)),
      recvCase(time.after(timeoutMs), () => println(`timeout after ${timeoutMs} ms`)),
    ]);
  };
}

/** Lesson 7: two producers at different speeds, merged by one select loop until both are done. */
function fanIn(n: number, println: Println): ProgramMain {
  return async function main() {
    const fast = chan<string>(0, { name: 'fast' });
    const slow = chan<string>(0, { name: 'slow' });
    const produce = (ch: Chan<string>, label: string, every: number) =>
      go(async function producer() {
        for (let i = 0; i < n; i++) {
          await time.sleep(every);
          await ch.send(`${label}${i}`);
        }
        ch.close();
      });
    produce(fast, 'f', 20);
    produce(slow, 's', 55);
    let a: Chan<string> | null = fast;
    let b: Chan<string> | null = slow;
    while (a !== null || b !== null) {
      await select([
        recvCase(a, (v, ok) => {
          if (ok) println(`fast: ${v}`);
          else a = null; // a nil channel is never ready: the loop stops selecting it
        }),
        recvCase(b, (v, ok) => {
          if (ok) println(`slow: ${v}`);
          else b = null;
        }),
      ]);
    }
    println('both producers done');
  };
}

/** Lesson 7: a non-blocking send with default drops work when the queue is full instead of waiting. */
function selectDefault(n: number, capacity: number, println: Println): ProgramMain {
  return async function main() {
    const queue = chan<number>(capacity, { name: 'queue' });
    const done = chan<void>(0, { name: 'done' });
    go(async function worker() {
      for await (const job of queue) {
        await time.sleep(40);
        println(`worked on ${job}`);
      }
      done.close();
    });
    let dropped = 0;
    for (let i = 0; i < n; i++) {
      await time.sleep(10);
      await select([sendCase(queue, i)], {
        default: () => {
          dropped++;
          println(`queue full: dropped ${i}`);
        },
      });
    }
    queue.close();
    await done.recv();
    println(`${n - dropped} jobs done, ${dropped} dropped`);
  };
}

/** Lesson 8: goroutines increment a shared counter with a pause between read and write. */
function counterRace(n: number, useMutex: boolean, println: Println): ProgramMain {
  return async function main() {
    let counter = 0;
    const mu = new Mutex('counterMu');
    const wg = new WaitGroup('incrementers');
    for (let i = 0; i < n; i++) {
      wg.add(1);
      go(async function increment() {
        for (let k = 0; k < 3; k++) {
          if (useMutex) await mu.lock();
          const seen = counter;
          await time.sleep(1 + ((i + k) % 3)); // the gap where another goroutine can read the same value
          counter = seen + 1;
          if (useMutex) mu.unlock();
        }
        wg.done();
      });
    }
    await wg.wait();
    println(`counter = ${counter}, expected ${n * 3}${useMutex ? ' (with a Mutex)' : ' (no lock: updates were lost)'}`);
  };
}

/** Lesson 8: one goroutine owns the counter; the others send it increments (share memory by communicating). */
function counterChannel(n: number, println: Println): ProgramMain {
  return async function main() {
    const increments = chan<number>(0, { name: 'increments' });
    const total = chan<number>(0, { name: 'total' });
    go(async function owner() {
      let counter = 0;
      for await (const d of increments) counter += d;
      await total.send(counter);
    });
    const wg = new WaitGroup('senders');
    for (let i = 0; i < n; i++) {
      wg.add(1);
      go(async function sender() {
        for (let k = 0; k < 3; k++) {
          await time.sleep(1 + ((i + k) % 3));
          await increments.send(1);
        }
        wg.done();
      });
    }
    await wg.wait();
    increments.close();
    const [counter] = await total.recv();
    println(`counter = ${counter}, expected ${n * 3}`);
  };
}

/**
 * Lesson 10: each request starts a worker and waits for its answer or a timeout. The leaky version's worker sends
 * on an unbuffered channel nobody reads after the timeout: it blocks forever. The fixed one gives the channel
 * room for the answer (and stops work when the context is done).
 */
function leakyRequests(n: number, workMs: number, timeoutMs: number, fixed: boolean, println: Println): ProgramMain {
  return async function main() {
    for (let r = 0; r < n; r++) {
      const [ctx, cancel] = context.withTimeout(context.background(), timeoutMs);
      const answer = chan<string>(fixed ? 1 : 0, { name: `answer${r}` });
      go(async function search() {
        await select([recvCase(time.after(workMs + r * 10)), recvCase(fixed ? ctx.done() : null)]);
        await answer.send(`result ${r}`); // leaky: blocks forever once the caller has gone
      });
      await select([
        recvCase(answer, (v) => println(`request ${r}: ${v}`)),
        recvCase(ctx.done(), () => println(`request ${r}: ${ctx.err()!.message}`)),
      ]);
      cancel();
    }
    await time.sleep(workMs + n * 10 + 20);
    println(fixed ? 'every worker finished' : 'main returns: the workers still blocked are leaks');
  };
}

/** Lesson 10: a pipeline of workers that all stop when the context is cancelled. */
function contextCancel(n: number, afterMs: number, println: Println): ProgramMain {
  return async function main() {
    const [ctx, cancel] = context.withCancel(context.background());
    const wg = new WaitGroup('workers');
    for (let w = 0; w < n; w++) {
      wg.add(1);
      go(async function worker() {
        let ticks = 0;
        for (;;) {
          const { index } = await select([recvCase(ctx.done()), recvCase(time.after(30 + w * 15))]);
          if (index === 0) break;
          ticks++;
        }
        println(`worker ${w} stopped after ${ticks} ticks: ${ctx.err()!.message}`);
        wg.done();
      });
    }
    await time.sleep(afterMs);
    println('cancel()');
    cancel();
    await wg.wait();
  };
}
