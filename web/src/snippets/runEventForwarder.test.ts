// The snippet worker's goroutine-event forwarder: stamping, batching and its bounds, fed by the real runtime, and
// what the timeline's model makes of the batches (lanes, hand-offs, counters that stay exact).
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { GoroutineEvent } from '@core/protocol/events/goroutine';
import { chan, createRuntime, go, time, WaitGroup } from '@core/runtime/index';
import { EventStore } from '../store/eventStore';
import { FoldCursor } from '../store/eventFold';
import { timelineFold, type TimelineModel } from '../views/goroutines/goroutineTimelineModel';
import { RunEventForwarder, type ForwarderOptions } from './runEventForwarder';
import { SnippetRunner } from './snippetRunner';

/** A forwarder on a hand-driven clock and timer: nothing refills or flushes unless the test says so. */
function harness(options: Partial<ForwarderOptions> = {}) {
  const batches: LabEvent[][] = [];
  const clock = { now: 0 };
  let pending: (() => void) | null = null;
  const fwd = new RunEventForwarder({
    demo: 'snippet-abc123',
    post: (events) => batches.push(events),
    now: () => clock.now,
    wallClock: () => 1_700_000_000_000 + clock.now,
    setTimer: (fn) => (pending = fn),
    clearTimer: () => (pending = null),
    ...options,
  });
  const fire = () => {
    const fn = pending;
    pending = null;
    fn?.();
  };
  return { fwd, batches, clock, fire, all: () => batches.flat(), hasTimer: () => pending !== null };
}

/** The timeline model a page would build from these events (the lab demo and the student's run). */
function foldOf(events: readonly LabEvent[], demos: string[] = ['goroutines', 'snippet-abc123']): TimelineModel {
  const store = new EventStore(100_000, () => {});
  store.append(events);
  const cursor = new FoldCursor(timelineFold(demos), store);
  cursor.catchUp();
  return cursor.state;
}

async function runWith(fwd: RunEventForwarder, main: () => Promise<void>, seed = 1) {
  const rt = createRuntime({ seed, clock: 'virtual', onEvent: fwd.push });
  const result = await rt.run(main);
  fwd.flush();
  return result;
}

const count = (events: readonly LabEvent[], kind: string) => events.filter((e) => e.kind === kind).length;

describe('RunEventForwarder', () => {
  it('stamps events like the bus (seq, t, demo) and posts them in batches when the timer fires', () => {
    const h = harness();
    h.fwd.push({ kind: 'go.runStart', source: 'observed', seed: 1, clock: 'real' });
    h.fwd.push({ kind: 'go.spawn', source: 'observed', gid: 1, parent: 0, fn: 'main' });
    expect(h.batches).toHaveLength(0);
    expect(h.hasTimer()).toBe(true);
    h.clock.now = 5;
    h.fwd.push({ kind: 'go.run', source: 'observed', gid: 1 });
    h.fire();
    expect(h.batches).toHaveLength(1);
    expect(h.batches[0].map((e) => [e.kind, e.seq, e.demo])).toEqual([
      ['go.runStart', 1, 'snippet-abc123'],
      ['go.spawn', 2, 'snippet-abc123'],
      ['go.run', 3, 'snippet-abc123'],
    ]);
    expect(h.batches[0][2].t - h.batches[0][0].t).toBe(5);
    expect(h.hasTimer()).toBe(false);
  });

  it('posts the end of a run at once, and a lesson-sized run arrives whole: lanes, hand-offs, status', async () => {
    const h = harness();
    await runWith(h.fwd, async function main() {
      const items = chan<number>(0, { name: 'items' });
      go(async function producer() {
        for (let i = 1; i <= 3; i++) await items.send(i);
        items.close();
      });
      for await (const v of items) void v;
    });
    const events = h.all();
    expect(events.at(-1)?.kind).toBe('go.runEnd');
    expect(count(events, 'go.elided')).toBe(0);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const model = foldOf(events);
    expect(model.demo).toBe('snippet-abc123');
    expect(model.status).toBe('ok');
    expect(model.lanes.map((l) => l.fn)).toEqual(['main', 'producer']);
    expect(model.handoffs.count).toBe(3);
  });

  it('a run with more goroutines than lanes: the first ones are drawn, the rest counted exactly', async () => {
    const h = harness({ maxLanes: 50 });
    await runWith(h.fwd, async function main() {
      const never = chan<number>(0, { name: 'never' });
      const done = chan<number>(0);
      for (let i = 0; i < 300; i++) go(async () => void (await done.recv()));
      for (let i = 0; i < 100; i++) await done.send(i);
      // 200 goroutines stay blocked: leaks; one more blocks on a channel nobody sends on.
      go(async () => void (await never.recv()));
    });
    const events = h.all();
    const model = foldOf(events);
    // main and 49 goroutines have lanes; 302 goroutines ran in all.
    expect(model.lanes).toHaveLength(50);
    expect(model.lanes.length + model.elided.goroutines).toBe(302);
    expect(model.live + model.elided.alive).toBe(201);
    expect(model.leaks.length + model.elided.leaks).toBe(201);
    expect(model.leaks.every((g) => g.id <= 50)).toBe(true);
    expect(count(events, 'go.spawn')).toBe(50);
    // Every event not sent is counted.
    expect(events.length - count(events, 'go.elided') + model.elided.events).toBeGreaterThan(302 * 3);
    expect(model.elided.events).toBeGreaterThan(0);
  });

  it('a busy goroutine reports whole block cycles within the budget, and counters end each batch exact', async () => {
    const h = harness({ valuesPerSecond: 100, cyclesPerSecond: 20 });
    await runWith(h.fwd, async function main() {
      const ping = chan<number>(0, { name: 'ping' });
      const queue = chan<number>(4, { name: 'queue' });
      const wg = new WaitGroup('wg');
      wg.add(1);
      go(async function echo() {
        for (let i = 0; i < 5000; i++) await ping.recv();
        for (let i = 0; i < 1001; i++) await queue.send(i);
        wg.done();
      });
      for (let i = 0; i < 5000; i++) await ping.send(i);
      for (let i = 0; i < 1001; i++) await queue.recv();
      await wg.wait();
    });
    const events = h.all();
    // The clock never moved: 20 cycles per goroutine and 100 values in all, plus the held-back latest values.
    expect(count(events, 'go.block')).toBeLessThanOrEqual(2 * 20);
    expect(count(events, 'go.send') + count(events, 'go.recv') + count(events, 'go.wg')).toBeLessThanOrEqual(100 + 3);
    expect(events.length).toBeLessThan(400);
    // Whole cycles: a reported block is followed by its goroutine's unblock and run.
    for (const gid of [1, 2]) {
      const mine = events
        .filter((e) => 'gid' in e && e.gid === gid && ['go.block', 'go.unblock', 'go.run'].includes(e.kind))
        .map((e) => e.kind);
      mine.forEach((k, i) => {
        if (k === 'go.block') expect(mine.slice(i + 1, i + 3)).toEqual(['go.unblock', 'go.run']);
      });
    }
    const model = foldOf(events);
    const queueSeries = [...model.occupancy.values()][0];
    expect(queueSeries.v.data[queueSeries.v.n - 1]).toBe(0);
    const wgSeries = [...model.waitGroups.values()][0];
    expect(wgSeries.v.data[wgSeries.v.n - 1]).toBe(0);
    expect(model.status).toBe('ok');
    // The timeline's counts include what was left out.
    const elided = events
      .filter((e): e is LabEvent & Extract<GoroutineEvent, { kind: 'go.elided' }> => e.kind === 'go.elided')
      .at(-1);
    expect(elided?.events).toBeGreaterThan(5000);
    // Batches stay in time order even with the held-back values put back.
    const ts = events.map((e) => e.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });

  it('stops at maxEvents but still ends every lane and the run', async () => {
    const h = harness({ maxEvents: 60 });
    await runWith(h.fwd, async function main() {
      const wg = new WaitGroup();
      for (let i = 0; i < 20; i++) {
        wg.add(1);
        go(async () => {
          await time.sleep(10);
          wg.done();
        });
      }
      await wg.wait();
    });
    const events = h.all();
    const model = foldOf(events);
    expect(events.length).toBeLessThanOrEqual(60 + model.lanes.length + 3);
    expect(model.status).toBe('ok');
    expect(model.live).toBe(0);
    expect(model.lanes.length + model.elided.goroutines).toBe(21);
  });

  it('each run of a check session starts its counts afresh', async () => {
    const h = harness({ maxLanes: 2 });
    const spawnThree = async function main() {
      for (let i = 0; i < 3; i++) go(async () => {});
      await time.sleep(1);
    };
    await runWith(h.fwd, spawnThree);
    await runWith(h.fwd, spawnThree);
    const model = foldOf(h.all());
    expect(model.lanes).toHaveLength(2);
    expect(model.elided.goroutines).toBe(2);
  });

  it("through the snippet runner: the student's run, with creation sites in the student's file", async () => {
    const h = harness();
    const runner = new SnippetRunner({ runtimeEvent: h.fwd.push });
    const outcome = await runner.run({
      mode: 'run',
      file: 'main.ts',
      source: `import { chan, go } from 'gonet';
export async function main() {
  const ch = chan<number>(0, { name: 'results' });
  go(async function worker() {
    await ch.send(42);
  });
  await ch.recv();
}`,
    });
    h.fwd.flush();
    expect(outcome.status).toBe('ok');
    const model = foldOf(h.all());
    expect(model.lanes.map((l) => l.fn)).toEqual(['main', 'worker']);
    expect(model.lanes[1].site).toBe('main.ts:4:3');
    expect(model.handoffs.count).toBe(1);
    expect(model.objectLabel(model.handoffs.ch.data[0])).toBe('results (chan 1)');
  });
});
