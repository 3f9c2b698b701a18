import { describe, expect, it } from 'vitest';
import type { Fault, FaultTrigger } from '../../../core/protocol/demos/faultProxy.js';
import { FaultPipe, type PipeAction, type PipeRule } from './faultPipe.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** What the actions do, in a form easy to compare: writes as text, times as given, events by action. */
function show(actions: PipeAction[]): string[] {
  return actions.map((a) => {
    if (a.type === 'write') return `write ${JSON.stringify(dec(a.bytes))} @${a.at}`;
    if (a.type === 'event') return `${a.fault} ${a.action}${a.bytes === undefined ? '' : ` ${a.bytes}`}`;
    return `${a.type} @${a.at}`;
  });
}

const writes = (actions: PipeAction[]) =>
  actions.filter((a): a is Extract<PipeAction, { type: 'write' }> => a.type === 'write');

let ids = 0;
const rule = (fault: Fault, trigger?: FaultTrigger): PipeRule => ({
  id: `r${++ids}`,
  fault,
  ...(trigger ? { trigger } : {}),
});

describe('FaultPipe', () => {
  it('passes bytes on at once when no fault is set', () => {
    const pipe = new FaultPipe();
    expect(show(pipe.push(enc('hi'), 100))).toEqual(['write "hi" @100']);
    expect(show(pipe.end(101))).toEqual(['end @101']);
  });

  it('delays by the latency, with jitter from the injected randomness, and never reorders', () => {
    let r = 1;
    const pipe = new FaultPipe(() => r);
    pipe.setRules([rule({ type: 'latency', ms: 100, jitterMs: 40 })], 0);
    expect(show(pipe.push(enc('a'), 0))).toEqual(['write "a" @140']);
    r = 0; // -40 ms of jitter: 10 + 60 = 70 would overtake "a"
    expect(show(pipe.push(enc('b'), 10))).toEqual(['write "b" @140']);
    expect(show(pipe.push(enc('c'), 200))).toEqual(['write "c" @260']);
    // The FIN comes after the bytes before it.
    expect(show(pipe.end(201))).toEqual(['end @260']);
  });

  it('caps the bandwidth: each piece goes when the bytes before it would have been sent', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'bandwidth', bytesPerSecond: 1000 })], 0);
    expect(show(pipe.push(new Uint8Array(100), 0)).map((s) => s.replace(/".*"/, 'x'))).toEqual([
      'write x @64',
      'write x @100',
    ]);
    expect(writes(pipe.push(new Uint8Array(50), 0)).at(-1)!.at).toBe(150);
    // After a quiet spell the cap starts from now, not from the past.
    expect(writes(pipe.push(new Uint8Array(10), 1000))[0]!.at).toBe(1010);
  });

  it('slices writes into small pieces, delayMs apart, keeping every byte', () => {
    const pipe = new FaultPipe(() => 0.5);
    pipe.setRules([rule({ type: 'slicer', averageBytes: 3, variationBytes: 1, delayMs: 10 })], 0);
    const out = writes(pipe.push(enc('hello world'), 5));
    expect(out.map((w) => dec(w.bytes)).join('')).toBe('hello world');
    expect(out.map((w) => w.at)).toEqual([5, 15, 25, 35]);
    expect(out.every((w) => w.bytes.length >= 2 && w.bytes.length <= 4)).toBe(true);
  });

  it('stalls: holds what it read and the FIN, says so, and lets go in order when the stall is lifted', () => {
    const pipe = new FaultPipe();
    const stall = rule({ type: 'stall' });
    expect(show(pipe.setRules([stall], 0))).toEqual(['stall started']);
    expect(pipe.stalled).toBe(true);
    expect(show(pipe.push(enc('one '), 1))).toEqual(['stall held 4']);
    expect(show(pipe.push(enc('two'), 2))).toEqual([]);
    expect(show(pipe.end(3))).toEqual([]);
    expect(pipe.heldBytes).toBe(7);
    expect(show(pipe.setRules([], 50))).toEqual(['stall ended', 'write "one " @50', 'write "two" @50', 'end @50']);
    expect(pipe.stalled).toBe(false);
    expect(pipe.heldBytes).toBe(0);
  });

  it('starts a fault exactly where its trigger fires: the bytes before it pass', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'stall' }, { afterBytes: 3 })], 0);
    expect(show(pipe.push(enc('abcdef'), 1))).toEqual(['write "abc" @1', 'stall started', 'stall held 3']);
  });

  it('resets on the n-th message: earlier messages pass, the reset comes after them', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'reset_peer', afterMs: 0 }, { onMessage: 2, delimiter: '\n' })], 0);
    expect(show(pipe.push(enc('first\n'), 1))).toEqual(['write "first\\n" @1']);
    expect(show(pipe.push(enc('second\nthird\n'), 2))).toEqual(['reset_peer started', 'reset @2', 'reset_peer reset']);
    expect(show(pipe.push(enc('more'), 3))).toEqual([]);
    expect(show(pipe.end(4))).toEqual([]);
  });

  it('resets afterMs after the fault starts', () => {
    const pipe = new FaultPipe();
    expect(show(pipe.setRules([rule({ type: 'reset_peer', afterMs: 500 })], 10))).toEqual([
      'reset_peer started',
      'reset @510',
      'reset_peer reset',
    ]);
  });

  it('blackholes: timeout drops bytes and the FIN; with ms it closes the connection then', () => {
    const hole = new FaultPipe();
    hole.setRules([rule({ type: 'timeout', ms: 0 })], 0);
    expect(show(hole.push(enc('hello'), 1))).toEqual(['timeout dropped 5']);
    expect(show(hole.push(enc('again'), 2))).toEqual([]);
    expect(show(hole.end(3))).toEqual([]);
    const timed = new FaultPipe();
    expect(show(timed.setRules([rule({ type: 'timeout', ms: 250 })], 100))).toEqual(['timeout started', 'close @350']);
  });

  it('limit_data passes N bytes, then closes; later bytes go nowhere', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'limit_data', bytes: 8 })], 0);
    expect(show(pipe.push(enc('hello '), 1))).toEqual(['write "hello " @1']);
    expect(show(pipe.push(enc('world'), 2))).toEqual(['write "wo" @2', 'limit_data closed', 'close @2']);
    expect(show(pipe.push(enc('!'), 3))).toEqual([]);
    const none = new FaultPipe();
    expect(show(none.setRules([rule({ type: 'limit_data', bytes: 0 })], 5))).toEqual([
      'limit_data started',
      'limit_data closed',
      'close @5',
    ]);
  });

  it('half-closes this direction: FIN onward, later bytes dropped', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'half_close' }, { pattern: 'BYE' })], 0);
    expect(show(pipe.push(enc('hi BYE tail'), 7))).toEqual([
      'write "hi BYE" @7',
      'half_close started',
      'end @7',
      'half_close half-closed',
    ]);
    expect(show(pipe.end(8))).toEqual([]);
  });

  it('passes the FIN late under slow_close', () => {
    const pipe = new FaultPipe();
    pipe.setRules([rule({ type: 'slow_close', delayMs: 300 })], 0);
    expect(show(pipe.push(enc('x'), 1))).toEqual(['write "x" @1']);
    expect(show(pipe.end(2))).toEqual(['slow_close fin-delayed', 'end @302']);
  });

  it('ends removed rules and keeps the ones still set', () => {
    const pipe = new FaultPipe();
    const a = rule({ type: 'latency', ms: 10, jitterMs: 0 });
    const b = rule({ type: 'latency', ms: 20, jitterMs: 0 });
    pipe.setRules([a, b], 0);
    expect(writes(pipe.push(enc('x'), 0))[0]!.at).toBe(30);
    expect(show(pipe.setRules([b], 100))).toEqual(['latency ended']);
    expect(writes(pipe.push(enc('y'), 100))[0]!.at).toBe(120);
  });
});
