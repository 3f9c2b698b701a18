// The rate-limit demo over real loopback TCP: refused requests get an error line (never a hang), a burst passes and
// the rest is refused, a load run's accepted count never beats rate × time + burst, and bad settings are refused.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { RateLimitDemo } from './rateLimitDemo.js';

const demos: RateLimitDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) await d.stop();
});

async function startDemo(): Promise<{ demo: RateLimitDemo; events: LabEventBody[] }> {
  const demo = new RateLimitDemo();
  const events: LabEventBody[] = [];
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  demos.push(demo);
  return { demo, events };
}

function call(demo: RateLimitDemo, action: keyof RateLimitDemo['commands'], args: unknown, local = true) {
  const cmd = demo.commands[action];
  return cmd.run(cmd.args.parse(args), { session: 's1', local });
}

/** Sends `count` request lines in one write and collects that many reply lines. */
function burst(port: number, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let pending = '';
    const s = net.connect({ host: '127.0.0.1', port }, () =>
      s.write(Array.from({ length: count }, (_, i) => `r${i}\n`).join('')),
    );
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      pending += d;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.length >= count) {
        s.destroy();
        resolve(lines);
      }
    });
    s.on('error', reject);
  });
}

describe('rate-limit demo', () => {
  it('answers a burst: the client bucket passes its burst and refuses the rest with a coded line', async () => {
    const { demo } = await startDemo();
    await call(demo, 'configure', { globalRate: 1000, globalBurst: 1000, clientRate: 1, clientBurst: 5 });
    const [ep] = demo.endpoints();
    const replies = await burst(ep.port, 12);
    expect(replies.slice(0, 5)).toEqual(['ok r0', 'ok r1', 'ok r2', 'ok r3', 'ok r4']);
    const refused = replies.filter((l) => !l.startsWith('ok '));
    expect(refused.length).toBeGreaterThanOrEqual(6);
    for (const line of refused)
      expect(line).toMatch(/^lab: E_DEMO_RATE_LIMITED: .*client bucket, retry-after-ms=\d+\)$/);
  });

  it('the global bucket is shared: a second client is refused by it', async () => {
    const { demo } = await startDemo();
    await call(demo, 'configure', { globalRate: 1, globalBurst: 4, clientRate: 1000, clientBurst: 1000 });
    const [ep] = demo.endpoints();
    const first = await burst(ep.port, 4);
    expect(first.every((l) => l.startsWith('ok '))).toBe(true);
    const second = await burst(ep.port, 3);
    expect(second.filter((l) => l.includes('global bucket')).length).toBeGreaterThanOrEqual(2);
  });

  it('a load run above the rate is refused in part, and never accepted beyond rate × time + burst', async () => {
    const { demo, events } = await startDemo();
    await call(demo, 'configure', { globalRate: 100, globalBurst: 20, clientRate: 1000, clientBurst: 1000 });
    const result = await demo.runLoad({ connections: 2, steps: [50, 400], stepMs: 1000 });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.refused).toBeGreaterThan(0);
    expect(result.accepted).toBeLessThanOrEqual(100 * result.seconds + 20);
    expect(result.accepted + result.refused).toBeLessThanOrEqual(result.sent);
    const stats = events.filter((e) => e.kind === 'rateLimit.stats');
    expect(stats.length).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'rateLimit.loadEnd')).toBe(true);
    // While 400/s were offered the bucket ran dry at some point.
    expect(Math.min(...stats.map((s) => (s.kind === 'rateLimit.stats' ? s.globalLevelMin : Infinity)))).toBeLessThan(1);
  });

  it('refuses settings out of range, a second run, and a student changing the shared limiter', async () => {
    const { demo } = await startDemo();
    expect(() => demo.commands.configure.args.parse({ globalRate: 0 })).toThrow();
    expect(() => demo.commands.configure.args.parse({ globalBurst: 1.5 })).toThrow();
    expect(() => demo.commands.load.args.parse({ steps: [] })).toThrow();
    expect(() => demo.commands.load.args.parse({ steps: [100_000] })).toThrow();
    expect(() => call(demo, 'configure', {}, false)).toThrow(expect.objectContaining({ code: 'E_INSTRUCTOR_ONLY' }));
    const run = await call(demo, 'load', { connections: 1, steps: [10], stepMs: 500 });
    expect(run).toMatchObject({ started: true });
    await expect(
      Promise.resolve().then(() => call(demo, 'load', { connections: 1, steps: [10], stepMs: 500 })),
    ).rejects.toThrow();
    expect(await call(demo, 'stopLoad', {})).toEqual({ stopped: true });
  });
});
