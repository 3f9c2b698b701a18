// One direction of one proxied connection as a pure state machine: bytes and the source's FIN go in with the time
// they arrived; what to do with them comes out (write these bytes at time t, send FIN at t, reset, close, hold), plus
// the fault events to publish. Triggers (after N bytes, the n-th message, a byte pattern) split chunks exactly where
// a fault starts. The clock is the caller's (every call takes `now`), and so is the randomness (jitter, slice sizes).
import type { Fault, FaultTrigger, FaultType } from '../../../core/protocol/demos/faultProxy.js';
import type { FaultAction } from '../../../core/protocol/events/fault.js';
import { TriggerState } from './faultTrigger.js';

/** A rule as one direction of one connection sees it. */
export interface PipeRule {
  id: string;
  fault: Fault;
  trigger?: FaultTrigger;
}

export type PipeAction =
  | { type: 'write'; bytes: Uint8Array; at: number }
  /** FIN onward (this direction only). */
  | { type: 'end'; at: number }
  /** FIN both ways, then close (limit_data, timeout). */
  | { type: 'close'; at: number; rule: string }
  /** RST on both sockets. */
  | { type: 'reset'; at: number; rule: string }
  | { type: 'event'; rule: string; fault: FaultType; action: FaultAction; bytes?: number };

interface RuleState {
  rule: PipeRule;
  started: boolean;
  trigger: TriggerState | null;
  /** limit_data: bytes it still lets through. */
  allowance: number;
  /** timeout: whether its first dropped bytes were reported. */
  reportedDrop: boolean;
}

/** Largest piece the bandwidth cap hands on at once, so a slow cap trickles instead of pausing for a whole chunk. */
const MAX_BANDWIDTH_PIECE = 16 * 1024;
const MIN_BANDWIDTH_PIECE = 64;

export class FaultPipe {
  private readonly rules = new Map<string, RuleState>();
  /** Chunks a stall holds, in order; the shell stops reading while any stall is on, so this stays small. */
  private readonly held: Uint8Array[] = [];
  private heldEnd = false;
  /** After a half_close, limit_data's close or a reset: later bytes go nowhere. */
  private finished = false;
  /** When the last scheduled action happens: nothing is scheduled earlier (order is kept). */
  private lastAt = 0;
  private sliceFree = 0;
  private bandwidthFree = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** True while a stall is on: the shell must stop reading the source. */
  get stalled(): boolean {
    return this.active('stall').length > 0;
  }

  /** No rule set and nothing held: every byte would be written at once, unchanged. */
  get passesThrough(): boolean {
    return this.rules.size === 0 && !this.finished && this.held.length === 0;
  }

  get heldBytes(): number {
    return this.held.reduce((n, c) => n + c.length, 0);
  }

  /** Replaces the rules: new ones start (or wait for their trigger), removed ones end; a lifted stall lets go. */
  setRules(rules: readonly PipeRule[], now: number): PipeAction[] {
    const out: PipeAction[] = [];
    const wasStalled = this.stalled;
    const keep = new Set(rules.map((r) => r.id));
    for (const [id, s] of this.rules) {
      if (keep.has(id)) continue;
      this.rules.delete(id);
      if (s.started) out.push(event(s.rule, 'ended'));
    }
    for (const rule of rules) {
      if (this.rules.has(rule.id)) continue;
      const s: RuleState = {
        rule,
        started: false,
        trigger: rule.trigger ? new TriggerState(rule.trigger) : null,
        allowance: rule.fault.type === 'limit_data' ? rule.fault.bytes : 0,
        reportedDrop: false,
      };
      this.rules.set(rule.id, s);
      if (!s.trigger || s.trigger.firesAtOnce()) out.push(...this.start(s, now));
    }
    if (wasStalled && !this.stalled) out.push(...this.release(now));
    return out;
  }

  /** Bytes read from the source at `now`. */
  push(chunk: Uint8Array, now: number): PipeAction[] {
    const out: PipeAction[] = [];
    let rest = chunk;
    for (;;) {
      // Faults whose trigger fires before the next byte start now, then the bytes up to the next firing pass.
      for (const s of this.rules.values())
        if (!s.started && s.trigger && s.trigger.fireOffset(rest) === 0) out.push(...this.start(s, now));
      if (rest.length === 0) return out;
      let cut = rest.length;
      for (const s of this.rules.values()) {
        if (s.started || !s.trigger) continue;
        const at = s.trigger.fireOffset(rest);
        if (at !== null && at < cut) cut = at;
      }
      const head = rest.subarray(0, cut);
      for (const s of this.rules.values()) if (!s.started && s.trigger) s.trigger.advance(head);
      out.push(...this.forward(head, now));
      rest = rest.subarray(cut);
    }
  }

  /** The source sent FIN at `now`. */
  end(now: number): PipeAction[] {
    if (this.finished) return [];
    if (this.stalled) {
      this.heldEnd = true;
      return [];
    }
    if (this.active('timeout').length > 0) return []; // a blackhole passes nothing on, FIN included
    this.finished = true;
    const slow = this.active('slow_close');
    const delay = slow.reduce((d, s) => d + (s.rule.fault.type === 'slow_close' ? s.rule.fault.delayMs : 0), 0);
    const at = this.after(now + delay);
    return [...slow.map((s) => event(s.rule, 'fin-delayed')), { type: 'end', at }];
  }

  private active(type: FaultType): RuleState[] {
    const found: RuleState[] = [];
    for (const s of this.rules.values()) if (s.started && s.rule.fault.type === type) found.push(s);
    return found;
  }

  private start(s: RuleState, now: number): PipeAction[] {
    s.started = true;
    const out: PipeAction[] = [event(s.rule, 'started')];
    const f = s.rule.fault;
    if (this.finished) return out;
    switch (f.type) {
      case 'reset_peer':
        this.finished = true;
        out.push({ type: 'reset', at: this.after(now + f.afterMs), rule: s.rule.id }, event(s.rule, 'reset'));
        break;
      case 'half_close':
        this.finished = true;
        out.push({ type: 'end', at: this.after(now) }, event(s.rule, 'half-closed'));
        break;
      case 'timeout':
        if (f.ms > 0) out.push({ type: 'close', at: this.after(now + f.ms), rule: s.rule.id });
        break;
      case 'limit_data':
        if (s.allowance === 0) out.push(...this.closeForLimit(s, now));
        break;
      default:
        break;
    }
    return out;
  }

  private closeForLimit(s: RuleState, now: number): PipeAction[] {
    this.finished = true;
    return [event(s.rule, 'closed'), { type: 'close', at: this.after(now), rule: s.rule.id }];
  }

  /** Bytes past every trigger check: held, dropped, cut short or timed. */
  private forward(bytes: Uint8Array, now: number): PipeAction[] {
    if (this.finished) return [];
    const stalls = this.active('stall');
    if (stalls.length > 0) {
      const first = this.held.length === 0;
      this.held.push(bytes);
      return first ? stalls.map((s) => event(s.rule, 'held', bytes.length)) : [];
    }
    const timeouts = this.active('timeout');
    if (timeouts.length > 0) {
      const out: PipeAction[] = [];
      for (const s of timeouts) {
        if (!s.reportedDrop) out.push(event(s.rule, 'dropped', bytes.length));
        s.reportedDrop = true;
      }
      return out;
    }
    const out: PipeAction[] = [];
    let pass = bytes;
    let limit: RuleState | null = null;
    for (const s of this.active('limit_data')) {
      if (pass.length >= s.allowance) {
        pass = pass.subarray(0, s.allowance);
        limit = s;
      }
    }
    for (const s of this.active('limit_data')) s.allowance -= pass.length;
    if (pass.length > 0) out.push(...this.timed(pass, now));
    if (limit) out.push(...this.closeForLimit(limit, now));
    return out;
  }

  /** The timing faults in the order they were set: slicer, bandwidth and latency each move pieces later. */
  private timed(bytes: Uint8Array, now: number): PipeAction[] {
    let pieces: { bytes: Uint8Array; at: number }[] = [{ bytes, at: now }];
    for (const s of this.rules.values()) {
      if (!s.started) continue;
      const f = s.rule.fault;
      if (f.type === 'slicer') pieces = this.slice(pieces, f);
      else if (f.type === 'bandwidth') pieces = this.throttle(pieces, f.bytesPerSecond);
      else if (f.type === 'latency') pieces = pieces.map((p) => ({ bytes: p.bytes, at: this.delay(p.at, f) }));
    }
    return pieces.map((p) => ({ type: 'write', bytes: p.bytes, at: this.after(p.at) }));
  }

  private slice(
    pieces: { bytes: Uint8Array; at: number }[],
    f: Extract<Fault, { type: 'slicer' }>,
  ): { bytes: Uint8Array; at: number }[] {
    const out: { bytes: Uint8Array; at: number }[] = [];
    for (const p of pieces) {
      let at = Math.max(p.at, this.sliceFree);
      for (let i = 0; i < p.bytes.length;) {
        const size = Math.max(1, f.averageBytes + Math.round((this.random() * 2 - 1) * f.variationBytes));
        out.push({ bytes: p.bytes.subarray(i, i + size), at });
        i += size;
        at += f.delayMs;
      }
      this.sliceFree = at;
    }
    return out;
  }

  private throttle(pieces: { bytes: Uint8Array; at: number }[], rate: number): { bytes: Uint8Array; at: number }[] {
    const size = Math.min(MAX_BANDWIDTH_PIECE, Math.max(MIN_BANDWIDTH_PIECE, Math.floor(rate / 20)));
    const out: { bytes: Uint8Array; at: number }[] = [];
    for (const p of pieces) {
      for (let i = 0; i < p.bytes.length; i += size) {
        const piece = p.bytes.subarray(i, i + size);
        this.bandwidthFree = Math.max(p.at, this.bandwidthFree) + (piece.length * 1000) / rate;
        out.push({ bytes: piece, at: this.bandwidthFree });
      }
    }
    return out;
  }

  private delay(at: number, f: Extract<Fault, { type: 'latency' }>): number {
    const jitter = f.jitterMs === 0 ? 0 : (this.random() * 2 - 1) * f.jitterMs;
    return Math.max(at, at + f.ms + jitter);
  }

  /** The time for an action: never before one already scheduled, so bytes and FIN keep their order. */
  private after(at: number): number {
    this.lastAt = Math.max(this.lastAt, at);
    return this.lastAt;
  }

  /** A lifted stall: what it held goes on under the rules now in force, then a FIN that came meanwhile. */
  private release(now: number): PipeAction[] {
    const chunks = this.held.splice(0);
    const out: PipeAction[] = [];
    // Triggers already saw these bytes on the way in: they go straight to forwarding.
    for (const c of chunks) out.push(...this.forward(c, now));
    if (this.heldEnd) {
      this.heldEnd = false;
      out.push(...this.end(now));
    }
    return out;
  }
}

function event(rule: PipeRule, action: FaultAction, bytes?: number): PipeAction {
  return bytes === undefined
    ? { type: 'event', rule: rule.id, fault: rule.fault.type, action }
    : { type: 'event', rule: rule.id, fault: rule.fault.type, action, bytes };
}
