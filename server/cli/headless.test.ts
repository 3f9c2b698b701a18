import { describe, expect, it } from 'vitest';
import { EchoDemo } from '../demos/echo/echoDemo.js';
import type { LabEvent } from '../../core/protocol/events.js';
import { formatEventText, runHeadless } from './headless.js';

describe('headless twin', () => {
  it('runs the echo scenario and prints the events a browser would get, as JSON lines, then stops', async () => {
    const lines: string[] = [];
    const count = await runHeadless(new EchoDemo(), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 10,
      format: 'json',
      write: (l) => lines.push(l),
    });
    expect(count).toBe(lines.length);
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    expect(events.every((e) => e.demo === 'echo' && typeof e.seq === 'number' && typeof e.t === 'number')).toBe(true);
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('socket.listen');
    expect(kinds.at(-1)).toBe('demo.stopped');
    const serverOpens = events.flatMap((e) => (e.kind === 'socket.open' && e.side === 'server' ? [e] : []));
    expect(serverOpens).toHaveLength(2);
    const echoed = events.flatMap((e) =>
      e.kind === 'socket.data' && e.dir === 'out' ? [Buffer.from(e.b64, 'base64').toString()] : [],
    );
    expect(echoed.join('')).toContain('hello from A\n');
    expect(echoed.join('')).toContain('bye from B\n');
    // The clients closed first (local); the server's handlers saw EOF.
    const closes = events.flatMap((e) => (e.kind === 'socket.close' ? [e] : []));
    expect(
      closes
        .filter((e) => e.reason === 'eof')
        .map((e) => e.conn)
        .sort(),
    ).toEqual(serverOpens.map((e) => e.conn).sort());
    expect(closes.filter((e) => e.reason === 'local')).toHaveLength(2);
  });

  it('has a readable text form', () => {
    const line = formatEventText({
      kind: 'demo.started',
      source: 'observed',
      seq: 1,
      t: Date.UTC(2026, 0, 1, 12, 0, 0, 5),
      demo: 'echo',
    });
    expect(line).toBe('12:00:00.005 echo observed demo.started     {}');
  });
});
