// The circuit-breaker demo over real loopback TCP: the upstream's modes as a client sees them, and a scripted run
// in which the breaker opens when the upstream stalls, fails fast while open, probes and closes after recovery,
// while the direct callers pile up waiting for their timeouts.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventOfKind, LabEventBody } from '../../../core/protocol/events.js';
import { CircuitBreakerDemo } from './circuitBreakerDemo.js';
import { callUpstream } from './upstreamCall.js';

const demos: CircuitBreakerDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) await d.stop();
});

async function startDemo(): Promise<{ demo: CircuitBreakerDemo; events: LabEventBody[] }> {
  const demo = new CircuitBreakerDemo();
  const events: LabEventBody[] = [];
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  demos.push(demo);
  return { demo, events };
}

function ofKind<K extends LabEventBody['kind']>(events: LabEventBody[], kind: K) {
  return events.filter((e): e is Extract<LabEventBody, { kind: K }> => e.kind === kind);
}

describe('circuit-breaker demo', () => {
  it('through the fault proxy the upstream answers ok, an error line, nothing, or is gone, by mode', async () => {
    const { demo } = await startDemo();
    const [ep, upstream] = demo.endpoints();
    expect(ep).toMatchObject({ name: 'proxy', protocol: 'tcp', tryWith: `nc 127.0.0.1 ${ep.port}` });
    expect(upstream).toMatchObject({ name: 'upstream', protocol: 'tcp' });
    expect((await callUpstream('127.0.0.1', ep.port, 2000)).outcome).toBe('ok');
    await demo.setUpstream('failing');
    expect((await callUpstream('127.0.0.1', ep.port, 2000)).outcome).toBe('error-reply');
    await demo.setUpstream('stalled');
    const stalled = await callUpstream('127.0.0.1', ep.port, 300);
    expect(stalled.outcome).toBe('timeout');
    expect(stalled.ms).toBeGreaterThanOrEqual(290);
    await demo.setUpstream('down');
    // The upstream really restarts: its own port refuses, and the proxy can only close the caller's connection.
    expect((await callUpstream('127.0.0.1', upstream.port, 2000)).outcome).toBe('refused');
    expect(['reset', 'refused']).toContain((await callUpstream('127.0.0.1', ep.port, 2000)).outcome);
    await demo.setUpstream('healthy');
    expect(demo.endpoints()[0].port).toBe(ep.port);
    expect((await callUpstream('127.0.0.1', ep.port, 2000)).outcome).toBe('ok');
  });

  it('a failing line names its code, readable in nc', async () => {
    const { demo } = await startDemo();
    await demo.setUpstream('failing');
    const [ep] = demo.endpoints();
    const line = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: ep.port }, () => s.write('hello\n'));
      s.on('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(line).toMatch(/^lab: E_UPSTREAM_FAILED: /);
  });

  it('opens on a stalled upstream, fails fast while open, and closes after recovery; direct callers pile up', async () => {
    const { demo, events } = await startDemo();
    await demo.runScript({
      ratePerSec: 40,
      callTimeoutMs: 800,
      runMs: 4000,
      fault: 'stalled',
      faultAtMs: 300,
      recoverAtMs: 2800,
      breaker: { failureThreshold: 3, windowMs: 2000, openMs: 300, halfOpenProbes: 1 },
    });
    const transitions = ofKind(events, 'breaker.transition').map((t) => `${t.from}>${t.to}`);
    expect(transitions[0]).toBe('closed>open');
    expect(transitions).toContain('open>half-open');
    expect(transitions.at(-1)).toBe('half-open>closed');
    const end = ofKind(events, 'breaker.runEnd')[0] as EventOfKind<'breaker.runEnd'>;
    expect(end.totals.breaker.fastFailed).toBeGreaterThan(0);
    expect(end.totals.direct.fastFailed).toBe(0);
    // The direct path keeps adding callers to the stall; once the breaker is not closed, its path adds at most a
    // probe, so some window shows fewer callers waiting behind the breaker than on the direct path.
    expect(end.totals.direct.maxWaiting).toBeGreaterThan(0);
    const stats = ofKind(events, 'breaker.stats');
    expect(stats.some((s) => s.state !== 'closed' && s.breaker.waiting < s.direct.waiting)).toBe(true);
    // After recovery both paths succeed again.
    expect(end.totals.breaker.ok).toBeGreaterThan(0);
    const upstream = ofKind(events, 'breaker.upstream').map((u) => u.mode);
    expect(upstream).toEqual(['healthy', 'stalled', 'healthy']);
  });

  it('refuses bad settings, a second run and a student changing the shared upstream', async () => {
    const { demo } = await startDemo();
    const args = demo.commands.run.args;
    expect(() => args.parse({ faultAtMs: 5000, recoverAtMs: 1000 })).toThrow();
    expect(() => args.parse({ ratePerSec: 200, callTimeoutMs: 10_000 })).toThrow();
    expect(() => args.parse({ breaker: { failureThreshold: 0 } })).toThrow();
    expect(() => demo.commands.setUpstream.args.parse({ mode: 'on-fire' })).toThrow();
    const set = demo.commands.setUpstream;
    await expect(
      Promise.resolve().then(() => set.run(set.args.parse({ mode: 'down' }), { session: 's', local: false })),
    ).rejects.toMatchObject({ code: 'E_INSTRUCTOR_ONLY' });
    const run = demo.commands.run;
    run.run(run.args.parse({ runMs: 1000 }), { session: 's', local: true });
    expect(() => run.run(run.args.parse({ runMs: 1000 }), { session: 't', local: true })).toThrow();
    expect(await demo.commands.stop.run({}, { session: 's', local: true })).toEqual({ stopped: true });
  });
});
