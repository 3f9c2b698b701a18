// Lesson 6's programs for the goroutines demo: unbuffered and buffered channels between a producer and a slow
// consumer, close and range, and a send nobody receives (Go's deadlock report).
import { defineProgram, type Println } from '../../core/protocol/demos/goroutines.js';
import { chan, go, time } from '../../core/runtime/index.js';

/** A producer and a slow consumer; with capacity 0 every send waits for the receiver. */
function producerConsumer(n: number, capacity: number, produceMs: number, consumeMs: number, println: Println) {
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

export const programs = [
  defineProgram({
    name: 'unbuffered',
    title: { en: 'Unbuffered channel', zh: '无缓冲通道' },
    knobs: { n: { default: 5, min: 1, max: 10_000 }, workMs: { default: 30, min: 0, max: 5_000 } },
    main: ({ n, workMs }, { println }) => producerConsumer(n, 0, 10, workMs, println),
  }),
  defineProgram({
    name: 'buffered',
    title: { en: 'Buffered channel, slow consumer', zh: '缓冲通道与慢消费者' },
    knobs: {
      n: { default: 8, min: 1, max: 10_000 },
      capacity: { default: 3, min: 0, max: 100 },
      workMs: { default: 60, min: 0, max: 5_000 },
    },
    main: ({ n, capacity, workMs }, { println }) => producerConsumer(n, capacity, 10, workMs, println),
  }),
  defineProgram({
    name: 'close-range',
    title: { en: 'close and range', zh: 'close 与 range' },
    knobs: { n: { default: 4, min: 1, max: 10_000 } },
    // range ends at close; a receive after that gets the zero value and ok=false.
    main: ({ n }, { println }) =>
      async function main() {
        const words = chan<string>(n, { name: 'words', zero: '' });
        go(async function producer() {
          for (let i = 0; i < n; i++) await words.send(`w${i}`);
          words.close();
        });
        for await (const w of words) println(`range got ${w}`);
        const [v, ok] = await words.recv();
        println(`after close: v=${JSON.stringify(v)} ok=${ok}`);
      },
  }),
  defineProgram({
    name: 'forgot-receiver',
    title: { en: 'Send with no receiver (deadlock)', zh: '没有接收者的发送（死锁）' },
    knobs: {},
    // Sending on an unbuffered channel nobody receives from: Go stops with a deadlock.
    main: (_knobs, { println }) =>
      async function main() {
        const results = chan<number>(0, { name: 'results' });
        println('sending without a receiver…');
        await results.send(42);
        println('never printed');
      },
  }),
];
