// The headless twin of lesson 28 (`npm run lab -- run dns --json`): every scenario, the cache, a malformed query, a
// flood and the Go program's lookups as JSON lines; and the same demo when tcpdump runs unprivileged (setpriv to
// nobody): the lab says capture is unavailable and the server and resolver go on.
import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import type { LabEvent, LabEventBody } from '../../../core/protocol/events.js';
import type { Capability } from '../../../core/protocol/wire.js';
import { SCENARIO_NAMES } from '../../../core/protocol/demos/dns.js';
import { DnsDemo } from './dnsDemo.js';

describe('dns headless twin', () => {
  it('runs every scenario, the cache, a malformed query, a flood and the Go program', async () => {
    const lines: string[] = [];
    await runHeadless(new DnsDemo({ capture: false }), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 90,
      format: 'json',
      write: (l) => lines.push(l),
    });
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    const ends = events.flatMap((e) => (e.kind === 'dns.runEnd' ? [e.result] : []));
    const outcomes = ends.flatMap((r) => (r.run === 'resolve' ? [`${r.name}:${r.outcome}:${r.fromCache}`] : []));
    expect(outcomes).toEqual([
      'shop.lab.test:ok:false',
      'www.lab.test:ok:false',
      'nothere.lab.test:nxdomain:false',
      'broken.lab.test:servfail:false',
      'silent.lab.test:timeout:false',
      'big.lab.test:ok:false',
      'shop.lab.test:ok:true',
      'shop.lab.test:ok:false',
    ]);
    expect(ends.find((r) => r.run === 'malformed')).toMatchObject({
      reply: 'FORMERR',
      refusal: { code: 'E_DNS_POINTER_LOOP' },
    });
    const go = ends.find((r) => r.run === 'go');
    expect(go?.run).toBe('go');
    if (go?.run === 'go' && go.ran) {
      const byName = Object.fromEntries(go.lookups.map((l) => [l.name, l]));
      // Go saw the changed record at once (its resolver keeps no cache) and reported each error its own way.
      expect(byName[SCENARIO_NAMES.ok]?.result).toContain('10.0.0.8');
      expect(byName[SCENARIO_NAMES.nxdomain]).toMatchObject({ isNotFound: true, err: 'no such host' });
      expect(byName[SCENARIO_NAMES.servfail]).toMatchObject({ isTemporary: true, err: 'server misbehaving' });
      expect(byName[SCENARIO_NAMES.timeout]).toMatchObject({ isTimeout: true });
      expect(byName[SCENARIO_NAMES.truncated]?.ok).toBe(true);
      expect(go.output).toContain(`dial tcp`);
    }
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 120_000);

  it('without the privilege to capture, says so and goes on answering', async () => {
    const events: LabEventBody[] = [];
    const capabilities: Record<string, Capability> = {};
    const demo = new DnsDemo({ captureAsUser: 'nobody' });
    await demo.start({
      host: '127.0.0.1',
      port: () => 0,
      emit: (e) => events.push(e),
      setCapability: (name, c) => (capabilities[name] = c),
    });
    try {
      expect(capabilities['packet capture']?.available).toBe(false);
      expect(events.find((e) => e.kind === 'packet.captureStatus')).toMatchObject({ status: 'unavailable' });
      const r = await demo.commands.resolve.run(
        { name: SCENARIO_NAMES.ok, type: 'A', cache: false, timeoutMs: 800 },
        { session: 'p' },
      );
      expect(r).toMatchObject({ outcome: 'ok' });
      // The server's own account stands in for the capture, labelled observed.
      expect(
        events.some((e) => e.kind === 'dns.served' && e.source === 'observed' && e.name === SCENARIO_NAMES.ok),
      ).toBe(true);
    } finally {
      await demo.stop();
    }
  }, 30_000);
});
