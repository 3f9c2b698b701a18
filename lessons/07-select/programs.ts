// Lesson 7's programs for the goroutines demo: select with a timeout, fan-in of two producers, and a
// non-blocking send with default.
import { defineProgram } from '../../core/protocol/demos/goroutines.js';
import { chan, go, recvCase, select, sendCase, time, type Chan } from '../../core/runtime/index.js';

export const programs = [
  defineProgram({
    name: 'select-timeout',
    title: { en: 'select with a timeout', zh: '带超时的 select' },
    knobs: { workMs: { default: 300, min: 0, max: 5_000 }, timeoutMs: { default: 200, min: 0, max: 5_000 } },
    // Wait for a result or give up after a timeout.
    main: ({ workMs, timeoutMs }, { println }) =>
      async function main() {
        const result = chan<string>(1, { name: 'result' });
        go(async function slowCall() {
          await time.sleep(workMs);
          await result.send(`answer after ${workMs} ms`);
        });
        await select([
          recvCase(result, (v) => println(`got: ${v}`)),
          recvCase(time.after(timeoutMs), () => println(`timeout after ${timeoutMs} ms`)),
        ]);
      },
  }),
  defineProgram({
    name: 'fan-in',
    title: { en: 'Fan-in with select', zh: '用 select 合流' },
    knobs: { n: { default: 6, min: 1, max: 10_000 } },
    // Two producers at different speeds, merged by one select loop until both are done.
    main: ({ n }, { println }) =>
      async function main() {
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
      },
  }),
  defineProgram({
    name: 'select-default',
    title: { en: 'Non-blocking send (default)', zh: '非阻塞发送（default）' },
    knobs: { n: { default: 12, min: 1, max: 10_000 }, capacity: { default: 2, min: 0, max: 100 } },
    // A non-blocking send with default drops work when the queue is full instead of waiting.
    main: ({ n, capacity }, { println }) =>
      async function main() {
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
      },
  }),
];
