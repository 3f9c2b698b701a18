// The run a shared demo is doing (a storm, a shutdown, a load or breaker run), owned by the page that started it:
// who may start and stop it is sharedControl.ts's rule, applied here once for every such demo, with its abort
// signal, the promise of its end, and the stop when its page leaves.
import { LabError } from '../../core/protocol/errors.js';
import type { CommandCaller } from './demo.js';
import { labErrorOf, mayStart, mayStop, ownerOf, type RunOwner } from './sharedControl.js';

export interface Run<R, Extra> {
  abort: AbortController;
  done: Promise<R>;
  owner: RunOwner;
  /** What the demo keeps about this run (its breaker, its current rate). */
  extra: Extra;
}

export class OwnedRun<R, Extra = undefined> {
  private run: Run<R, Extra> | null = null;

  /** @param what names a run in refusals: "a load run" (the stop refusal says "the load run"). */
  constructor(private readonly what: string) {}

  get current(): Run<R, Extra> | null {
    return this.run;
  }

  /** Throws E_DEMO_IN_USE while another page's run is going. */
  checkStart(caller: CommandCaller): void {
    const refusal = mayStart(this.run?.owner ?? null, caller, this.what);
    if (refusal) throw labErrorOf(refusal);
  }

  /**
   * Starts `body` as the caller's run, checked as checkStart does. A run of the caller's own still going is refused
   * (E_ACTION_FAILED), or with `replaceOwn` stopped first and the new one starts once it has ended. The run is
   * forgotten when `body` settles.
   */
  start(
    caller: CommandCaller,
    body: (signal: AbortSignal) => Promise<R>,
    extra: Extra,
    options: { replaceOwn?: boolean } = {},
  ): Promise<R> {
    this.checkStart(caller);
    const previous = this.run;
    if (previous && !options.replaceOwn) throw new LabError('E_ACTION_FAILED', `${this.what} is already going`);
    previous?.abort.abort();
    const abort = new AbortController();
    const run: Run<R, Extra> = { abort, done: Promise.resolve(null as R), owner: ownerOf(caller), extra };
    this.run = run;
    // Without a run before it, the body starts at once: what it publishes first goes out before the command's reply.
    const ran = previous ? previous.done.then(noop, noop).then(() => body(abort.signal)) : body(abort.signal);
    run.done = ran.finally(() => {
      if (this.run === run) this.run = null;
    });
    return run.done;
  }

  /** The stop command: refused (E_NOT_OWNER) for another page's run; resolves once the run has ended. */
  async stop(caller: CommandCaller): Promise<{ stopped: boolean }> {
    const run = this.run;
    if (!run) return { stopped: false };
    const refusal = mayStop(run.owner, caller, this.what.replace(/^an? /, 'the '));
    if (refusal) throw labErrorOf(refusal);
    run.abort.abort();
    await run.done.catch(noop);
    return { stopped: true };
  }

  /** The page that started the run left: the run stops (nobody is watching it). */
  sessionClosed(session: string): void {
    if (this.run?.owner.session === session) this.run.abort.abort();
  }

  /** The demo stops: whatever runs is stopped and waited for. */
  async abortAndWait(): Promise<void> {
    const run = this.run;
    run?.abort.abort();
    await run?.done.catch(noop);
  }
}

/** Waits `ms`, or less if the signal aborts (then it just ends the wait: a stopped run winds down, it does not fail). */
export function waitOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function noop(): void {}
