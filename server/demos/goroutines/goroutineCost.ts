// Measures what a goroutine costs on this machine, so lesson 5 shows figures and never quotes them: the lab's
// runtime in this Node process (heap per parked goroutine, spawn rate), and, where Go is installed, a real Go
// program (the lesson's main.go -measure: goroutine stacks, spawn rate, OS threads and their resident memory).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { GoroutineCost } from '../../../core/protocol/events/goroutine.js';
import { chan, createRuntime, go, WaitGroup } from '../../../core/runtime/index.js';

const LESSON_GO = fileURLToPath(new URL('../../../lessons/05-goroutines/main.go', import.meta.url));

let gc: (() => void) | null = null;
function collectGarbage(): void {
  if (gc === null) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}

/** Heap bytes per goroutine parked on a channel receive in the lab's runtime, and goroutines started+finished/s. */
export async function measureRuntimeCost(count: number): Promise<GoroutineCost> {
  const rt = createRuntime({ seed: 1, creationSites: false, detectDeadlock: false });
  let bytes = 0;
  let perSecond = 0;
  const done = new Promise<void>((resolve, reject) => {
    rt.go(async function measure() {
      const gate = chan<void>();
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      const started = new WaitGroup();
      started.add(count);
      for (let i = 0; i < count; i++) {
        go(async function parked() {
          started.done();
          await gate.recv();
        });
      }
      await started.wait();
      collectGarbage();
      bytes = (process.memoryUsage().heapUsed - before) / count;
      gate.close();

      const t0 = performance.now();
      const finished = new WaitGroup();
      finished.add(count);
      for (let i = 0; i < count; i++) {
        go(async function quick() {
          finished.done();
        });
      }
      await finished.wait();
      perSecond = count / ((performance.now() - t0) / 1000);
      resolve();
    });
    void rt.done.then((r) => {
      if (r.status !== 'stopped' && r.status !== 'ok') reject(new Error(r.report));
    });
  });
  await done;
  rt.stop();
  return {
    by: 'runtime',
    version: `node ${process.version}`,
    count,
    bytesPerGoroutine: bytes,
    spawnPerSecond: perSecond,
  };
}

/** Runs lesson 5's Go program with -measure. Rejects with a reason when Go is missing or the program fails. */
export function measureGoCost(count: number, threads = 200, timeoutMs = 120_000): Promise<GoroutineCost> {
  return new Promise((resolve, reject) => {
    if (!existsSync(LESSON_GO)) {
      reject(new Error(`${LESSON_GO} is missing`));
      return;
    }
    execFile(
      'go',
      ['run', LESSON_GO, '-measure', '-n', String(count), '-threads', String(threads)],
      { timeout: timeoutMs },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new Error(
              (err as NodeJS.ErrnoException).code === 'ENOENT'
                ? 'Go is not installed (no `go` on PATH)'
                : `go run failed: ${stderr.trim() || err.message}`,
            ),
          );
          return;
        }
        try {
          const c = JSON.parse(stdout.trim().split('\n').pop() ?? '') as GoroutineCost;
          if (c.by !== 'go' || !(c.bytesPerGoroutine > 0)) throw new Error('unexpected output');
          resolve(c);
        } catch (e) {
          reject(new Error(`could not read the Go program's figures: ${(e as Error).message}`));
        }
      },
    );
  });
}
