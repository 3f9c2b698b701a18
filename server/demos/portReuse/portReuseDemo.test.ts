// The port-reuse demo on real loopback sockets with the real Go helper: the restart against TIME_WAIT with
// SO_REUSEADDR off and on (and on one side only), two live listeners, SO_REUSEPORT's spread and its hash, and a
// closed listener's queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../core/protocol/events.js';
import type { QueueResult, RestartResult, SpreadResult, LiveResult } from '../../../core/protocol/demos/portReuse.js';
import { EventBus } from '../../events/eventBus.js';
import { PortReuseDemo } from './portReuseDemo.js';

let demo: PortReuseDemo;
const events: LabEvent[] = [];

beforeAll(async () => {
  const bus = new EventBus();
  bus.subscribe((e) => events.push(e));
  demo = new PortReuseDemo();
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: bus.forDemo('port-reuse') });
}, 180_000);
afterAll(async () => {
  await demo.stop();
});

const restart = (firstReuseAddr: boolean, restartReuseAddr: boolean) =>
  demo.commands.restart.run({ firstReuseAddr, restartReuseAddr }, { session: 's' }) as Promise<RestartResult>;

describe('PortReuseDemo restart', () => {
  it('with SO_REUSEADDR cleared, the restart fails with EADDRINUSE while the served connection is in TIME_WAIT', async () => {
    const r = await restart(false, false);
    // The kernel's row is this connection's exactly: both ends as the server printed them.
    expect(r.timeWait).toMatchObject({ local: r.served.local, remote: r.served.remote, state: 'TIME_WAIT' });
    expect(r.served.local).toBe(`127.0.0.1:${r.port}`);
    expect(r.timeWait!.timerMs).toBeGreaterThan(0);
    expect(r.restart).toMatchObject({ ok: false, errno: 'EADDRINUSE' });
    expect(r.restart.error).toBe(`listen tcp 127.0.0.1:${r.port}: bind: address already in use`);
  }, 180_000);

  it('with SO_REUSEADDR on (Go and Node set it on listeners), the restart listens on the same port', async () => {
    const r = await restart(true, true);
    expect(r.timeWait).toMatchObject({ local: r.served.local, remote: r.served.remote, state: 'TIME_WAIT' });
    expect(r.restart).toEqual({ ok: true, addr: `127.0.0.1:${r.port}` });
  }, 60_000);

  it('needs the option on both sockets: the old connection inherits its listener option, the new listener has its own', async () => {
    const oldOff = await restart(false, true);
    expect(oldOff.timeWait?.state).toBe('TIME_WAIT');
    expect(oldOff.restart).toMatchObject({ ok: false, errno: 'EADDRINUSE' });
    const newOff = await restart(true, false);
    expect(newOff.timeWait?.state).toBe('TIME_WAIT');
    expect(newOff.restart).toMatchObject({ ok: false, errno: 'EADDRINUSE' });
  }, 60_000);
});

describe('PortReuseDemo live listeners', () => {
  it('refuses a second live listener with SO_REUSEADDR alone, and allows it with SO_REUSEPORT', async () => {
    const plain = (await demo.commands.live.run({ reusePort: false }, { session: 's' })) as LiveResult;
    expect(plain.first.ok).toBe(true);
    expect(plain.second).toMatchObject({ ok: false, errno: 'EADDRINUSE' });
    expect(plain.second.error).toMatch(/bind: address already in use$/);
    const shared = (await demo.commands.live.run({ reusePort: true }, { session: 's' })) as LiveResult;
    expect(shared.second).toEqual({ ok: true, addr: shared.first.addr });
  }, 60_000);
});

describe('PortReuseDemo SO_REUSEPORT', () => {
  it('spreads 1,000 connections over K listeners, every one counted once, and a 4-tuple always reaches one listener', async () => {
    const r = (await demo.commands.spread.run(
      { listeners: 4, connections: 1000, hashTuples: 8 },
      { session: 's' },
    )) as SpreadResult;
    expect(r.counts).toHaveLength(4);
    expect(r.failed).toBe(0);
    expect(r.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    // Each listener's own accept count: its spread answers plus the hash check's 8 × 5 connections somewhere.
    expect(r.accepted.reduce((a, b) => a + b, 0)).toBe(1000 + 8 * 5);
    r.accepted.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(r.counts[i]!));
    // A hash of the 4-tuple picks the listener: with 1,000 connections every one of 4 gets some (not a timing).
    for (const n of r.counts) expect(n).toBeGreaterThan(0);
    expect(r.hash).toEqual({ tuples: 8, repeats: 5, sameListener: 8 });
    expect(events.some((e) => e.kind === 'portReuse.runEnd' && e.result.run === 'spread')).toBe(true);
  }, 120_000);

  it('resets the connections queued in a listener that closes without accepting (tcp_migrate_req 0)', async () => {
    const r = (await demo.commands.queue.run({ listeners: 4, connections: 100 }, { session: 's' })) as QueueResult;
    expect(r.counts[0]).toBe(0);
    expect(r.queued).toBeGreaterThan(0);
    // Every connection was either answered by another listener or reset: none hung, none was lost unseen.
    expect(r.reset + r.counts.slice(1).reduce((a, b) => a + b, 0)).toBe(100);
    if (r.migrateReq === 1) expect(r.answeredAfterClose).toBeGreaterThan(0);
    else {
      // Nothing moves: what was still waiting when listener 0 closed was reset (a late answer is not a reset).
      expect(r.reset).toBeGreaterThan(0);
      expect(r.reset).toBeLessThanOrEqual(r.queued);
      expect(r.reset + r.answeredAfterClose).toBe(r.queued);
    }
  }, 120_000);
});
