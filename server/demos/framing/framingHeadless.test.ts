// The headless twins of lessons 2 and 3: `npm run lab -- run stream --json` and `run framing --json` print the same
// events a browser receives, one JSON object per line, and exit.
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { StreamDemo } from '../stream/streamDemo.js';
import { FramingDemo } from './framingDemo.js';

async function twin(demo: StreamDemo | FramingDemo): Promise<LabEvent[]> {
  const lines: string[] = [];
  const printed = await runHeadless(demo, {
    host: '127.0.0.1',
    demoPortBase: 0,
    seconds: 60,
    format: 'json',
    write: (l) => lines.push(l),
  });
  expect(printed).toBe(lines.length);
  return lines.map((l) => JSON.parse(l) as LabEvent);
}

describe('headless twins', () => {
  it('framing: frames from each server, then the three bad frames, as JSON lines', async () => {
    const events = await twin(new FramingDemo());
    expect(events[0].demo).toBe('framing');
    const decoded = events.filter((e) => e.kind === 'frame.decoded');
    for (const mode of ['fixed', 'delimiter', 'length-prefix']) {
      // hello, sticky, packets in one write, then "in pieces" in 3-byte writes.
      expect(decoded.filter((e) => e.kind === 'frame.decoded' && e.mode === mode)).toHaveLength(4);
    }
    const errors = events.flatMap((e) => (e.kind === 'frame.error' ? [`${e.mode}:${e.error.code}`] : []));
    expect(errors.sort()).toEqual([
      'delimiter:E_LINE_TOO_LONG',
      'fixed:E_TRUNCATED_FRAME',
      'length-prefix:E_FRAME_TOO_LARGE',
    ]);
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 60_000);

  it('stream: five runs with every write and read, and their summaries', async () => {
    const events = await twin(new StreamDemo());
    const ends = events.filter((e) => e.kind === 'stream.runEnd');
    expect(ends.map((e) => (e.kind === 'stream.runEnd' ? e.transport : ''))).toEqual([
      'tcp',
      'tcp',
      'tcp',
      'tcp',
      'udp',
    ]);
    for (const end of ends) {
      if (end.kind !== 'stream.runEnd') continue;
      const writes = events.filter((e) => e.kind === 'stream.write' && e.run === end.run);
      expect(writes).toHaveLength(end.summary.writes);
      expect(end.reads.reduce((n, r) => n + r.len, 0)).toBe(end.summary.bytes);
    }
    // The slow reader (second run) got several messages in one read; the big messages (fourth) were split.
    const [, slow, , big] = ends;
    expect(slow.kind === 'stream.runEnd' && slow.summary.coalescedReads).toBeGreaterThanOrEqual(1);
    expect(big.kind === 'stream.runEnd' && big.summary.splitMessages).toBe(2);
  }, 90_000);
});
