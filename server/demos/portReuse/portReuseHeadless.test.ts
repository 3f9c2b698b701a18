// The headless twin of lesson 29: `npm run lab -- run port-reuse --json` prints every run's outcome as JSON lines.
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { PortReuseDemo } from './portReuseDemo.js';

describe('port-reuse headless twin', () => {
  it('runs both restarts, both live-listener tries, a spread of 1,000 over 4 and the queue run', async () => {
    const lines: string[] = [];
    await runHeadless(new PortReuseDemo(), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 120,
      format: 'json',
      write: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    const ends = events.flatMap((e) => (e.kind === 'portReuse.runEnd' ? [e.result] : []));
    expect(ends.map((r) => r.run)).toEqual(['restart', 'restart', 'live', 'live', 'spread', 'queue']);
    expect(ends[0]).toMatchObject({ restart: { ok: false, errno: 'EADDRINUSE' }, timeWait: { state: 'TIME_WAIT' } });
    expect(ends[1]).toMatchObject({ restart: { ok: true }, timeWait: { state: 'TIME_WAIT' } });
    const spread = ends[4];
    expect(spread?.run === 'spread' && spread.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 180_000);
});
