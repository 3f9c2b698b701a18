// Lesson 5's programs for the goroutines demo: many goroutines started at once, and the same tasks run one after
// another and then concurrently. They run on the lab's goroutine runtime, so the timeline shows every goroutine.
import { defineProgram } from '../../core/protocol/demos/goroutines.js';
import { go, time, WaitGroup } from '../../core/runtime/index.js';
import { SeededRandom } from '../../core/runtime/seededRandom.js';

export const programs = [
  defineProgram({
    name: 'sequential-vs-concurrent',
    title: { en: 'Sequential vs concurrent', zh: '顺序执行与并发执行' },
    knobs: { n: { default: 5, min: 1, max: 10_000 }, workMs: { default: 40, min: 0, max: 5_000 } },
    main: ({ n, workMs }, { println }) =>
      async function main() {
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
      },
  }),
  defineProgram({
    name: 'spawn',
    title: { en: 'Start N goroutines', zh: '启动 N 个 goroutine' },
    knobs: { n: { default: 100, min: 1, max: 10_000 }, workMs: { default: 50, min: 0, max: 5_000 } },
    // N goroutines, each doing a little work; main waits for all with a WaitGroup.
    main: ({ n, workMs }, { println, seed }) =>
      async function main() {
        const rnd = new SeededRandom(seed);
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
        println(`started ${n} goroutines in ${time.since(started).toFixed(1)} ms`);
        await wg.wait();
        println(`all ${n} done after ${time.since(started).toFixed(1)} ms (each slept up to ${workMs} ms)`);
      },
  }),
];
