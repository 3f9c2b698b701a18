import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReconnectStormRunArgs } from '../../../core/protocol/demos/reconnectStorm';
import type { LabEventBody } from '../../../core/protocol/events';
import { ReconnectStormDemo } from './reconnectStormDemo';
import { ClientFleet } from './stormClients';
import { StormServer } from './stormServer';

function connectOutcome(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

describe('StormServer', () => {
  const server = new StormServer('127.0.0.1');
  afterEach(() => server.goDown());

  it('refuses connects while down and comes back on the same port', async () => {
    await server.listen(0);
    const port = server.port;
    expect(await connectOutcome(port)).toBe('connected');
    await server.goDown();
    expect(server.up).toBe(false);
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');
    await server.comeBack();
    expect(server.port).toBe(port);
    expect(await connectOutcome(port)).toBe('connected');
  });
});

describe('ClientFleet', () => {
  it('stops retrying at its attempt cap and says so', async () => {
    const server = new StormServer('127.0.0.1');
    await server.listen(0);
    const port = server.port;
    await server.goDown();
    const fleet = new ClientFleet({
      host: '127.0.0.1',
      port,
      clients: 5,
      policy: 'none',
      backoff: { baseMs: 1, capMs: 1 },
      maxAttempts: 40,
      bucketMs: 100,
    });
    fleet.markStart();
    fleet.start();
    // Without backoff 40 refused attempts take a few ms; wait until the fleet has given up (bounded).
    for (let i = 0; i < 200 && !fleet.capped; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    fleet.stop();
    expect(fleet.capped).toBe(true);
    expect(fleet.attempts).toBe(40);
    expect(fleet.failed).toBe(40);
    expect(fleet.attemptSeries().reduce((a, b) => a + b, 0)).toBe(40);
  });
});

describe('ReconnectStormDemo', () => {
  const demo = new ReconnectStormDemo();
  afterEach(() => demo.stop());

  it('runs each policy: every client recovers, and backoff makes far fewer attempts than immediate retry', async () => {
    const events: LabEventBody[] = [];
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
    const args = ReconnectStormRunArgs.parse({ clients: 20, downMs: 800, baseMs: 100, capMs: 400 });
    const results = await demo.runStorm(args);
    expect(results.map((r) => r.policy)).toEqual(['none', 'exponential', 'jitter']);
    for (const r of results) {
      expect(r.connected).toBe(20);
      expect(r.recoverMs).not.toBeNull();
      expect(r.capped).toBe(false);
      // Every client was cut off once and came back once: at least one attempt each.
      expect(r.attempts).toBeGreaterThan(20);
      expect(r.attempts - r.failed).toBe(20);
    }
    const [none, exponential, jitter] = results;
    // Without jitter a client retries 100, 300, 700, 1,100 ms after the loss (waits 100, 200, 400, 400): the server
    // is back at 800 ms, so about 4 attempts each; a busy machine only delays them. Jittered waits are shorter, so
    // more attempts, but bounded by the schedule. Immediate retry makes dozens to hundreds each.
    expect(exponential.attempts).toBeLessThanOrEqual(20 * 6);
    expect(jitter.attempts).toBeLessThanOrEqual(20 * 30);
    expect(none.attempts).toBeGreaterThan(3 * exponential.attempts);

    // The buckets sent for each policy add up to its attempts, indexes in order from 0.
    for (const r of results) {
      const buckets = events.filter((e) => e.kind === 'storm.bucket' && e.policy === r.policy);
      expect(buckets.map((b) => (b.kind === 'storm.bucket' ? b.index : -1))).toEqual(buckets.map((_, i) => i));
      expect(buckets.reduce((n, b) => n + (b.kind === 'storm.bucket' ? b.attempts : 0), 0)).toBe(r.attempts);
    }
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'storm.policyEnd')).toHaveLength(3);
    expect(kinds.at(-1)).toBe('storm.runEnd');
  }, 30_000);

  it('refuses a second page while a run is going, lets its owner stop it, and the server is back afterwards', async () => {
    const events: LabEventBody[] = [];
    await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
    const port = demo.endpoints()[0].port;
    await demo.commands.run.run(ReconnectStormRunArgs.parse({ clients: 5, downMs: 5000 }), { session: 'a' });
    await expect(
      Promise.resolve().then(() =>
        demo.commands.run.run(ReconnectStormRunArgs.parse({}), { session: 'b', local: false }),
      ),
    ).rejects.toMatchObject({ code: 'E_DEMO_IN_USE' });
    await expect(
      Promise.resolve().then(() => demo.commands.stop.run({}, { session: 'b', local: false })),
    ).rejects.toMatchObject({ code: 'E_NOT_OWNER' });
    expect(await demo.commands.stop.run({}, { session: 'a' })).toEqual({ stopped: true });
    expect(events.at(-1)).toMatchObject({ kind: 'storm.runEnd', stoppedEarly: true });
    expect(await connectOutcome(port)).toBe('connected');
  }, 20_000);

  it('rejects settings out of range', () => {
    expect(ReconnectStormRunArgs.safeParse({ clients: 201 }).success).toBe(false);
    expect(ReconnectStormRunArgs.safeParse({ baseMs: 500, capMs: 100 }).success).toBe(false);
    expect(ReconnectStormRunArgs.safeParse({ policies: ['none', 'none'] }).success).toBe(false);
    expect(ReconnectStormRunArgs.safeParse({ policies: ['linear'] }).success).toBe(false);
  });
});
