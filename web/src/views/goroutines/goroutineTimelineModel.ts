// The goroutine timeline's model: an incremental, columnar record of a run's goroutine events (state changes per
// lane, channel hand-offs, buffered-channel occupancy, WaitGroup counters), built to answer "what was visible
// between t0 and t1" quickly for a million events and ten thousand goroutines. Pure: no DOM.
import type { LabEvent } from '@core/protocol/events';
import type { GoRunEvent, SampledGoroutine } from '@core/protocol/events/goRun';
import { WAIT_REASONS } from '@core/protocol/events/goroutine';
import type {
  ChanValue,
  GoroutineEvent,
  GoroutineInfo,
  RunStatus,
  SyncObjectKind,
  WaitReason,
} from '@core/protocol/events/goroutine';

/** Lane states: how a goroutine spends its time. Blocked states are grouped by what they wait for. */
export const LaneState = {
  Runnable: 0,
  Running: 1,
  ChanRecv: 2,
  ChanSend: 3,
  Select: 4,
  Sync: 5,
  WaitGroup: 6,
  Sleep: 7,
  Io: 8,
  Forever: 9,
  Dead: 10,
} as const;
export type LaneState = (typeof LaneState)[keyof typeof LaneState];

export const LANE_STATE_COUNT = 11;

/** Legend order, with the key of each state's CSS colour and text. */
export const LANE_STATES: readonly { state: LaneState; key: string }[] = [
  { state: LaneState.Running, key: 'running' },
  { state: LaneState.Runnable, key: 'runnable' },
  { state: LaneState.ChanRecv, key: 'chanRecv' },
  { state: LaneState.ChanSend, key: 'chanSend' },
  { state: LaneState.Select, key: 'select' },
  { state: LaneState.Sync, key: 'sync' },
  { state: LaneState.WaitGroup, key: 'waitGroup' },
  { state: LaneState.Sleep, key: 'sleep' },
  { state: LaneState.Io, key: 'io' },
  { state: LaneState.Forever, key: 'forever' },
];

export function stateOfReason(reason: WaitReason): LaneState {
  switch (reason) {
    case 'chan receive':
      return LaneState.ChanRecv;
    case 'chan send':
      return LaneState.ChanSend;
    case 'select':
      return LaneState.Select;
    case 'sync.Mutex.Lock':
    case 'sync.RWMutex.Lock':
    case 'sync.RWMutex.RLock':
    case 'sync.Once.Do':
      return LaneState.Sync;
    case 'sync.WaitGroup.Wait':
      return LaneState.WaitGroup;
    case 'sleep':
      return LaneState.Sleep;
    case 'IO wait':
      return LaneState.Io;
    case 'chan receive (nil chan)':
    case 'chan send (nil chan)':
    case 'select (no cases)':
      return LaneState.Forever;
  }
}

/** The lane state of a goroutine as a real Go program's dump printed it (a sample, not a transition). */
export function stateOfSampled(g: SampledGoroutine): LaneState {
  switch (g.state) {
    case 'running':
      return LaneState.Running;
    case 'runnable':
      return LaneState.Runnable;
    case 'dead':
      return LaneState.Dead;
    case 'syscall':
      return LaneState.Io;
    default:
      break;
  }
  const reason = g.waitReason ?? '';
  if ((WAIT_REASON_SET as ReadonlySet<string>).has(reason)) return stateOfReason(reason as WaitReason);
  if (reason.startsWith('chan receive')) return LaneState.ChanRecv;
  if (reason.startsWith('chan send')) return LaneState.ChanSend;
  if (reason.startsWith('select')) return LaneState.Select;
  if (reason === 'sleep' || reason === 'timer goroutine (idle)') return LaneState.Sleep;
  if (reason === 'IO wait' || reason === 'syscall') return LaneState.Io;
  if (reason.includes('WaitGroup')) return LaneState.WaitGroup;
  // semacquire, sync.Mutex.Lock, sync.Cond.Wait and the like: waiting on a lock.
  return LaneState.Sync;
}

const WAIT_REASON_SET: ReadonlySet<WaitReason> = new Set(WAIT_REASONS);

/** A growable column of numbers. */
class Column<A extends Float64Array | Int32Array | Uint8Array> {
  data: A;
  n = 0;
  constructor(private readonly make: (size: number) => A) {
    this.data = make(16);
  }
  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }
}
const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);
const u8 = (n: number) => new Uint8Array(n);

/** One goroutine's lane: its state changes in time order. */
export class Lane {
  readonly times = new Column(f64);
  readonly states = new Column(u8);
  /** The first object each blocking state waits on (0: none), parallel to states. */
  readonly waitOn = new Column(i32);
  state: LaneState = LaneState.Runnable;
  /** As the runtime named it; a real Go program's samples may name reasons the lab's runtime has not (semacquire). */
  waitReason: WaitReason | string | null = null;
  waitIds: readonly number[] = [];
  exitT = NaN;
  /** Position in spawn order (the lane's row). */
  readonly row: number;

  constructor(
    readonly gid: number,
    readonly fn: string,
    readonly parent: number,
    readonly spawnT: number,
    row: number,
    readonly site: string | undefined,
  ) {
    this.row = row;
  }

  get transitions(): number {
    return this.times.n;
  }

  /** Index of the last state change at or before t (-1 if none). */
  indexAt(t: number): number {
    const times = this.times.data;
    let lo = 0;
    let hi = this.times.n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

/** A value handed from one goroutine to another through a channel. */
export class Handoffs {
  readonly t = new Column(f64);
  readonly from = new Column(i32);
  readonly to = new Column(i32);
  readonly ch = new Column(i32);
  /** The values handed over, formatted only when an arrow is drawn. */
  readonly values: ChanValue[] = [];

  get count(): number {
    return this.t.n;
  }

  push(t: number, from: number, to: number, ch: number, value: ChanValue): void {
    this.t.push(t);
    this.from.push(from);
    this.to.push(to);
    this.ch.push(ch);
    this.values.push(value);
  }

  /** First index with time ≥ t. */
  lowerBound(t: number): number {
    return lowerBound(this.t.data, this.t.n, t);
  }
}

/** A step series: a value (channel length, WaitGroup counter) over time. */
export class StepSeries {
  readonly t = new Column(f64);
  readonly v = new Column(i32);
  max = 0;
  constructor(
    readonly id: number,
    readonly kind: SyncObjectKind,
    readonly name: string | undefined,
    readonly cap: number,
  ) {}
  push(t: number, v: number): void {
    if (this.v.n > 0 && this.v.data[this.v.n - 1] === v) return;
    this.t.push(t);
    this.v.push(v);
    if (v > this.max) this.max = v;
  }
  valueAt(t: number): number {
    const i = lowerBound(this.t.data, this.t.n, t + 1e-9) - 1;
    return i >= 0 ? this.v.data[i] : 0;
  }
}

export function lowerBound(a: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every CHECKPOINT transitions, the count of goroutines in each state, for the summary band. */
const CHECKPOINT = 64;

/** How many goroutines are in each state over time: a log of every transition, with periodic snapshots. */
export class StateCounts {
  readonly t = new Column(f64);
  readonly from = new Column(u8);
  readonly to = new Column(u8);
  readonly now = new Int32Array(LANE_STATE_COUNT);
  private readonly checkpoints = new Column(i32);

  record(t: number, from: LaneState | -1, to: LaneState): void {
    if (this.t.n % CHECKPOINT === 0) for (let s = 0; s < LANE_STATE_COUNT; s++) this.checkpoints.push(this.now[s]);
    this.t.push(t);
    this.from.push(from === -1 ? 255 : from);
    this.to.push(to);
    if (from !== -1) this.now[from]--;
    this.now[to]++;
  }

  /** Fills `out` with the counts per state just after time t. */
  countsAt(t: number, out: Int32Array): void {
    const end = lowerBound(this.t.data, this.t.n, t + 1e-9);
    const k = Math.floor(end / CHECKPOINT);
    const base = k * LANE_STATE_COUNT;
    if (base >= this.checkpoints.n) {
      out.set(this.now);
      return;
    }
    for (let s = 0; s < LANE_STATE_COUNT; s++) out[s] = this.checkpoints.data[base + s];
    const from = this.from.data;
    const to = this.to.data;
    for (let i = k * CHECKPOINT; i < end; i++) {
      if (from[i] !== 255) out[from[i]]--;
      out[to[i]]++;
    }
  }
}

/** Totals a bounded forwarder left out of a run (see go.elided). */
export interface Elided {
  goroutines: number;
  alive: number;
  events: number;
  leaks: number;
}
const NO_ELIDED: Elided = Object.freeze({ goroutines: 0, alive: 0, events: 0, leaks: 0 });

export interface ObjectInfo {
  id: number;
  kind: SyncObjectKind;
  name?: string;
  cap?: number;
}

/** A marker on a lane: a close, a panic. */
export interface LaneMarker {
  t: number;
  gid: number;
  kind: 'close' | 'panic';
  label: string;
}

export class TimelineModel {
  /** Lanes by goroutine id, and in spawn order. */
  readonly byGid = new Map<number, Lane>();
  readonly lanes: Lane[] = [];
  handoffs = new Handoffs();
  readonly objects = new Map<number, ObjectInfo>();
  /** Occupancy of each buffered channel. */
  readonly occupancy = new Map<number, StepSeries>();
  readonly waitGroups = new Map<number, StepSeries>();
  counts = new StateCounts();
  readonly markers: LaneMarker[] = [];
  /** Time of the run's first and latest event (ms, the bus's clock). */
  t0 = NaN;
  tEnd = NaN;
  status: RunStatus | 'running' | 'none' = 'none';
  endMessage = '';
  seed: number | null = null;
  deadlock: GoroutineInfo[] | null = null;
  leaks: GoroutineInfo[] = [];
  events = 0;
  /** What the run's forwarder left out (a student's run in the snippet worker): views add it to their counts. */
  elided = NO_ELIDED;
  /** The demo whose run this is (set by timelineFold). */
  demo: string | null = null;
  /**
   * 'observed': every transition of the lab's runtime; 'sampled': a real Go program's goroutines as its dumps
   * showed them at sample times (a state between two samples is not seen).
   */
  source: 'observed' | 'sampled' = 'observed';
  /** Bumped on every change: views compare it to know whether to redraw. */
  version = 0;

  get live(): number {
    return this.lanes.length - this.counts.now[LaneState.Dead];
  }

  /** The goroutine's lane; one joined mid-run (its spawn was before the events we have) gets a lane now. */
  private lane(gid: number, t: number): Lane | undefined {
    const lane = this.byGid.get(gid);
    if (lane !== undefined || gid <= 0) return lane;
    const late = new Lane(gid, '?', 0, t, this.lanes.length, undefined);
    this.byGid.set(gid, late);
    this.lanes.push(late);
    this.move(late, t, LaneState.Running);
    return late;
  }

  private move(lane: Lane, t: number, to: LaneState, on = 0): void {
    const from = lane.state;
    const first = lane.transitions === 0;
    if (from === to && !first) return;
    lane.times.push(t);
    lane.states.push(to);
    lane.waitOn.push(on);
    this.counts.record(t, first ? -1 : from, to);
    lane.state = to;
  }

  step(e: GoroutineEvent, t: number): void {
    if (e.kind === 'go.runStart') {
      this.reset();
      this.status = 'running';
      this.seed = e.seed;
      this.t0 = this.tEnd = t;
      this.version++;
      return;
    }
    if (e.kind === 'go.elided') {
      this.elided = { goroutines: e.goroutines, alive: e.alive, events: e.events, leaks: e.leaks };
      this.version++;
      return;
    }
    if (Number.isNaN(this.t0)) {
      // Joined mid-run (the page opened late): the timeline starts at the first event seen.
      this.t0 = t;
      this.status = 'running';
    }
    if (t > this.tEnd || Number.isNaN(this.tEnd)) this.tEnd = t;
    this.events++;
    this.version++;
    switch (e.kind) {
      case 'go.spawn': {
        if (this.byGid.has(e.gid)) return;
        const lane = new Lane(e.gid, e.fn, e.parent, t, this.lanes.length, e.site);
        this.byGid.set(e.gid, lane);
        this.lanes.push(lane);
        this.move(lane, t, LaneState.Runnable);
        return;
      }
      case 'go.run': {
        const lane = this.lane(e.gid, t);
        if (lane) {
          lane.waitReason = null;
          lane.waitIds = [];
          this.move(lane, t, LaneState.Running);
        }
        return;
      }
      case 'go.block': {
        const lane = this.lane(e.gid, t);
        if (lane) {
          lane.waitReason = e.reason;
          lane.waitIds = e.on;
          this.move(lane, t, stateOfReason(e.reason), e.on[0] ?? 0);
        }
        return;
      }
      case 'go.unblock': {
        const lane = this.lane(e.gid, t);
        if (lane) {
          lane.waitReason = null;
          lane.waitIds = [];
          this.move(lane, t, LaneState.Runnable);
        }
        return;
      }
      case 'go.exit': {
        const lane = this.byGid.get(e.gid);
        if (lane) {
          lane.exitT = t;
          lane.waitReason = null;
          this.move(lane, t, LaneState.Dead);
        }
        return;
      }
      case 'go.object':
        this.objects.set(e.id, { id: e.id, kind: e.type, name: e.name, cap: e.cap });
        if (e.type === 'chan' && (e.cap ?? 0) > 0)
          this.occupancy.set(e.id, new StepSeries(e.id, 'chan', e.name, e.cap ?? 0));
        if (e.type === 'waitgroup') this.waitGroups.set(e.id, new StepSeries(e.id, 'waitgroup', e.name, 0));
        return;
      case 'go.send':
        if (e.to !== undefined) this.handoffs.push(t, e.gid, e.to, e.ch, e.value);
        this.occupancy.get(e.ch)?.push(t, e.len);
        return;
      case 'go.recv':
        if (e.from !== undefined) this.handoffs.push(t, e.from, e.gid, e.ch, e.value);
        this.occupancy.get(e.ch)?.push(t, e.len);
        return;
      case 'go.close':
        this.markers.push({ t, gid: e.gid, kind: 'close', label: this.objectLabel(e.ch) });
        return;
      case 'go.wg': {
        let series = this.waitGroups.get(e.wg);
        if (!series) {
          series = new StepSeries(e.wg, 'waitgroup', undefined, 0);
          this.waitGroups.set(e.wg, series);
        }
        series.push(t, e.counter);
        return;
      }
      case 'go.panic':
        this.markers.push({ t, gid: e.gid, kind: 'panic', label: e.message });
        return;
      case 'go.deadlock':
        this.deadlock = e.dump;
        return;
      case 'go.leak':
        this.leaks = e.leaks;
        return;
      case 'go.runEnd':
        this.status = e.status;
        this.endMessage = e.message ?? '';
        return;
      default:
        return;
    }
  }

  /** A real Go program's run (server/gorun): its start, goroutine samples, crash and end. */
  stepSampled(e: GoRunEvent, t: number): void {
    if (e.kind === 'gorun.start') {
      this.reset();
      this.source = 'sampled';
      this.status = 'running';
      this.t0 = this.tEnd = t;
      this.version++;
      return;
    }
    if (e.kind !== 'gorun.goroutines' && e.kind !== 'gorun.crash' && e.kind !== 'gorun.end') return;
    if (Number.isNaN(this.t0)) {
      this.t0 = t;
      this.status = 'running';
    }
    this.source = 'sampled';
    if (t > this.tEnd || Number.isNaN(this.tEnd)) this.tEnd = t;
    this.events++;
    this.version++;
    switch (e.kind) {
      case 'gorun.goroutines':
        // A dump cut to its first goroutines says nothing about the rest: only a whole one shows who exited.
        this.applySample(e.goroutines, t, e.goroutines.length >= e.total);
        return;
      case 'gorun.crash':
        this.applySample(e.goroutines, t, false);
        this.status = e.crash;
        this.endMessage = e.message;
        if (e.crash === 'deadlock') this.deadlock = e.goroutines.map(sampledInfo);
        return;
      case 'gorun.end':
        if (this.status === 'running')
          this.status =
            e.status === 'exited'
              ? 'ok'
              : e.status === 'panic' || e.status === 'deadlock' || e.status === 'fatal'
                ? e.status
                : 'stopped';
        return;
    }
  }

  private applySample(goroutines: readonly SampledGoroutine[], t: number, whole: boolean): void {
    const seen = new Set<number>();
    for (const g of goroutines) {
      seen.add(g.id);
      let lane = this.byGid.get(g.id);
      if (!lane) {
        const site = g.createdBy ? `${g.createdBy.fn} ${g.createdBy.file}:${g.createdBy.line}` : undefined;
        lane = new Lane(g.id, g.fn, g.createdBy?.goroutine ?? 0, t, this.lanes.length, site);
        this.byGid.set(g.id, lane);
        this.lanes.push(lane);
      }
      lane.waitReason = g.state === 'waiting' ? (g.waitReason ?? null) : null;
      this.move(lane, t, stateOfSampled(g));
    }
    if (!whole) return;
    for (const lane of this.lanes) {
      if (seen.has(lane.gid) || lane.state === LaneState.Dead) continue;
      lane.exitT = t;
      lane.waitReason = null;
      this.move(lane, t, LaneState.Dead);
    }
  }

  /** A channel or other object as the views name it: `jobs (chan 3)`. */
  objectLabel(id: number): string {
    const o = this.objects.get(id);
    if (!o) return `#${id}`;
    return o.name ? `${o.name} (${o.kind} ${id})` : `${o.kind} ${id}`;
  }

  private reset(): void {
    this.byGid.clear();
    this.lanes.length = 0;
    this.objects.clear();
    this.occupancy.clear();
    this.waitGroups.clear();
    this.markers.length = 0;
    this.handoffs = new Handoffs();
    this.counts = new StateCounts();
    this.t0 = NaN;
    this.tEnd = NaN;
    this.deadlock = null;
    this.leaks = [];
    this.events = 0;
    this.elided = NO_ELIDED;
    this.endMessage = '';
    this.source = 'observed';
  }
}

/** A sampled goroutine as a dump row (deadlock report): the reasons the lab's runtime knows keep their type. */
function sampledInfo(g: SampledGoroutine): GoroutineInfo {
  const info: GoroutineInfo = {
    id: g.id,
    fn: g.fn,
    state: g.state === 'running' || g.state === 'runnable' ? g.state : 'waiting',
    parent: g.createdBy?.goroutine ?? 0,
  };
  if (g.waitReason && (WAIT_REASON_SET as ReadonlySet<string>).has(g.waitReason))
    info.waitReason = g.waitReason as WaitReason;
  if (g.minutesBlocked !== undefined) info.waitingMs = g.minutesBlocked * 60_000;
  if (g.createdBy) {
    info.parentFn = g.createdBy.fn;
    info.site = `${g.createdBy.file}:${g.createdBy.line}`;
  }
  return info;
}

function isSampledRunEvent(e: LabEvent): e is LabEvent & GoRunEvent {
  return (
    e.kind === 'gorun.start' || e.kind === 'gorun.goroutines' || e.kind === 'gorun.crash' || e.kind === 'gorun.end'
  );
}

export function isGoroutineEvent(e: LabEvent): e is LabEvent & GoroutineEvent {
  return e.kind.startsWith('go.');
}

/**
 * The fold a view uses: the goroutine events of the latest run among these demos (all demos when null). A run
 * starting in one of them (go.runStart, or gorun.start for a real Go program's samples) takes the timeline over;
 * events of other demos are ignored meanwhile.
 */
export function timelineFold(demos: readonly string[] | null) {
  let active: string | null = null;
  return {
    init: () => {
      active = null;
      return new TimelineModel();
    },
    step(model: TimelineModel, e: LabEvent): void {
      const sampled = isSampledRunEvent(e);
      if (!sampled && !isGoroutineEvent(e)) return;
      if (demos !== null && !demos.includes(e.demo)) return;
      if (e.kind === 'go.runStart' || e.kind === 'gorun.start') active = e.demo;
      else if (active === null) active = e.demo;
      if (e.demo !== active) return;
      model.demo = active;
      if (sampled) model.stepSampled(e, e.t);
      else model.step(e as LabEvent & GoroutineEvent, e.t);
    },
  };
}
