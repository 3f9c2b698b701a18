import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events';
import { runHeadless } from '../../cli/headless';
import { NetpollerDemo } from './netpollerDemo';

describe('netpoller headless twin (npm run lab -- run netpoller --json)', () => {
  it('measures the three servers with the defaults and prints their figures as JSON lines, then stops', async () => {
    const lines: string[] = [];
    await runHeadless(new NetpollerDemo(), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 240,
      format: 'json',
      write: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    expect(events.every((e) => e.demo === 'netpoller')).toBe(true);
    const start = events.find((e) => e.kind === 'netpoller.runStart');
    expect(start).toMatchObject({ idle: 1000, busy: 10, windowMs: 2000, servers: ['go', 'node', 'threads'] });
    const results = events.flatMap((e) => (e.kind === 'netpoller.result' ? [e] : []));
    expect(results.map((r) => r.server)).toEqual(['go', 'node', 'threads']);
    const threads = Object.fromEntries(results.map((r) => [r.server, r.threads]));
    expect(threads.threads).toBeGreaterThanOrEqual(1010);
    expect(threads.go! * 20).toBeLessThan(threads.threads!);
    expect(events.find((e) => e.kind === 'netpoller.runEnd')).toMatchObject({ stoppedEarly: false });
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 300_000);
});
