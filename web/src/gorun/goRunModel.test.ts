import { describe, expect, it } from 'vitest';
import { wireError } from '@core/protocol/errors';
import type { GoRunEvent } from '@core/protocol/events/goRun';
import { goRunStep, goRunVerdict, IDLE_RUN, isActive, type GoRunAction, type GoRunState } from './goRunModel';

const ev = (event: GoRunEvent, t = 1000): GoRunAction => ({ type: 'event', event, t });
const run = (actions: GoRunAction[], from: GoRunState = IDLE_RUN) => actions.reduce(goRunStep, from);

const build = (r = 'r1'): GoRunEvent => ({ kind: 'gorun.build', source: 'observed', run: r, goVersion: 'go1.19.8' });
const start = (r = 'r1'): GoRunEvent => ({
  kind: 'gorun.start',
  source: 'observed',
  run: r,
  pid: 4242,
  args: ['-addr', '127.0.0.1:40123'],
  port: 40123,
  isolation: { kind: 'rlimits', user: 'nobody' },
});
const end = (status: Extract<GoRunEvent, { kind: 'gorun.end' }>['status'], extra = {}, r = 'r1'): GoRunEvent => ({
  kind: 'gorun.end',
  source: 'observed',
  run: r,
  status,
  ms: 50,
  ...extra,
});

describe('goRunStep', () => {
  it('goes asked → building → running → ended, keeping the port and the build time', () => {
    const asked = run([{ type: 'ask' }, { type: 'accepted', run: 'r1' }]);
    expect(asked.phase).toBe('asked');
    const building = run([ev(build(), 100)], asked);
    expect(building).toMatchObject({ phase: 'building', goVersion: 'go1.19.8', buildStartedAt: 100 });
    expect(isActive(building)).toBe(true);
    const running = run(
      [ev({ kind: 'gorun.built', source: 'observed', run: 'r1', ms: 812 }), ev(start(), 900)],
      building,
    );
    expect(running).toMatchObject({ phase: 'running', buildMs: 812, port: 40123, pid: 4242, startedAt: 900 });
    const ended = run([ev(end('exited', { exitCode: 3 }))], running);
    expect(ended.phase).toBe('ended');
    expect(isActive(ended)).toBe(false);
    expect(goRunVerdict(ended)).toEqual({ key: 'exited', tone: 'err', exitCode: 3 });
  });

  it('adopts the run of events that arrive before the Run answer, and only when it asked', () => {
    expect(run([ev(build('x'))]).phase).toBe('idle');
    const s = run([{ type: 'ask' }, ev(build('r7')), { type: 'accepted', run: 'r7' }]);
    expect(s).toMatchObject({ run: 'r7', phase: 'building' });
  });

  it('ignores the events of another run', () => {
    const s = run([{ type: 'ask' }, { type: 'accepted', run: 'r1' }, ev(build('r2')), ev(end('exited', {}, 'r2'))]);
    expect(s).toMatchObject({ phase: 'asked', run: 'r1', goVersion: null });
  });

  it('stays stopping after Stop until the end arrives, then says stopped', () => {
    let s = run([{ type: 'ask' }, { type: 'accepted', run: 'r1' }, ev(build()), ev(start())]);
    s = goRunStep(s, { type: 'stop' });
    expect(s.phase).toBe('stopping');
    s = goRunStep(s, ev({ kind: 'gorun.output', source: 'observed', run: 'r1', stream: 'stderr', text: 'x' }));
    expect(s.phase).toBe('stopping');
    s = goRunStep(s, ev(end('stopped', { signal: 'SIGKILL' })));
    expect(goRunVerdict(s)).toEqual({ key: 'stopped', tone: 'warn' });
    // Stop after the end changes nothing.
    expect(goRunStep(s, { type: 'stop' })).toBe(s);
  });

  it('keeps compile errors and counts them in the verdict', () => {
    const errors = [
      { file: 'main.go', line: 4, col: 2, message: 'declared and not used: x' },
      { file: 'main.go', line: 9, col: 1, message: 'missing return' },
    ];
    const s = run([
      { type: 'ask' },
      ev(build()),
      ev({ kind: 'gorun.compileErrors', source: 'observed', run: 'r1', errors }),
      ev(end('compile-error')),
    ]);
    expect(s.compileErrors).toEqual(errors);
    expect(goRunVerdict(s)).toEqual({ key: 'compileError', tone: 'err', count: 2 });
  });

  it('keeps a crash with its goroutines and says panic or deadlock', () => {
    const goroutines = [{ id: 1, state: 'waiting' as const, waitReason: 'chan receive', fn: 'main.main', frames: [] }];
    const s = run([
      { type: 'ask' },
      ev(build()),
      ev(start()),
      ev({
        kind: 'gorun.crash',
        source: 'sampled',
        run: 'r1',
        crash: 'deadlock',
        message: 'all goroutines are asleep',
        goroutines,
      }),
      ev(end('deadlock')),
    ]);
    expect(s.crash).toMatchObject({ crash: 'deadlock', source: 'sampled', goroutines });
    expect(goRunVerdict(s).key).toBe('deadlock');
  });

  it('says which limit ended the run, with its coded error', () => {
    const error = wireError('E_GO_OUTPUT_LIMIT', '1 MiB');
    const s = run([{ type: 'ask' }, ev(build()), ev(start()), ev(end('limit', { error }))]);
    expect(goRunVerdict(s)).toEqual({ key: 'limit', tone: 'err', error });
  });

  it('records each notice once', () => {
    const notice: GoRunEvent = {
      kind: 'gorun.notice',
      source: 'observed',
      run: 'r1',
      error: wireError('E_GO_NOT_ISOLATED', 'no bwrap'),
    };
    const s = run([{ type: 'ask' }, ev(build()), ev(notice), ev(notice)]);
    expect(s.notices.map((n) => n.code)).toEqual(['E_GO_NOT_ISOLATED']);
  });

  it('a refused Run ends at once with the refusal; a new Run starts clean', () => {
    const error = wireError('E_GO_RUN_BUSY');
    const s = run([{ type: 'ask' }, { type: 'refused', error }]);
    expect(s.phase).toBe('ended');
    expect(goRunVerdict(s)).toEqual({ key: 'refused', tone: 'err', error });
    const again = goRunStep(s, { type: 'ask' });
    expect(again).toEqual({ ...IDLE_RUN, phase: 'asked' });
  });

  it('a refusal arriving during a run (a late Stop answer) does not end it', () => {
    const s = run([{ type: 'ask' }, ev(build()), ev(start())]);
    expect(goRunStep(s, { type: 'refused', error: wireError('E_GO_RUN_BUSY') })).toBe(s);
  });

  it('records the latest goroutine sample', () => {
    const s = run([
      { type: 'ask' },
      ev(start()),
      ev({
        kind: 'gorun.goroutines',
        source: 'sampled',
        run: 'r1',
        at: 5,
        goroutines: [],
        total: 12,
        final: false,
      }),
    ]);
    expect(s.sample).toEqual({ at: 5, total: 12 });
  });
});
