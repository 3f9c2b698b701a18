// The instrumentation hook: every state change becomes one event with source 'observed', attributed to the right
// goroutine (also through async helper functions), replayable from the seed, and silent without a listener.
import { describe, expect, it } from 'vitest';
import type { GoroutineEvent } from '../protocol/events/goroutine.js';
import {
  chan,
  createRuntime,
  go,
  IoOp,
  Mutex,
  recvCase,
  select,
  sendCase,
  time,
  WaitGroup,
  type Chan,
  type Runtime,
} from './index.js';

/** An I/O wait of the calling goroutine through the runtime's one API, its work started by `start`. */
function ioWaitOn<T>(rt: Runtime, start: (op: IoOp<T>) => void): Promise<T> {
  const op = new IoOp<T>();
  if (op.begin(rt)) start(op);
  return op.wait();
}

function record(seed = 1) {
  const events: GoroutineEvent[] = [];
  const rt = createRuntime({ seed, clock: 'virtual', onEvent: (e) => events.push(e) });
  return { rt, events };
}

describe('instrumentation', () => {
  it('an unbuffered hand-off: spawn, run, block, send to the waiting receiver, unblock, run, exit', async () => {
    const { rt, events } = record();
    await rt.run(async function main() {
      const ch = chan<string>(0, { name: 'greeting' });
      go(async function sender() {
        await ch.send('hi');
      });
      await ch.recv();
    });
    const brief = events.map((e) => {
      switch (e.kind) {
        case 'go.spawn':
          return `spawn ${e.gid} ${e.fn} by ${e.parent}`;
        case 'go.block':
          return `block ${e.gid} ${e.reason}`;
        case 'go.send':
          return `send ${e.gid} ${e.value} to ${e.to}`;
        case 'go.unblock':
          return `unblock ${e.gid} by ${e.by}`;
        case 'go.object':
          return `object ${e.type} ${e.name}`;
        default:
          return 'gid' in e ? `${e.kind.slice(3)} ${e.gid}` : e.kind.slice(3);
      }
    });
    // The sender finished too, but after main returned: as in Go, the run is over and nothing more is reported.
    expect(brief).toEqual([
      'runStart',
      'spawn 1 main by 0',
      'run 1',
      'object chan greeting',
      'spawn 2 sender by 1',
      'block 1 chan receive',
      'run 2',
      'send 2 "hi" to 1',
      'unblock 1 by 2',
      'run 1',
      'exit 1',
      'runEnd',
    ]);
    expect(events.every((e) => e.source === 'observed')).toBe(true);
  });

  it('covers every kind of state change', async () => {
    const { rt, events } = record();
    await rt.run(async function main() {
      const ch = chan<number>(1);
      const mu = new Mutex();
      const wg = new WaitGroup();
      wg.add(1);
      go(async () => {
        await mu.lock();
        mu.unlock();
        await ch.send(1);
        wg.done();
      });
      await wg.wait();
      await ch.recv();
      await select([recvCase(time.after(5)), sendCase(null, 0)]);
      ch.close();
      go(async () => chan<number>().recv()); // left blocked: a leak
      await time.sleep(1);
    });
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of [
      'go.runStart',
      'go.spawn',
      'go.run',
      'go.block',
      'go.unblock',
      'go.exit',
      'go.object',
      'go.send',
      'go.recv',
      'go.close',
      'go.select',
      'go.selected',
      'go.lock',
      'go.unlock',
      'go.wg',
      'go.leak',
      'go.runEnd',
    ]) {
      expect(kinds, k).toContain(k);
    }
    const deadlock = record();
    await deadlock.rt.run(async () => {
      await chan<number>().recv();
    });
    expect(deadlock.events.map((e) => e.kind)).toContain('go.deadlock');
    const panicking = record();
    await panicking.rt.run(async () => {
      chan<number>().close();
      chan<number>().close();
      throw new Error('boom');
    });
    expect(panicking.events.find((e) => e.kind === 'go.panic')).toMatchObject({ gid: 1, message: 'panic: boom' });
  });

  it('events form a valid state machine per goroutine', async () => {
    const { rt, events } = record(7);
    await rt.run(async function main() {
      const jobs = chan<number>(3);
      const results = chan<number>();
      const wg = new WaitGroup();
      for (let w = 0; w < 4; w++) {
        wg.add(1);
        go(async function worker() {
          for await (const j of jobs) {
            await time.sleep(j % 3);
            await results.send(j * j);
          }
          wg.done();
        });
      }
      go(async () => {
        for (let j = 0; j < 20; j++) await jobs.send(j);
        jobs.close();
      });
      go(async () => {
        await wg.wait();
        results.close();
      });
      let sum = 0;
      for await (const r of results) sum += r;
      expect(sum).toBe(2470);
    });
    const state = new Map<number, string>();
    for (const e of events) {
      if (!('gid' in e) || e.gid === 0) continue;
      const s = state.get(e.gid);
      switch (e.kind) {
        case 'go.spawn':
          expect(s).toBeUndefined();
          state.set(e.gid, 'runnable');
          break;
        case 'go.run':
          expect(s).toBe('runnable');
          state.set(e.gid, 'running');
          break;
        case 'go.block':
          expect(s).toBe('running');
          state.set(e.gid, 'waiting');
          break;
        case 'go.unblock':
          expect(s).toBe('waiting');
          state.set(e.gid, 'runnable');
          break;
        case 'go.exit':
          expect(s).toBe('running');
          state.set(e.gid, 'dead');
          break;
        default:
          // An operation completes on behalf of a goroutine that is running, or (for a parked sender whose value
          // moves into the buffer) one that is being woken.
          expect(s === 'running' || s === 'waiting').toBe(true);
      }
    }
    expect([...state.values()].every((s) => s === 'dead')).toBe(true);
  });

  it('attributes operations to the right goroutine through async helper functions', async () => {
    const { rt, events } = record(3);
    const gidOfWorker = new Map<number, number>();
    await rt.run(async function main() {
      const out = chan<number>(2);
      const tick = chan<number>();
      async function wait(ch: Chan<number>): Promise<number> {
        const [v] = await ch.recv();
        return v!;
      }
      async function produce(w: number, i: number): Promise<void> {
        await time.sleep((w * 7 + i * 3) % 5);
        await out.send(w * 1000 + i);
      }
      const wg = new WaitGroup();
      for (let w = 0; w < 5; w++) {
        wg.add(1);
        const gid = go(async () => {
          for (let i = 0; i < 20; i++) {
            await wait(tick); // resumes through a helper's return, not a runtime promise
            await produce(w, i);
          }
          wg.done();
        });
        gidOfWorker.set(w, gid);
      }
      go(async () => {
        for (let i = 0; i < 100; i++) await tick.send(i);
      });
      let n = 0;
      for (; n < 100; n++) await out.recv();
      await wg.wait();
    });
    const sends = events.filter(
      (e): e is Extract<GoroutineEvent, { kind: 'go.send' }> => e.kind === 'go.send' && e.ch !== 2,
    );
    const toOut = sends.filter(
      (e) => Number(e.value) >= 0 && events.some((o) => o.kind === 'go.object' && o.id === e.ch && o.cap === 2),
    );
    expect(toOut).toHaveLength(100);
    for (const e of toOut) expect(e.gid, `value ${e.value}`).toBe(gidOfWorker.get(Math.floor(Number(e.value) / 1000)));
  });

  it('replays: the same seed gives the same event stream', async () => {
    const program = async () => {
      const a = chan<number>(5);
      const b = chan<number>(5);
      const wg = new WaitGroup();
      for (let p = 0; p < 3; p++) {
        wg.add(1);
        go(async () => {
          for (let i = 0; i < 10; i++) await select([sendCase(a, p * 100 + i), sendCase(b, p * 100 + i)]);
          wg.done();
        });
      }
      go(async () => {
        await wg.wait();
        a.close();
        b.close();
      });
      let open = 2;
      while (open > 0) {
        const s = await select([recvCase(a), recvCase(b)]);
        if (!s.ok) open--;
        if (open === 1 && !s.ok) await (s.index === 0 ? b : a).recv().then(() => {});
        if (!s.ok) break;
      }
    };
    const strip = (es: GoroutineEvent[]) => es.map((e) => JSON.stringify({ ...e, site: undefined }));
    const one = record(11);
    await one.rt.run(program);
    const two = record(11);
    await two.rt.run(program);
    const other = record(12);
    await other.rt.run(program);
    expect(strip(two.events)).toEqual(strip(one.events));
    expect(strip(other.events)).not.toEqual(strip(one.events));
  });

  it('a listener can be attached and detached mid-run', async () => {
    const seen: string[] = [];
    const rt = createRuntime({ seed: 1, clock: 'virtual' });
    await rt.run(async () => {
      const ch = chan<number>(1);
      await ch.send(1);
      rt.setListener((e) => seen.push(e.kind));
      await ch.recv();
      rt.setListener(null);
      await ch.send(2);
    });
    expect(seen).toEqual(['go.recv']);
  });
  it("an I/O wait parks only when it would block, as Go's netpoller: ready at once, later, or failing at once", async () => {
    const { rt, events } = record();
    const seen: unknown[] = [];
    await rt.run(async function main() {
      // Bytes already there: start completes before it returns.
      seen.push(await ioWaitOn<string>(rt, (op) => op.complete('buffered')));
      // The continuation still runs as main: a goroutine it starts names main as its parent.
      go(async function child() {});
      // Nothing there yet: the goroutine parks until the host completes the wait.
      seen.push(await ioWaitOn<string>(rt, (op) => setTimeout(() => op.complete('arrived'), 5)));
      // A failure at once throws in the goroutine, without parking.
      try {
        await ioWaitOn<string>(rt, (op) => op.fail(new Error('connection reset')));
      } catch (err) {
        seen.push((err as Error).message);
      }
    });
    expect(seen).toEqual(['buffered', 'arrived', 'connection reset']);
    const blocks = events.filter((e) => e.kind === 'go.block');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({ gid: 1, reason: 'IO wait' });
    expect(events.filter((e) => e.kind === 'go.unblock')).toEqual([expect.objectContaining({ gid: 1, by: 0 })]);
    expect(events.find((e) => e.kind === 'go.spawn' && e.fn === 'child')).toMatchObject({ parent: 1 });
  });

  it('an I/O wait asked for after the run is over starts no work and never settles', async () => {
    const { rt } = record();
    await rt.run(async function main() {});
    rt.stop();
    let started = false;
    let settled = false;
    void ioWaitOn<string>(rt, (op) => {
      started = true;
      op.complete('late');
    }).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect([started, settled, rt.io]).toEqual([false, false, 0]);
  });

  it("samples wait cycles when asked: whole block → unblock → run cycles within each goroutine's budget and the total", async () => {
    let t = 0;
    const sampled = async (
      perGoroutine: number,
      total: number,
      workers: number,
      body: (waitOnce: () => Promise<void>) => Promise<void>,
    ) => {
      const events: GoroutineEvent[] = [];
      const rt = createRuntime({
        onEvent: (e) => events.push(e),
        sampleWaitCycles: { perGoroutine, total, now: () => t },
      });
      const waitOnce = () => ioWaitOn<void>(rt, (op) => setTimeout(() => op.complete(), 0));
      await rt.run(async function main() {
        const wg = new WaitGroup();
        wg.add(workers);
        for (let w = 0; w < workers; w++) {
          go(async function worker() {
            await body(waitOnce);
            wg.done();
          });
        }
        await wg.wait();
      });
      const workerIds = events.flatMap((e) => (e.kind === 'go.spawn' && e.fn === 'worker' ? [e.gid] : []));
      const cycles = workerIds.map((gid) =>
        events
          .filter((e) => 'gid' in e && e.gid === gid && /^go\.(block|unblock|run)$/.test(e.kind))
          .map((e) => e.kind.slice(3))
          .join(' '),
      );
      return { events, cycles, skipped: rt.sampler!.skipped };
    };

    // One goroutine, two cycles a second: five waits show two; 500 ms later one more token, so two more waits show one.
    const one = await sampled(2, 100, 1, async (waitOnce) => {
      for (let i = 0; i < 5; i++) await waitOnce();
      t = 500;
      for (let i = 0; i < 2; i++) await waitOnce();
    });
    expect(one.cycles).toEqual(['run block unblock run block unblock run block unblock run']);
    expect(one.skipped).toBe(4);
    // Everything else still shows: spawns, exits, the WaitGroup.
    expect(one.events.filter((e) => e.kind === 'go.exit')).toHaveLength(2);
    expect(one.events.some((e) => e.kind === 'go.wg')).toBe(true);

    // Three goroutines with tokens to spare, but two cycles in all: nine waits (and main's wg.wait) show two, never
    // half of one.
    t = 0;
    const three = await sampled(10, 2, 3, async (waitOnce) => {
      for (let i = 0; i < 3; i++) await waitOnce();
    });
    expect(three.cycles.every((c) => /^run( block unblock run)*$/.test(c))).toBe(true);
    expect(three.cycles.join(' ').match(/block/g)).toHaveLength(2);
    expect(three.skipped).toBe(8);
  });
});
