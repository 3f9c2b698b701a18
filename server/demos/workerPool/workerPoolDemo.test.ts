// The worker-pool demo as browsers and the headless twin drive it: commands validated by their schemas, load runs
// that start, stop early and refuse to overlap, and `npm run lab -- run worker-pool --json` showing queueing.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runHeadless } from '../../cli/headless.js';
import type { LabEvent, LabEventBody } from '../../../core/protocol/events.js';
import { WorkerPoolDemo } from './workerPoolDemo.js';

const demos: WorkerPoolDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) await d.stop();
});

async function startDemo(): Promise<{ demo: WorkerPoolDemo; events: LabEventBody[] }> {
  const demo = new WorkerPoolDemo();
  const events: LabEventBody[] = [];
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
  demos.push(demo);
  return { demo, events };
}

async function call(demo: WorkerPoolDemo, action: keyof WorkerPoolDemo['commands'], args: unknown): Promise<unknown> {
  const cmd = demo.commands[action];
  return cmd.run(cmd.args.parse(args), { session: 's1' });
}

describe('worker-pool demo', () => {
  it('lists a TCP endpoint an external client (nc) can use, one request per line', async () => {
    const { demo } = await startDemo();
    const [ep] = demo.endpoints();
    expect(ep).toMatchObject({ name: 'worker-pool', protocol: 'tcp', host: '127.0.0.1' });
    expect(ep.tryWith).toBe(`nc 127.0.0.1 ${ep.port}`);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: ep.host, port: ep.port }, () => s.write('hello\r\n'));
      s.on('data', (d) => {
        resolve(d.toString());
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(reply).toBe('done hello\n');
  });

  it('rejects arguments outside the bounds (at most 60 s of load, K ≥ 1)', async () => {
    const { demo } = await startDemo();
    expect(() => demo.commands.load.args.parse({ connections: 10, durationMs: 61_000 })).toThrow();
    expect(() => demo.commands.configure.args.parse({ workers: 0 })).toThrow();
    expect(() => demo.commands.configure.args.parse({ workers: 2, extra: 1 })).toThrow();
  });

  it('runs a load, publishes stats while it runs, refuses a second run or a new configuration meanwhile, and stops early', async () => {
    const { demo, events } = await startDemo();
    await call(demo, 'configure', { workers: 2, queue: 2, workMs: 10 });
    expect(events.filter((e) => e.kind === 'workerPool.config').at(-1)).toMatchObject({
      config: { workers: 2, queue: 2, workMs: 10, mode: 'pool' },
    });
    await call(demo, 'load', { connections: 6, durationMs: 30_000 });
    await expect(call(demo, 'load', { connections: 1, durationMs: 1000 })).rejects.toThrow(/already/);
    await expect(call(demo, 'configure', { workers: 4 })).rejects.toThrow(/load run/);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const stopped = (await call(demo, 'stopLoad', {})) as { stopped: boolean };
    expect(stopped.stopped).toBe(true);
    const end = events.find((e) => e.kind === 'workerPool.loadEnd');
    expect(end).toMatchObject({ stoppedEarly: true });
    expect(end && end.kind === 'workerPool.loadEnd' && end.seconds).toBeLessThan(5);
    const running = events.filter((e) => e.kind === 'workerPool.stats' && e.loadRunning);
    expect(running.length).toBeGreaterThanOrEqual(1);
    for (const s of running) if (s.kind === 'workerPool.stats') expect(s.busyMax).toBeLessThanOrEqual(2);
    expect(await call(demo, 'stopLoad', {})).toEqual({ stopped: false });
    // Once a run's result is in, the pool can be changed and another run started straight away.
    await demo.runLoad({ connections: 1, durationMs: 300 });
    await call(demo, 'configure', { workers: 3 });
    expect(events.filter((e) => e.kind === 'workerPool.config').at(-1)).toMatchObject({ config: { workers: 3 } });
  });

  it('stops a load run when the browser session that started it leaves, not when another one does', async () => {
    const { demo, events } = await startDemo();
    await call(demo, 'load', { connections: 2, durationMs: 30_000 });
    demo.sessionClosed('someone-else');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.some((e) => e.kind === 'workerPool.loadEnd')).toBe(false);
    demo.sessionClosed('s1');
    await expect
      .poll(() => events.find((e) => e.kind === 'workerPool.loadEnd'), { timeout: 5000 })
      .toMatchObject({ stoppedEarly: true });
  });

  it('headless twin: two clients do not queue, eight do; K=2 bounds the busy workers throughout', async () => {
    const lines: string[] = [];
    const printed = await runHeadless(new WorkerPoolDemo(), {
      host: '127.0.0.1',
      demoPortBase: 0,
      seconds: 30,
      format: 'json',
      write: (l) => lines.push(l),
    });
    expect(printed).toBe(lines.length);
    const events = lines.map((l) => JSON.parse(l) as LabEvent);
    expect(events.every((e) => e.demo === 'worker-pool')).toBe(true);
    const ends = events.filter((e) => e.kind === 'workerPool.loadEnd');
    expect(ends).toHaveLength(2);
    const stats = events.flatMap((e) => (e.kind === 'workerPool.stats' && e.loadRunning ? [e] : []));
    const withFew = stats.filter((s) => s.connections === 2);
    const withMany = stats.filter((s) => s.connections === 8);
    expect(withFew.length).toBeGreaterThan(0);
    expect(withMany.length).toBeGreaterThan(0);
    for (const s of stats) expect(s.busyMax).toBeLessThanOrEqual(2);
    // Two clients for two workers: nothing waits in the queue. Eight: the queue fills (capacity 4).
    expect(Math.max(...withFew.map((s) => s.queueMax))).toBe(0);
    expect(Math.max(...withMany.map((s) => s.queueMax))).toBe(4);
    // Queueing costs latency: the median with 8 clients is well above the one with 2.
    const median = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null).sort((a, b) => a - b)[0];
    expect(median(withMany.map((s) => s.p50Ms))).toBeGreaterThan(2 * median(withFew.map((s) => s.p50Ms)));
    // 2 readers + 2 workers, then 8 readers + 2 workers, as goroutines.
    expect(withMany.at(-1)!.goroutines).toBe(10);
    expect(events.some((e) => e.kind === 'go.spawn' && e.fn === 'worker')).toBe(true);
    expect(events.at(-1)?.kind).toBe('demo.stopped');
  }, 60_000);
});
