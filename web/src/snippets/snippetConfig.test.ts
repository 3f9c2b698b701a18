// Reading a lesson's snippet configuration, and the fold of a run's sockets.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import type { Lesson } from '@core/protocol/lessons';
import { runSocketsFold } from './runSocketsModel';
import { snippetConfigOf } from './snippetConfig';

const file = (name: string, text = '') => ({
  name,
  language: name.endsWith('.go') ? ('go' as const) : ('typescript' as const),
  text,
});

function lesson(files: Lesson['files'], meta: Lesson['meta'] = {}): Pick<Lesson, 'files' | 'meta' | 'slug'> {
  return { slug: '99-test', files, meta };
}

describe('snippetConfigOf', () => {
  it('reads an exercise from the frontmatter and hides its solution and checks', () => {
    const c = snippetConfigOf(
      lesson([file('main.go'), file('start.ts'), file('solution.ts'), file('checks.ts')], {
        snippet: { file: 'start.ts', solution: 'solution.ts', checks: 'checks.ts' },
        timeLimitSeconds: 12,
      }),
    )!;
    expect(c.file.name).toBe('start.ts');
    expect(c.isExercise).toBe(true);
    expect(c.companions.map((f) => f.name)).toEqual(['main.go']);
    expect(c.timeLimitMs).toBe(12_000);
  });

  it('defaults to 30 s and to the first TypeScript twin that imports gonet', () => {
    const c = snippetConfigOf(
      lesson([
        file('main.go'),
        file('model.ts', 'export const x = 1;'),
        file('main.ts', "import { go } from 'gonet';"),
      ]),
    )!;
    expect(c.file.name).toBe('main.ts');
    expect(c.isExercise).toBe(false);
    expect(c.timeLimitMs).toBe(30_000);
    expect(snippetConfigOf(lesson([file('main.go')]))).toBeNull();
  });

  it('says which file is missing or which field is wrong', () => {
    expect(() =>
      snippetConfigOf(lesson([file('start.ts')], { snippet: { file: 'start.ts', checks: 'nope.ts' } })),
    ).toThrow(/nope\.ts/);
    expect(() =>
      snippetConfigOf(lesson([file('start.ts')], { snippet: { file: 'start.ts', timeLimitSeconds: -1 } })),
    ).toThrow(/timeLimitSeconds/);
  });
});

describe('runSocketsFold', () => {
  it('keeps each bridged connection of one run with its counters and close reason', () => {
    const fold = runSocketsFold('snippet-abc');
    const s = fold.init();
    const ep = (port: number) => ({ host: '127.0.0.1', port });
    const stamp = (demo: string, seq: number) => ({ seq, t: seq, demo });
    const events = [
      { kind: 'socket.listen', source: 'observed', listener: 'l1', local: ep(9000), ...stamp('snippet-abc', 1) },
      {
        kind: 'socket.open',
        source: 'observed',
        conn: 'b2',
        side: 'client',
        local: ep(50000),
        remote: ep(9000),
        ...stamp('snippet-abc', 2),
      },
      {
        kind: 'socket.open',
        source: 'observed',
        conn: 'x',
        side: 'client',
        local: ep(1),
        remote: ep(2),
        ...stamp('echo', 3),
      },
      {
        kind: 'socket.data',
        source: 'observed',
        conn: 'b2',
        dir: 'out',
        len: 5,
        b64: '',
        clipped: false,
        ...stamp('snippet-abc', 4),
      },
      {
        kind: 'socket.close',
        source: 'observed',
        conn: 'b2',
        reason: 'local',
        bytesIn: 3,
        bytesOut: 5,
        ...stamp('snippet-abc', 5),
      },
    ] as LabEvent[];
    for (const e of events) fold.step(s, e);
    expect(s.listeners).toEqual([ep(9000)]);
    expect([...s.sockets.keys()]).toEqual(['b2']);
    expect(s.sockets.get('b2')).toMatchObject({ open: false, closeReason: 'local', bytesIn: 3, bytesOut: 5 });
  });
});
