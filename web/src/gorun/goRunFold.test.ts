import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { GoRunEvent } from '@core/protocol/events/goRun';
import { goRunFold } from './goRunFold';

let seq = 0;
const at = (e: GoRunEvent, demo = 'gorun-go1'): LabEvent => ({ ...e, seq: ++seq, t: 1000 + seq, demo }) as LabEvent;
const out = (stream: 'stdout' | 'stderr', text: string, demo?: string) =>
  at({ kind: 'gorun.output', source: 'observed', run: 'go1', stream, text }, demo);

describe('goRunFold', () => {
  it('folds its run’s events into the state and the console, and nothing of another run', () => {
    const fold = goRunFold('gorun-go1', 'go1');
    const s = fold.init();
    expect(s.run).toMatchObject({ phase: 'asked', run: 'go1' });
    const events: LabEvent[] = [
      at({ kind: 'gorun.build', source: 'observed', run: 'go1', goVersion: 'go1.19.8 linux/amd64' }),
      at({
        kind: 'gorun.start',
        source: 'observed',
        run: 'go1',
        pid: 9,
        args: ['-addr', '127.0.0.1:4100'],
        port: 4100,
        isolation: { kind: 'rlimits', user: 'nobody' },
      }),
      out('stderr', '2026/12/06 echo server listen'),
      out('stdout', 'not mine\n', 'gorun-go2'),
      out('stderr', 'ing on 127.0.0.1:4100\n'),
      at({ kind: 'gorun.end', source: 'observed', run: 'go1', status: 'stopped', signal: 'SIGKILL', ms: 900 }),
    ];
    for (const e of events) fold.step(s, e);
    expect(s.run).toMatchObject({ phase: 'ended', port: 4100, end: { status: 'stopped', signal: 'SIGKILL' } });
    expect(s.output.lines.map((l) => [l.stream, l.text, l.complete])).toEqual([
      ['stderr', '2026/12/06 echo server listening on 127.0.0.1:4100', true],
    ]);
  });

  it('completes a line left open when the run ends', () => {
    const fold = goRunFold('gorun-go1', 'go1');
    const s = fold.init();
    fold.step(s, out('stdout', 'no newline at the end'));
    expect(s.output.lines[0]!.complete).toBe(false);
    fold.step(s, at({ kind: 'gorun.end', source: 'observed', run: 'go1', status: 'exited', exitCode: 0, ms: 5 }));
    expect(s.output.lines[0]!.complete).toBe(true);
  });
});
