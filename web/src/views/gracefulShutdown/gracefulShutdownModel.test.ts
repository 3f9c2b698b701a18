import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import { gracefulShutdownFold, shutdownScale } from './gracefulShutdownModel';

let seq = 0;
const ev = (body: LabEventBody, demo = 'graceful-shutdown'): LabEvent => ({ ...body, seq: ++seq, t: seq, demo });
const start: LabEventBody = {
  kind: 'shutdown.runStart',
  source: 'observed',
  port: 9000,
  modes: ['hard', 'graceful'],
  clients: 10,
  workMs: 300,
  loadMs: 1000,
  deadlineMs: 2000,
};
const sample = (mode: 'hard' | 'graceful', atMs: number, inFlight: number): LabEventBody => ({
  kind: 'shutdown.sample',
  source: 'observed',
  mode,
  atMs,
  inFlight,
  connections: inFlight,
});

describe('gracefulShutdownFold', () => {
  it('keeps each mode’s samples, phases and result', () => {
    const f = gracefulShutdownFold('graceful-shutdown');
    const s = f.init();
    for (const e of [
      start,
      sample('hard', 100, 10),
      { kind: 'shutdown.phase', source: 'observed', mode: 'hard', phase: 'shutdown', atMs: 1000 },
      { kind: 'shutdown.phase', source: 'observed', mode: 'hard', phase: 'exited', atMs: 1002 },
      {
        kind: 'shutdown.result',
        source: 'observed',
        mode: 'hard',
        read: 40,
        answered: 30,
        lostInFlight: 10,
        cutAtDeadline: 0,
        unanswered: 10,
        refusedConnects: 10,
        drainMs: 2,
      },
      sample('graceful', 100, 9),
      sample('graceful', 1200, 14),
    ] as LabEventBody[])
      f.step(s, ev(e));
    expect(s.modes.map((m) => m.mode)).toEqual(['hard', 'graceful']);
    expect(s.modes[0]).toMatchObject({ shutdownAtMs: 1000, exitedAtMs: 1002, result: { lostInFlight: 10 } });
    expect(s.modes[1].samples).toHaveLength(2);
    expect(shutdownScale(s)).toEqual({ spanMs: 1200, yMax: 14 });
    f.step(s, ev({ kind: 'shutdown.runEnd', source: 'observed', stoppedEarly: false }));
    expect(s.running).toBe(false);
    f.step(s, ev(start));
    expect(s.modes).toEqual([]);
  });

  it('ignores other demos', () => {
    const f = gracefulShutdownFold('graceful-shutdown');
    const s = f.init();
    f.step(s, ev(start, 'echo'));
    expect(s.args).toBeNull();
  });
});
