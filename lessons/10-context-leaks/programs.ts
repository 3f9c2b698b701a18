// Lesson 10's programs for the goroutines demo: a request timeout that leaks its workers, the same without the
// leak, and workers that all stop when their context is cancelled.
import { defineProgram, type Println } from '../../core/protocol/demos/goroutines.js';
import { chan, context, go, recvCase, select, time, WaitGroup } from '../../core/runtime/index.js';

/**
 * Each request starts a worker and waits for its answer or a timeout. The leaky version's worker sends on an
 * unbuffered channel nobody reads after the timeout: it blocks forever. The fixed one gives the channel room for
 * the answer (and stops work when the context is done).
 */
function leakyRequests(n: number, workMs: number, timeoutMs: number, fixed: boolean, println: Println) {
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

const requestKnobs = () => ({
  n: { default: 5, min: 1, max: 10_000 },
  workMs: { default: 100, min: 0, max: 5_000 },
  timeoutMs: { default: 50, min: 0, max: 5_000 },
});

export const programs = [
  defineProgram({
    name: 'leak',
    title: { en: 'Timeout that leaks goroutines', zh: '会泄漏 goroutine 的超时' },
    knobs: requestKnobs(),
    main: ({ n, workMs, timeoutMs }, { println }) => leakyRequests(n, workMs, timeoutMs, false, println),
  }),
  defineProgram({
    name: 'leak-fixed',
    title: { en: 'Timeout without leaks', zh: '不泄漏的超时' },
    knobs: requestKnobs(),
    main: ({ n, workMs, timeoutMs }, { println }) => leakyRequests(n, workMs, timeoutMs, true, println),
  }),
  defineProgram({
    name: 'context-cancel',
    title: { en: 'Cancel workers with a context', zh: '用 context 取消工作 goroutine' },
    knobs: { n: { default: 3, min: 1, max: 10_000 }, timeoutMs: { default: 250, min: 0, max: 5_000 } },
    // A group of workers that all stop when the context is cancelled.
    main: ({ n, timeoutMs }, { println }) =>
      async function main() {
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
        await time.sleep(timeoutMs);
        println('cancel()');
        cancel();
        await wg.wait();
      },
  }),
];
