// The page's side of running snippets: keeps one worker warm (bridge already open) so Run starts at once,
// enforces the wall-time limit and notices a worker that stopped answering, and ends every run by terminating
// its worker — which closes the bridge and so every socket the run had on the lab server.
import { ERROR_MESSAGES, type ErrorCode, type LocalizedText, type WireError } from '@core/protocol/errors';
import type { LabEvent } from '@core/protocol/events';
import type { DemoAddress } from './gonet/host';
import type { CheckResult, RunOutcome, RunRequest } from './snippetRunner';
import { ALIVE_INTERVAL_MS, type FromWorker, type RunLimits, type ToWorker } from './workerMessages';

export type ConsoleStream = 'stdout' | 'stderr' | 'system';

export interface ConsoleLine {
  id: number;
  stream: ConsoleStream;
  text: string;
}

export interface SessionSnapshot {
  phase: 'starting' | 'ready' | 'running' | 'finished';
  /** How many runs this session started (tests wait for it to change). */
  runs: number;
  mode: 'run' | 'check' | null;
  lines: ConsoleLine[];
  outcome: RunOutcome | null;
  /** A limit, Stop or a lost worker that ended the run, with its stable code. */
  endedBy: { code: ErrorCode; detail: string } | null;
  checks: CheckResult[];
  runningCheck: { index: number; name: LocalizedText } | null;
  /** The demo id the running (or last) run's sockets publish their events under. */
  runDemo: string | null;
  bridgeError: WireError | null;
  /** Milliseconds from Run to the first output, and to the end. */
  firstOutputMs: number | null;
  elapsedMs: number | null;
}

export interface SessionOptions {
  bridgeUrl: string;
  language: () => 'en' | 'zh';
  limits?: Partial<RunLimits>;
  /** A worker that sends no sign of life for this long is stopped (a busy loop, or out of memory). */
  unresponsiveMs?: number;
  createWorker?: () => Worker;
  /** Receives the run's goroutine events (stamped, in batches); when absent the worker does not send them. */
  onRunEvents?: (events: LabEvent[]) => void;
}

const MAX_LINES = 2000;
const DEFAULT_LIMITS: RunLimits = { maxOutputBytes: 1024 * 1024, maxGoroutines: 100_000 };

/** The snapshot before anything ran (also what the editor shows while no session exists). */
export const INITIAL_SNAPSHOT: SessionSnapshot = {
  phase: 'starting',
  runs: 0,
  mode: null,
  lines: [],
  outcome: null,
  endedBy: null,
  checks: [],
  runningCheck: null,
  runDemo: null,
  bridgeError: null,
  firstOutputMs: null,
  elapsedMs: null,
};

export class SnippetSession {
  private snapshot: SessionSnapshot = INITIAL_SNAPSHOT;
  private readonly listeners = new Set<() => void>();
  private worker: Worker | null = null;
  private workerDemo: string | null = null;
  private running = false;
  private startedAt = 0;
  private lastAlive = 0;
  private wallTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private nextLine = 1;
  private disposed = false;
  private readonly limits: RunLimits;
  private partial = '';

  constructor(private readonly options: SessionOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.prewarm();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private prewarm(): void {
    if (this.disposed) return;
    const worker =
      this.options.createWorker?.() ??
      new Worker(new URL('./snippetWorker.ts', import.meta.url), { type: 'module', name: 'snippet' });
    this.worker = worker;
    this.workerDemo = null;
    worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (this.worker === worker) this.onMessage(ev.data);
    };
    worker.onerror = (ev) => {
      if (this.worker !== worker) return;
      ev.preventDefault();
      if (this.running) this.end('E_SNIPPET_UNRESPONSIVE', ev.message || 'the worker failed');
    };
    this.post({ type: 'init', bridgeUrl: this.options.bridgeUrl, language: this.options.language() });
    if (!this.running) this.update({ phase: this.snapshot.phase === 'finished' ? 'finished' : 'starting' });
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  /** Runs main() (mode 'run') or the exercise's checks (mode 'check'). A run in progress is stopped first. */
  run(request: RunRequest, demos: { id: string; endpoints: DemoAddress[] }[], timeLimitMs: number): void {
    if (this.running) this.end('E_SNIPPET_STOPPED', 'a new run started');
    this.running = true;
    this.startedAt = performance.now();
    this.lastAlive = this.startedAt;
    this.partial = '';
    this.update({
      phase: 'running',
      runs: this.snapshot.runs + 1,
      mode: request.mode,
      lines: [],
      outcome: null,
      endedBy: null,
      checks: [],
      runningCheck: null,
      runDemo: this.workerDemo,
      firstOutputMs: null,
      elapsedMs: null,
    });
    this.post({
      type: 'run',
      request,
      demos,
      limits: this.limits,
      language: this.options.language(),
      instrument: this.options.onRunEvents !== undefined,
    });
    this.wallTimer = setTimeout(
      () => this.end('E_SNIPPET_TIME_LIMIT', `${Math.round(timeLimitMs / 1000)} s`),
      timeLimitMs,
    );
    const unresponsive = this.options.unresponsiveMs ?? 5000;
    this.watchdog = setInterval(() => {
      const silent = performance.now() - this.lastAlive;
      if (silent > unresponsive)
        this.end('E_SNIPPET_UNRESPONSIVE', `no sign of life for ${(silent / 1000).toFixed(1)} s`);
    }, ALIVE_INTERVAL_MS * 2);
  }

  /** Stop: terminates the worker at once (its bridge, and so its sockets on the server, close with it). */
  stop(): void {
    if (this.running) this.end('E_SNIPPET_STOPPED', 'stopped by the student');
  }

  clearConsole(): void {
    this.update({ lines: [] });
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    this.worker?.terminate();
    this.worker = null;
    this.listeners.clear();
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.workerDemo = m.demo;
        if (this.running) this.update({ runDemo: m.demo });
        else this.update({ phase: this.snapshot.phase === 'finished' ? 'finished' : 'ready', bridgeError: null });
        return;
      case 'bridgeFailed':
        this.update({ bridgeError: m.error, phase: this.running ? 'running' : 'ready' });
        return;
      case 'alive':
        this.lastAlive = performance.now();
        return;
      case 'output':
        this.lastAlive = performance.now();
        this.print(m.stream, m.text);
        return;
      case 'events':
        this.lastAlive = performance.now();
        this.options.onRunEvents?.(m.events);
        return;
      case 'notice':
        this.print(
          'system',
          `${m.error.code}: ${m.error.message[this.options.language()]}${m.error.detail ? ` (${m.error.detail})` : ''}\n`,
        );
        return;
      case 'checkStarted':
        this.update({ runningCheck: { index: m.index, name: m.name } });
        return;
      case 'check':
        this.update({ checks: [...this.snapshot.checks, m.result], runningCheck: null });
        return;
      case 'limit':
        // The worker stops its own run; its 'done' follows. If it does not, the watchdog or time limit ends it.
        this.update({ endedBy: { code: m.code, detail: m.detail } });
        return;
      case 'done':
        this.finish(m.outcome);
        return;
    }
  }

  private print(stream: ConsoleStream, text: string): void {
    if (this.snapshot.firstOutputMs === null && stream !== 'system' && this.running) {
      this.update({ firstOutputMs: performance.now() - this.startedAt });
    }
    // Whole lines only; a print without a newline waits for the rest of its line (or the end of the run).
    const all = this.partial + text;
    const parts = all.split('\n');
    this.partial = stream === 'system' ? '' : parts.pop()!;
    if (stream === 'system' && parts[parts.length - 1] === '') parts.pop();
    if (parts.length === 0) return;
    const lines = this.snapshot.lines.concat(parts.map((t) => ({ id: this.nextLine++, stream, text: t })));
    this.update({ lines: lines.length > MAX_LINES ? lines.slice(lines.length - MAX_LINES) : lines });
  }

  private flushPartial(): void {
    if (this.partial !== '') {
      const text = this.partial;
      this.partial = '';
      this.print('stdout', `${text}\n`);
    }
  }

  private finish(outcome: RunOutcome): void {
    if (!this.running) return;
    this.flushPartial();
    const limit = this.snapshot.endedBy;
    if (limit) {
      const lang = this.options.language();
      this.print('system', `${limit.code}: ${ERROR_MESSAGES[limit.code][lang]} (${limit.detail})\n`);
    }
    this.running = false;
    this.clearTimers();
    this.update({ phase: 'finished', outcome, runningCheck: null, elapsedMs: performance.now() - this.startedAt });
    this.recycle();
  }

  /** Ends the run from the page's side: the worker is terminated, whatever it is doing. */
  private end(code: ErrorCode, detail: string): void {
    if (!this.running) return;
    this.flushPartial();
    this.running = false;
    this.clearTimers();
    const lang = this.options.language();
    const running = this.snapshot.runningCheck;
    const during = running ? ` — ${running.name[lang]}` : '';
    this.print('system', `${code}: ${ERROR_MESSAGES[code][lang]} (${detail})${during}\n`);
    this.update({
      phase: 'finished',
      endedBy: this.snapshot.endedBy ?? { code, detail },
      outcome: { status: 'stopped', report: ERROR_MESSAGES[code].en, position: null, leaks: [] },
      runningCheck: null,
      elapsedMs: performance.now() - this.startedAt,
    });
    this.recycle();
  }

  /** A worker runs one program: terminate it (closing its sockets) and warm up the next one. */
  private recycle(): void {
    this.worker?.terminate();
    this.worker = null;
    this.prewarm();
  }

  private clearTimers(): void {
    if (this.wallTimer) clearTimeout(this.wallTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.wallTimer = null;
    this.watchdog = null;
  }
}
