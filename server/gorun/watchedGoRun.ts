// A Go run with the lab watching it: starts the run, and from its gorun.start to its end watches the program's
// sockets (goProgramWatcher.ts). Every event, the run's own and the watcher's, is published under the run's demo id
// (goRunDemo), the watcher's socket closes before gorun.end. Used by the page's Go runs and by `go run --json`.
import { goRunDemo } from '../../core/protocol/demos/goRun.js';
import type { LabEventBody } from '../../core/protocol/events.js';
import type { GoRunEvent } from '../../core/protocol/events/goRun.js';
import { GoProgramWatcher, type GoProgramWatcherOptions } from './goProgramWatcher.js';
import type { GoRun, GoRunner, GoRunRequest } from './goRunner.js';
import { sandboxedProgramPids } from './goSandbox.js';

/** Publishes an event under a demo id (the lab's bus). */
export type PublishAs = (demo: string, body: LabEventBody) => void;

export interface WatchOptions extends Omit<GoProgramWatcherOptions, 'emit'> {
  /** False: run without watching (sockets, states, segments). Default true. */
  enabled?: boolean;
}

/** How often a sandboxed program's pid is looked up again (it is a child of the sandbox's init). */
const SANDBOX_PID_REFRESH_MS = 1000;

export interface WatchedRun {
  run: GoRun;
  /** Resolves once gorun.end is published (after the watcher's last events). */
  ended: Promise<void>;
}

export function startWatchedRun(
  runner: GoRunner,
  request: Omit<GoRunRequest, 'emit'>,
  publish: PublishAs,
  watch: WatchOptions = {},
): WatchedRun {
  let ended!: () => void;
  const endedPromise = new Promise<void>((resolve) => (ended = resolve));
  let watcher: GoProgramWatcher | null = null;
  let watching: Promise<void> = Promise.resolve();
  const emit = (e: GoRunEvent) => {
    const demo = goRunDemo(e.run);
    if (e.kind === 'gorun.start' && watch.enabled !== false) {
      const w = new GoProgramWatcher({ ...watch, emit: (body) => publish(demo, body) });
      watcher = w;
      publish(demo, e);
      const pids = e.isolation.kind === 'bwrap' ? sandboxPids(e.pid) : () => [e.pid];
      watching = w.start(pids).catch(() => undefined);
      return;
    }
    if (e.kind === 'gorun.end' && watcher) {
      const w = watcher;
      watcher = null;
      // The program's sockets are reported closed before its end.
      void watching
        .then(() => w.stop())
        .finally(() => {
          publish(demo, e);
          ended();
        });
      return;
    }
    publish(demo, e);
    if (e.kind === 'gorun.end') ended();
  };
  const run = runner.start({ ...request, emit });
  return { run, ended: endedPromise };
}

/** The sandboxed program's pids, looked up again now and then (bwrap's init starts it a moment after bwrap). */
function sandboxPids(leader: number): () => readonly number[] {
  let pids: number[] = [];
  let at = -Infinity;
  return () => {
    const now = performance.now();
    if (pids.length === 0 || now - at > SANDBOX_PID_REFRESH_MS) {
      pids = sandboxedProgramPids(leader);
      at = now;
    }
    return pids;
  };
}
