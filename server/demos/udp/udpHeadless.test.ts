// The headless twin of lesson 26: `npm run lab -- run udp --json` prints every run's outcome as JSON lines and exits.
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import type { LabEvent } from '../../../core/protocol/events.js';
import { UdpDemo } from './udpDemo.js';

describe('udp headless twin', () => {
  it('runs direct and relayed exchanges, the TCP comparison, both sizes, a flood and the table', async () => {
    const lines: string[] = [];
    await runHeadless(new UdpDemo({ capture: false }), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 60,
      format: 'json',
      write: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    const ends = events.flatMap((e) => (e.kind === 'udp.runEnd' ? [e.result] : []));
    expect(ends.map((r) => r.run)).toEqual(['exchange', 'exchange', 'compare', 'size', 'size', 'flood', 'sockets']);
    const [direct, relayed] = ends;
    expect(direct).toMatchObject({ via: 'direct', lost: [] });
    // Seed 7, 20 % loss: the relay's drops are exactly the lost numbers, the same on every machine.
    expect(relayed).toMatchObject({ via: 'relay', seed: 7 });
    const drops = events.flatMap((e) => (e.kind === 'udp.relay' && e.action === 'drop' ? [e.number] : []));
    expect(relayed?.run === 'exchange' && relayed.lost).toEqual(drops);
    expect(ends[4]).toMatchObject({ run: 'size', sent: false, error: { code: 'E_UDP_DATAGRAM_TOO_LARGE' } });
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 60_000);
});
