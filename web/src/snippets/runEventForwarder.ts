// The snippet worker's side of "your run on the goroutine timeline": takes every event of the runtime's
// instrumentation hook, stamps it as the lab's bus does (seq, t, demo) and posts it to the page in batches, within
// bounds a million goroutines cannot break. Pure apart from the timer it is given.
//
// The bounds, in order:
// - lanes: the first `maxLanes` goroutines of a run get a lane; later ones are only counted (exactly: how many,
//   how many are alive), and their events are left out;
// - block cycles: the lab server's GoroutineEventBudget (whole block → unblock → run cycles, a few a second per
//   goroutine), so a busy goroutine's lane keeps its shape without an event per wait;
// - values (send, recv, WaitGroup): a run-wide budget a second; over it, only the latest value of each channel or
//   WaitGroup per batch is sent, so occupancy and counters still end each batch at their true value;
// - a forwarder sends at most `maxEvents` (half the page's event store); past that only exits of goroutines with
//   a lane and the end of the run pass.
// What was left out is reported as running totals in a go.elided event, which views add to their counts.
import type { LabEvent } from '@core/protocol/events';
import type { GoroutineEvent, GoroutineInfo } from '@core/protocol/events/goroutine';
import { GoroutineEventBudget } from '@core/budget/goroutineEventBudget';
import { refill } from '@core/budget/rateBudget';

export interface ForwarderOptions {
  /** The demo id the run's events are published under (the bridge session's, or a local one). */
  demo: string;
  /** Receives each batch, oldest event first. */
  post(events: LabEvent[]): void;
  maxLanes?: number;
  maxEvents?: number;
  /** Block cycles a second per goroutine (the lab server's budget). */
  cyclesPerSecond?: number;
  /** send/recv/wg/select/lock events a second, for the whole run. */
  valuesPerSecond?: number;
  /** Batches are posted at most this often. */
  flushMs?: number;
  /** Monotonic milliseconds (budgets). */
  now?: () => number;
  /** Wall-clock milliseconds since the epoch (the events' t, as the bus stamps it). */
  wallClock?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export const FORWARDER_DEFAULTS = {
  maxLanes: 1000,
  maxEvents: 40_000,
  cyclesPerSecond: 20,
  valuesPerSecond: 2000,
  flushMs: 33,
} as const;

type ValueEvent = Extract<GoroutineEvent, { kind: 'go.send' | 'go.recv' | 'go.wg' }>;

/** A batch never grows past this before it is posted, whatever the timer. */
const MAX_BATCH = 4096;

/** A demo id for a run that has no bridge session (the bridge is down): stable for the run, unique per run. */
export function localRunDemo(): string {
  const bytes = new Uint8Array(3);
  crypto.getRandomValues(bytes);
  return `snippet-local-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export class RunEventForwarder {
  private readonly demo: string;
  private readonly postBatch: (events: LabEvent[]) => void;
  private readonly maxLanes: number;
  private readonly maxEvents: number;
  private readonly valuesPerSecond: number;
  private readonly flushMs: number;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly cyclesPerSecond: number;
  private cycles: GoroutineEventBudget;

  private batch: LabEvent[] = [];
  /** Latest value event left out per channel or WaitGroup since the last batch (entries reused: no allocation). */
  private readonly latestValue = new Map<number, { e: GoroutineEvent; t: number }>();
  private timer: unknown = null;
  private seq = 0;
  private lanes = 0;
  /** Goroutine ids grow by one per spawn: from this id on, goroutines have no lane. */
  private firstElided = Infinity;
  private valueTokens: number;
  private valueRefilled: number;
  private ended = false;

  /** Events posted so far. */
  sent = 0;
  /** Exact totals of what the current run left out (reported in go.elided). */
  readonly elided = { goroutines: 0, alive: 0, events: 0, leaks: 0 };
  private reported = '';

  constructor(options: ForwarderOptions) {
    this.demo = options.demo;
    this.postBatch = options.post;
    this.maxLanes = options.maxLanes ?? FORWARDER_DEFAULTS.maxLanes;
    this.maxEvents = options.maxEvents ?? FORWARDER_DEFAULTS.maxEvents;
    this.valuesPerSecond = options.valuesPerSecond ?? FORWARDER_DEFAULTS.valuesPerSecond;
    this.flushMs = options.flushMs ?? FORWARDER_DEFAULTS.flushMs;
    this.now = options.now ?? (() => performance.now());
    this.wallClock = options.wallClock ?? (() => performance.timeOrigin + performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.cyclesPerSecond = options.cyclesPerSecond ?? FORWARDER_DEFAULTS.cyclesPerSecond;
    this.cycles = new GoroutineEventBudget(this.cyclesPerSecond, this.now);
    this.valueTokens = this.valuesPerSecond;
    this.valueRefilled = this.now();
  }

  /** The runtime listener: called synchronously for every state change, so it only decides and queues. */
  readonly push = (e: GoroutineEvent): void => {
    if (this.admit(e)) this.queue(e);
    else this.elided.events++;
  };

  /** Posts what is queued (and the elided totals, when they changed). Called by the timer and at the end of a run. */
  flush(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    if (this.latestValue.size > 0) {
      for (const { e, t } of this.latestValue.values()) {
        // Counted as left out when held back; sent after all, unless the run is past its cap.
        if (!this.full) {
          this.batch.push(this.stamp(e, t));
          this.elided.events--;
        }
      }
      this.latestValue.clear();
      // Stable: events of one goroutine keep their order; held-back values go back to their place in time.
      this.batch.sort((a, b) => a.t - b.t);
    }
    const totals = `${this.elided.goroutines},${this.elided.alive},${this.elided.events},${this.elided.leaks}`;
    if (totals !== this.reported && totals !== '0,0,0,0') {
      this.reported = totals;
      const { goroutines, alive, events, leaks } = this.elided;
      this.batch.push(this.stamp({ kind: 'go.elided', source: 'observed', goroutines, alive, events, leaks }));
    }
    if (this.batch.length === 0) return;
    const out = this.batch;
    // Numbered in the order they are posted, as the bus numbers what it publishes.
    for (const e of out) e.seq = ++this.seq;
    this.batch = [];
    this.sent += out.length;
    this.postBatch(out);
  }

  private get full(): boolean {
    return this.sent + this.batch.length >= this.maxEvents;
  }

  private admit(e: GoroutineEvent): boolean {
    switch (e.kind) {
      case 'go.runStart':
        // A check run starts a runtime per check: each is a run of its own (goroutine ids start again at 1).
        this.flush();
        this.startRun();
        return true;
      case 'go.runEnd':
      case 'go.panic':
      case 'go.deadlock':
      case 'go.leak':
        return true;
      case 'go.spawn':
        if (e.gid < this.firstElided && this.lanes < this.maxLanes && !this.full) {
          this.lanes++;
          this.cycles.admit(e);
          return true;
        }
        if (this.firstElided === Infinity) this.firstElided = e.gid;
        this.elided.goroutines++;
        this.elided.alive++;
        return false;
      case 'go.exit':
        if (e.gid >= this.firstElided) {
          this.elided.alive--;
          return false;
        }
        // A lane must end, even past the event cap (at most one exit per lane).
        this.cycles.admit(e);
        return true;
      case 'go.run':
      case 'go.block':
      case 'go.unblock':
        if (e.gid >= this.firstElided) return false;
        // The budget sees every event of a lane, even past the cap, so the cycles it reports stay whole.
        return this.cycles.admit(e) && !this.full;
      case 'go.send':
      case 'go.recv':
      case 'go.wg':
        if (e.gid >= this.firstElided || this.full) return false;
        if (this.takeValueToken()) return true;
        this.holdBack(e);
        return false;
      case 'go.select':
      case 'go.selected':
      case 'go.lock':
      case 'go.unlock':
        return e.gid < this.firstElided && !this.full && this.takeValueToken();
      case 'go.close':
      case 'go.print':
        return e.gid < this.firstElided && !this.full;
      default:
        return !this.full;
    }
  }

  /** The latest value of each channel or WaitGroup is sent with the batch, so its counter ends the batch right. */
  private holdBack(e: ValueEvent): void {
    const id = e.kind === 'go.wg' ? e.wg : e.ch;
    const t = this.wallClock();
    const held = this.latestValue.get(id);
    if (held === undefined) this.latestValue.set(id, { e, t });
    else {
      held.e = e;
      held.t = t;
    }
  }

  private startRun(): void {
    this.lanes = 0;
    this.firstElided = Infinity;
    this.cycles = new GoroutineEventBudget(this.cyclesPerSecond, this.now);
    this.elided.goroutines = this.elided.alive = this.elided.events = this.elided.leaks = 0;
    this.reported = '';
    this.ended = false;
  }

  private takeValueToken(): boolean {
    const now = this.now();
    this.valueTokens = refill(this.valueTokens, this.valueRefilled, now, this.valuesPerSecond, this.valuesPerSecond);
    this.valueRefilled = now;
    if (this.valueTokens < 1) return false;
    this.valueTokens -= 1;
    return true;
  }

  private queue(e: GoroutineEvent): void {
    this.batch.push(this.stamp(this.trim(e)));
    if (e.kind === 'go.runEnd') this.ended = true;
    if (this.ended || this.batch.length >= MAX_BATCH) this.flush();
    else this.timer ??= this.setTimer(() => this.flush(), this.flushMs);
  }

  /** Dumps list only goroutines that have a lane; the leaks left out are counted. */
  private trim(e: GoroutineEvent): GoroutineEvent {
    if (this.firstElided === Infinity) return e;
    const drawn = (g: GoroutineInfo) => g.id < this.firstElided;
    if (e.kind === 'go.leak') {
      const leaks = e.leaks.filter(drawn);
      this.elided.leaks += e.leaks.length - leaks.length;
      return { ...e, leaks };
    }
    if (e.kind === 'go.deadlock') return { ...e, dump: e.dump.filter(drawn) };
    return e;
  }

  /** Stamped as the bus does; seq is set when the batch is posted. */
  private stamp(e: GoroutineEvent, t = this.wallClock()): LabEvent {
    return { ...e, seq: 0, t, demo: this.demo };
  }
}
