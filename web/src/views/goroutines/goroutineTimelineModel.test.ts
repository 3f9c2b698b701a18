// The timeline model folds real runtime events: lanes follow each goroutine's states, hand-offs carry values,
// buffered channels and WaitGroups become step series, and the summary counts match the lanes at every time.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { GoroutineEvent } from '@core/protocol/events/goroutine';
import type { GoRunEvent, SampledGoroutine } from '@core/protocol/events/goRun';
import { chan, createRuntime, go, Mutex, time, WaitGroup } from '@core/runtime/index';
import { LaneState, LANE_STATE_COUNT, stateOfSampled, timelineFold, TimelineModel } from './goroutineTimelineModel';

/** Runs a program on a virtual clock and stamps its events like the bus does (t from a counter: 1 ms apart). */
async function recordRun(main: () => Promise<void>, demo = 'goroutines'): Promise<LabEvent[]> {
  const out: LabEvent[] = [];
  let seq = 0;
  const rt = createRuntime({
    seed: 1,
    clock: 'virtual',
    onEvent: (e: GoroutineEvent) => {
      seq++;
      out.push({ ...e, seq, t: 1000 + seq, demo } as LabEvent);
    },
  });
  await rt.run(main);
  return out;
}

function fold(events: LabEvent[], demos: string[] | null = ['goroutines']): TimelineModel {
  const f = timelineFold(demos);
  const m = f.init();
  for (const e of events) f.step(m, e);
  return m;
}

describe('timeline model', () => {
  it('gives each goroutine a lane with its states in order', async () => {
    const events = await recordRun(async function main() {
      const ch = chan<number>(0, { name: 'results' });
      go(async function worker() {
        await time.sleep(5);
        await ch.send(7);
      });
      await ch.recv();
    });
    const m = fold(events);
    expect(m.lanes.map((l) => [l.gid, l.fn])).toEqual([
      [1, 'main'],
      [2, 'worker'],
    ]);
    const states = (gid: number) => {
      const lane = m.byGid.get(gid)!;
      return Array.from(lane.states.data.subarray(0, lane.states.n));
    };
    expect(states(1)).toEqual([
      LaneState.Runnable,
      LaneState.Running,
      LaneState.ChanRecv,
      LaneState.Runnable,
      LaneState.Running,
      LaneState.Dead,
    ]);
    expect(states(2).slice(0, 4)).toEqual([LaneState.Runnable, LaneState.Running, LaneState.Sleep, LaneState.Runnable]);
    expect(m.status).toBe('ok');
    // The hand-off: worker → main, labelled with the value, on the results channel.
    expect(m.handoffs.count).toBe(1);
    expect([m.handoffs.from.data[0], m.handoffs.to.data[0], m.handoffs.values[0]]).toEqual([2, 1, 7]);
    expect(m.objectLabel(m.handoffs.ch.data[0])).toMatch(/^results \(chan \d+\)$/);
  });

  it('records buffered channel occupancy and WaitGroup counters as step series', async () => {
    const events = await recordRun(async () => {
      const jobs = chan<number>(3, { name: 'jobs' });
      const wg = new WaitGroup();
      for (let i = 0; i < 3; i++) await jobs.send(i);
      wg.add(2);
      for (let w = 0; w < 2; w++) {
        go(async () => {
          for (;;) {
            const [, ok] = await jobs.recv();
            if (!ok) break;
            await time.sleep(1);
          }
          wg.done();
        });
      }
      jobs.close();
      await wg.wait();
    });
    const m = fold(events);
    const occ = [...m.occupancy.values()][0];
    expect(occ.name).toBe('jobs');
    expect(occ.cap).toBe(3);
    expect(occ.max).toBe(3);
    expect(Array.from(occ.v.data.subarray(0, occ.v.n))).toEqual([1, 2, 3, 2, 1, 0]);
    const wg = [...m.waitGroups.values()][0];
    expect(Array.from(wg.v.data.subarray(0, wg.v.n))).toEqual([2, 1, 0]);
    expect(wg.valueAt(wg.t.data[1])).toBe(1);
  });

  it('keeps the summary counts equal to the lanes at every moment', async () => {
    const events = await recordRun(async () => {
      const mu = new Mutex();
      const wg = new WaitGroup();
      for (let i = 0; i < 30; i++) {
        wg.add(1);
        go(async () => {
          await time.sleep(i % 4);
          await mu.lock();
          await time.sleep(1);
          mu.unlock();
          wg.done();
        });
      }
      await wg.wait();
    });
    const m = fold(events);
    const out = new Int32Array(LANE_STATE_COUNT);
    for (let t = m.t0; t <= m.tEnd; t += 7) {
      m.counts.countsAt(t, out);
      const expected = new Int32Array(LANE_STATE_COUNT);
      for (const lane of m.lanes) {
        const i = lane.indexAt(t);
        if (i >= 0) expected[lane.states.data[i]]++;
      }
      expect(Array.from(out)).toEqual(Array.from(expected));
    }
    expect(m.counts.now[LaneState.Dead]).toBe(31);
  });

  it('follows the latest run among its demos', async () => {
    const a = await recordRun(async () => {
      go(async function fromA() {});
    }, 'a');
    const b = await recordRun(async () => {
      go(async function fromB() {});
      go(async function fromB() {});
    }, 'b');
    expect(fold([...a, ...b], ['a', 'b']).lanes.map((l) => l.fn)).toEqual(['anonymous', 'fromB', 'fromB']);
    expect(fold([...b, ...a], null).lanes.map((l) => l.fn)).toEqual(['anonymous', 'fromA']);
    // A run of another demo that starts while one is shown does not mix into it.
    const interleaved = [...a.slice(0, 3), ...b, ...a.slice(3)];
    expect(fold(interleaved, ['a']).lanes.map((l) => l.fn)).toEqual(['anonymous', 'fromA']);
  });

  it('starts over on a new run and ignores other demos', async () => {
    const first = await recordRun(async () => {
      go(async () => {});
    });
    const second = await recordRun(async () => {});
    const other = await recordRun(async () => {
      go(async () => {});
      go(async () => {});
    }, 'echo');
    const m = fold([...first, ...other, ...second]);
    expect(m.lanes.map((l) => l.fn)).toEqual(['anonymous']);
    expect(m.lanes).toHaveLength(1);
  });

  it('keeps the deadlock dump and the leaks', async () => {
    const dead = fold(
      await recordRun(async function main() {
        await chan<number>().recv();
      }),
    );
    expect(dead.status).toBe('deadlock');
    expect(dead.deadlock?.[0]).toMatchObject({ id: 1, waitReason: 'chan receive' });
    const leaky = fold(
      await recordRun(async function main() {
        go(async function stuck() {
          await chan<number>().send(1);
        });
        await time.sleep(1);
      }),
    );
    expect(leaky.leaks.map((g) => g.fn)).toEqual(['stuck']);
    expect(leaky.byGid.get(2)!.state).toBe(LaneState.ChanSend);
  });
});

describe('timeline model joining a run late', () => {
  it('gives goroutines seen only after their spawn a lane, and ignores exits of ones never seen', async () => {
    const events = await recordRun(async () => {
      const ch = chan<number>();
      go(async function early() {
        await time.sleep(5);
        await ch.send(1);
      });
      go(async function gone() {});
      await time.sleep(1);
      await ch.recv();
    });
    // The page opened just after `gone` started: its exit is all that is left of it.
    const goneRuns = events.findIndex((e) => e.kind === 'go.run' && e.gid === 3);
    expect(events.slice(goneRuns + 1).some((e) => e.kind === 'go.exit' && e.gid === 3)).toBe(true);
    const m = fold(events.slice(goneRuns + 1));
    expect(m.lanes.every((l) => l.fn === '?')).toBe(true);
    expect(m.lanes.map((l) => l.gid).sort()).toEqual([1, 2]);
    expect(m.status).toBe('ok');
  });
});

describe('timeline model over a real Go program (sampled)', () => {
  const demo = 'gorun-go1';
  let seq = 0;
  const stamp = (e: GoRunEvent, t: number): LabEvent => ({ ...e, seq: ++seq, t, demo }) as LabEvent;
  const g = (id: number, state: SampledGoroutine['state'], waitReason?: string, parent?: number): SampledGoroutine => ({
    id,
    state,
    ...(waitReason ? { waitReason } : {}),
    fn: id === 1 ? 'main.main' : 'main.handleConn',
    frames: [],
    ...(parent !== undefined
      ? { createdBy: { fn: 'main.main', file: '/run/main.go', line: 42, goroutine: parent } }
      : {}),
  });
  const sample = (t: number, goroutines: SampledGoroutine[], total = goroutines.length): LabEvent =>
    stamp({ kind: 'gorun.goroutines', source: 'sampled', run: 'go1', at: t, goroutines, total, final: false }, t);
  const start = stamp(
    {
      kind: 'gorun.start',
      source: 'observed',
      run: 'go1',
      pid: 1,
      args: [],
      isolation: { kind: 'rlimits', user: 'nobody' },
    },
    100,
  );

  it('gives each sampled goroutine a lane, with states from its wait reason, and is labelled sampled', () => {
    const m = fold(
      [
        start,
        sample(110, [g(1, 'waiting', 'IO wait')]),
        sample(190, [g(1, 'waiting', 'IO wait'), g(7, 'waiting', 'IO wait', 1)]),
        sample(270, [g(1, 'running'), g(7, 'waiting', 'semacquire', 1)]),
      ],
      [demo],
    );
    expect(m.source).toBe('sampled');
    expect(m.status).toBe('running');
    expect(m.lanes.map((l) => [l.gid, l.fn, l.parent])).toEqual([
      [1, 'main.main', 0],
      [7, 'main.handleConn', 1],
    ]);
    expect(m.byGid.get(1)!.state).toBe(LaneState.Running);
    expect(m.byGid.get(7)!.state).toBe(LaneState.Sync);
    expect(m.byGid.get(7)!.waitReason).toBe('semacquire');
    expect(m.byGid.get(7)!.site).toBe('main.main /run/main.go:42');
  });

  it('marks a goroutine gone from a whole sample as exited, but not from a cut one', () => {
    const both = [g(1, 'waiting', 'IO wait'), g(7, 'waiting', 'chan receive', 1)];
    const cut = fold([start, sample(110, both), sample(190, [g(1, 'running')], 2)], [demo]);
    expect(cut.byGid.get(7)!.state).toBe(LaneState.ChanRecv);
    const whole = fold([start, sample(110, both), sample(190, [g(1, 'running')])], [demo]);
    expect(whole.byGid.get(7)!.state).toBe(LaneState.Dead);
    expect(whole.live).toBe(1);
  });

  it('shows a crash as the run’s end, with the deadlock’s goroutines', () => {
    const m = fold(
      [
        start,
        sample(110, [g(1, 'waiting', 'chan receive')]),
        stamp(
          {
            kind: 'gorun.crash',
            source: 'sampled',
            run: 'go1',
            crash: 'deadlock',
            message: 'all goroutines are asleep - deadlock!',
            goroutines: [g(1, 'waiting', 'chan receive'), g(2, 'waiting', 'sync.WaitGroup.Wait', 1)],
          },
          200,
        ),
        stamp({ kind: 'gorun.end', source: 'observed', run: 'go1', status: 'deadlock', ms: 100 }, 210),
      ],
      [demo],
    );
    expect(m.status).toBe('deadlock');
    expect(m.endMessage).toContain('deadlock');
    expect(m.deadlock?.map((d) => [d.id, d.waitReason])).toEqual([
      [1, 'chan receive'],
      [2, 'sync.WaitGroup.Wait'],
    ]);
    expect(m.byGid.get(2)!.state).toBe(LaneState.WaitGroup);
  });

  it('a program that exits by itself ends ok; Stop ends stopped', () => {
    const end = (status: 'exited' | 'stopped') =>
      fold(
        [
          start,
          sample(110, [g(1, 'running')]),
          stamp({ kind: 'gorun.end', source: 'observed', run: 'go1', status, ms: 1 }, 120),
        ],
        [demo],
      );
    expect(end('exited').status).toBe('ok');
    expect(end('stopped').status).toBe('stopped');
  });

  it('a runtime run starting afterwards takes the timeline back, labelled observed', async () => {
    const events = await recordRun(async function main() {
      await time.sleep(1);
    }, demo);
    const m = fold([start, sample(110, [g(1, 'running'), g(2, 'runnable')]), ...events], [demo]);
    expect(m.source).toBe('observed');
    expect(m.lanes.length).toBe(1);
  });
});

describe('stateOfSampled', () => {
  it.each([
    ['running', undefined, LaneState.Running],
    ['runnable', undefined, LaneState.Runnable],
    ['syscall', undefined, LaneState.Io],
    ['waiting', 'chan send', LaneState.ChanSend],
    ['waiting', 'chan receive (nil chan)', LaneState.Forever],
    ['waiting', 'select', LaneState.Select],
    ['waiting', 'select (no cases)', LaneState.Forever],
    ['waiting', 'sleep', LaneState.Sleep],
    ['waiting', 'IO wait', LaneState.Io],
    ['waiting', 'semacquire', LaneState.Sync],
    ['waiting', 'sync.Cond.Wait', LaneState.Sync],
    ['waiting', 'sync.WaitGroup.Wait', LaneState.WaitGroup],
  ] as const)('%s %s', (state, waitReason, lane) => {
    expect(stateOfSampled({ id: 1, state, ...(waitReason ? { waitReason } : {}), fn: 'f', frames: [] })).toBe(lane);
  });
});
