// Lesson 8's programs for the goroutines demo: a shared counter with and without a Mutex, and the same counter
// owned by one goroutine that the others send increments to.
import { defineProgram } from '../../core/protocol/demos/goroutines.js';
import { chan, go, Mutex, time, WaitGroup } from '../../core/runtime/index.js';

export const programs = [
  defineProgram({
    name: 'counter-race',
    title: { en: 'Shared counter', zh: '共享计数器' },
    knobs: { n: { default: 10, min: 1, max: 10_000 }, useMutex: { default: false } },
    // Goroutines increment a shared counter with a pause between read and write.
    main: ({ n, useMutex }, { println }) =>
      async function main() {
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
        println(
          `counter = ${counter}, expected ${n * 3}${useMutex ? ' (with a Mutex)' : ' (no lock: updates were lost)'}`,
        );
      },
  }),
  defineProgram({
    name: 'counter-channel',
    title: { en: 'Counter owned by one goroutine', zh: '由一个 goroutine 拥有的计数器' },
    knobs: { n: { default: 10, min: 1, max: 10_000 } },
    // One goroutine owns the counter; the others send it increments (share memory by communicating).
    main: ({ n }, { println }) =>
      async function main() {
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
      },
  }),
];
