// `npm run lab -- go run <file.go> [--json]`: builds and runs a Go program with the lab's runner, watches it as the
// page's Go runs are watched (its sockets from its own fds, their kernel TCP states, its captured segments,
// its sampled goroutines) and prints the events a browser would receive, under the run's demo id, then exits.
import { readFileSync } from 'node:fs';
import type { LabEvent } from '../../core/protocol/events.js';
import { EventBus } from '../events/eventBus.js';
import { freePort } from '../net/freePort.js';
import { GoRunner, type GoRunResult } from '../gorun/goRunner.js';
import { lessonListens, lessonOfPath, lessonRunArgs } from '../gorun/lessonRunArgs.js';
import { startWatchedRun, type WatchOptions } from '../gorun/watchedGoRun.js';
import { formatEventText } from './headless.js';

export interface GoHeadlessOptions {
  file: string;
  host: string;
  seconds: number;
  format: 'json' | 'text';
  write(line: string): void;
  runner?: GoRunner;
  watch?: WatchOptions;
  /** Stops the program early (tests, scripts). */
  signal?: AbortSignal;
}

/** Runs the program until it ends or `seconds` pass (then stops it) and resolves with how it ended. */
export async function runGoHeadless(options: GoHeadlessOptions): Promise<GoRunResult> {
  const source = readFileSync(options.file, 'utf8');
  const lesson = lessonOfPath(options.file);
  const port = lessonListens(lesson) ? await freePort(options.host) : undefined;
  const bus = new EventBus(0);
  bus.subscribe((e: LabEvent) => options.write(options.format === 'json' ? JSON.stringify(e) : formatEventText(e)));
  const runner = options.runner ?? new GoRunner();
  const { run, ended } = startWatchedRun(
    runner,
    {
      owner: 'cli',
      source,
      args: port !== undefined ? lessonRunArgs(lesson, options.host, port) : [],
      ...(port !== undefined ? { port } : {}),
    },
    (demo, body) => bus.publish(demo, body),
    options.watch,
  );
  const timer = setTimeout(() => run.stop(), options.seconds * 1000);
  const stopOnSignal = () => run.stop();
  process.once('SIGINT', stopOnSignal);
  options.signal?.addEventListener('abort', stopOnSignal, { once: true });
  try {
    const result = await run.done;
    await ended;
    return result;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stopOnSignal);
  }
}
