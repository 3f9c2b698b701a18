import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { NetpollerRunArgs } from '../../../core/protocol/demos/netpoller';
import type { LabEventBody } from '../../../core/protocol/events';
import type { ServerMeasurement } from '../../../core/protocol/events/netpoller';
import type { Capability } from '../../../core/protocol/wire';
import { loadRecording, NetpollerDemo, type NetpollerDemoOptions } from './netpollerDemo';

const demos: NetpollerDemo[] = [];
afterEach(async () => {
  for (const d of demos.splice(0)) await d.stop();
});

async function started(options: NetpollerDemoOptions = {}) {
  const demo = new NetpollerDemo(options);
  demos.push(demo);
  const events: LabEventBody[] = [];
  const capabilities: Record<string, Capability> = {};
  await demo.start({
    host: '127.0.0.1',
    port: () => 0,
    emit: (e) => events.push(e),
    setCapability: (name, c) => (capabilities[name] = c),
  });
  return { demo, events, capabilities };
}

const isRoot = process.getuid?.() === 0;
const SMALL = NetpollerRunArgs.parse({ idle: 60, busy: 2, windowMs: 500 });
const byServer = (results: ServerMeasurement[]) => Object.fromEntries(results.map((m) => [m.server, m]));

describe('NetpollerDemo', () => {
  it('measures the three real servers: a thread per connection follows the connections, Go and Node do not', async () => {
    const { demo, events, capabilities } = await started();
    const results = byServer(await demo.measure(SMALL));
    expect(Object.keys(results).sort()).toEqual(['go', 'node', 'threads']);
    for (const m of Object.values(results)) {
      expect(m.recorded).toBeUndefined();
      expect(m.idle).toBe(60);
      expect(m.busy).toBe(2);
      expect(m.threads).toBe(m.tasks); // the two readings of one count, in a settled process
      expect(m.rssKiB).toBeGreaterThan(0);
      expect(m.roundTripsPerSecond).toBeGreaterThan(0);
    }
    // 62 connections, a thread each, plus the accept loop's and the runtime's own.
    expect(results.threads!.threads).toBeGreaterThanOrEqual(62);
    expect(results.go!.threads).toBeLessThan(results.threads!.threads / 2);
    expect(results.node!.threads).toBeLessThan(results.threads!.threads / 2);
    if (isRoot) {
      expect(capabilities['system call counts']?.available).toBe(true);
      const go = results.go!.syscalls;
      expect(go.by).toBe('strace');
      if (go.by === 'strace') {
        const names = go.rates.map((r) => r.syscall);
        expect(names.some((n) => n === 'epoll_pwait' || n === 'epoll_wait')).toBe(true);
        expect(names).toContain('read');
        expect(names).toContain('write');
        expect(go.totalPerSecond).toBeGreaterThan(0);
      }
    }
    const kinds = events.map((e) => e.kind);
    expect(kinds[0]).toBe('demo.started');
    expect(kinds).toContain('netpoller.runStart');
    expect(kinds.filter((k) => k === 'netpoller.result')).toHaveLength(3);
    expect(kinds.at(-1)).toBe('netpoller.runEnd');
    const progress = events.filter((e) => e.kind === 'netpoller.progress').map((e) => e.phase);
    expect(progress).toEqual(
      expect.arrayContaining(['building', 'starting', 'connecting', 'measuring', 'tracing', 'done']),
    );
  }, 240_000);

  it.runIf(isRoot)(
    'as an unprivileged tracer (setpriv to nobody) it says why and keeps the /proc figures',
    async () => {
      const { demo } = await started({
        tracer: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'strace'],
      });
      const [m] = await demo.measure({ ...SMALL, servers: ['node'] });
      expect(m!.syscalls.by).toBe('none');
      if (m!.syscalls.by === 'none') expect(m!.syscalls.reason).toMatch(/Operation not permitted/);
      expect(m!.threads).toBeGreaterThan(0);
      expect(m!.cpuMsPerSecond).toBeGreaterThanOrEqual(0);
    },
    120_000,
  );

  it('without strace: the capability says so with how to install it, and the figures say why calls are missing', async () => {
    const { demo, capabilities } = await started({ tracer: ['/nonexistent/strace'] });
    expect(capabilities['system call counts']).toMatchObject({ available: false, howTo: 'apt install strace' });
    const [m] = await demo.measure({ ...SMALL, servers: ['node'] });
    expect(m!.syscalls).toEqual({ by: 'none', reason: '/nonexistent/strace is not installed' });
  }, 120_000);

  it('without Go: the Go servers’ figures are the lab’s recording, labelled with when and where; Node is measured', async () => {
    const { demo, events } = await started({ go: '/nonexistent/go' });
    const results = byServer(await demo.measure({ ...SMALL, servers: ['go', 'threads', 'node'] }));
    const recording = loadRecording()!;
    expect(results.go!.recorded).toEqual({ at: recording.at, machine: recording.machine });
    expect(results.threads!.recorded?.machine.go).toMatch(/^go1\./);
    expect(results.threads!.threads).toBeGreaterThan(1000);
    expect(results.node!.recorded).toBeUndefined();
    const start = events.find((e) => e.kind === 'netpoller.runStart');
    expect(start && start.kind === 'netpoller.runStart' && start.machine.go).toBeNull();
  }, 120_000);

  it('one run at a time: another page is refused while it goes, and Stop ends it early', async () => {
    const { demo, events } = await started();
    const first = demo.commands.run!.run(NetpollerRunArgs.parse({ idle: 20, busy: 1, servers: ['node'] }), {
      session: 'a',
      local: true,
    });
    expect(first).toMatchObject({ started: true });
    expect(() =>
      demo.commands.run!.run(NetpollerRunArgs.parse({ servers: ['node'] }), { session: 'b', local: true }),
    ).toThrow(expect.objectContaining({ code: 'E_DEMO_IN_USE' }));
    await expect(demo.commands.stop!.run({}, { session: 'b', local: false })).rejects.toMatchObject({
      code: 'E_NOT_OWNER',
    });
    await expect(demo.commands.stop!.run({}, { session: 'a', local: true })).resolves.toEqual({ stopped: true });
    const end = events.find((e) => e.kind === 'netpoller.runEnd');
    expect(end).toMatchObject({ stoppedEarly: true });
  }, 60_000);

  it('the thread-per-connection server passes go vet', () => {
    const dir = fileURLToPath(new URL('./threadServer/', import.meta.url));
    const r = spawnSync('go', ['vet', 'main.go'], {
      cwd: dir,
      env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'off', GOPROXY: 'off' },
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('refuses knobs out of bounds', () => {
    expect(NetpollerRunArgs.safeParse({ idle: 5000 }).success).toBe(false);
    expect(NetpollerRunArgs.safeParse({ busy: 0 }).success).toBe(false);
    expect(NetpollerRunArgs.safeParse({ windowMs: 100 }).success).toBe(false);
    expect(NetpollerRunArgs.safeParse({ servers: ['go', 'go'] }).success).toBe(false);
    expect(NetpollerRunArgs.safeParse({ servers: ['apache'] }).success).toBe(false);
  });
});
