// Runs the real tcpdump on loopback against connections the test makes (root or a setcap'd tcpdump needed, as in CI).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { PacketEvent, PacketSegmentEvent } from '../../../core/protocol/events/packet.js';
import type { CaptureEventBody } from './captureProcessor.js';
import {
  CaptureObserver,
  captureFilter,
  explainCaptureFailure,
  findExecutable,
  liveCaptureCount,
} from './captureObserver.js';

async function listen(host = '127.0.0.1'): Promise<net.Server> {
  const server = net.createServer((s) => {
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  return server;
}

/** Connects, sends `text`, reads the echo, closes first and waits until both sides are closed. */
async function echoOnce(port: number, host = '127.0.0.1', text = 'hello'): Promise<number> {
  const client = net.connect(port, host);
  await new Promise((r) => client.once('connect', r));
  const localPort = client.localPort!;
  client.write(text);
  await new Promise((r) => client.once('data', r));
  client.end();
  await new Promise((r) => client.once('close', r));
  return localPort;
}

function segments(events: CaptureEventBody[]): PacketSegmentEvent[] {
  return events.filter((e): e is PacketSegmentEvent => e.kind === 'packet.segment');
}

/** The model's last step of a normal close: the side that closed second leaves LAST_ACK when the final ACK arrives. */
const lastAckOfTeardown = (e: CaptureEventBody): boolean =>
  e.kind === 'tcpState.inferred' && e.from === 'LAST_ACK' && e.to === 'CLOSED';

const hasTcpdump = findExecutable('tcpdump') !== null;

describe('captureFilter', () => {
  it('joins ports and refuses non-ports', () => {
    expect(captureFilter([7401, 7402, 7401])).toBe('tcp and (port 7401 or port 7402)');
    expect(captureFilter([7420], ['udp'])).toBe('udp and (port 7420)');
    expect(captureFilter([7420, 7421], ['tcp', 'udp'])).toBe('(tcp or udp) and (port 7420 or port 7421)');
    expect(() => captureFilter([7420], [])).toThrow(RangeError);
    expect(() => captureFilter([0])).toThrow(RangeError);
    expect(() => captureFilter([])).toThrow(RangeError);
  });
});

describe('explainCaptureFailure', () => {
  it('recognises a permission problem and says how to enable capture on Linux and macOS', () => {
    const linux = explainCaptureFailure(
      "tcpdump: lo: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)",
      'linux',
      '/usr/bin/tcpdump',
    );
    expect(linux.status).toBe('unavailable');
    expect(linux.error?.code).toBe('E_CAPTURE_NOT_PERMITTED');
    expect(linux.enableCommand).toBe('sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump');
    const mac = explainCaptureFailure(
      'tcpdump: (cannot open BPF device) /dev/bpf0: Permission denied',
      'darwin',
      '/usr/sbin/tcpdump',
    );
    expect(mac.enableCommand).toBe('sudo chmod o+r /dev/bpf*');
    expect(mac.howToEnable?.zh).toContain('抓包');
  });

  it('calls anything else a failure and keeps what tcpdump said', () => {
    const r = explainCaptureFailure('tcpdump: syntax error in filter expression', 'linux', '/usr/bin/tcpdump');
    expect(r).toMatchObject({
      status: 'failed',
      error: { code: 'E_CAPTURE_FAILED', detail: 'tcpdump: syntax error in filter expression' },
    });
  });
});

describe.runIf(hasTcpdump)('CaptureObserver (real tcpdump on loopback)', () => {
  it.each([
    ['lo, EN10MB, µs', 'lo', [], '127.0.0.1', 'EN10MB'],
    ['lo, EN10MB, ns', 'lo', ['--time-stamp-precision=nano'], '127.0.0.1', 'EN10MB'],
    ['any, LINUX_SLL2', 'any', [], '127.0.0.1', 'LINUX_SLL2'],
    ['any, LINUX_SLL', 'any', ['-y', 'LINUX_SLL'], '127.0.0.1', 'LINUX_SLL'],
    ['lo, IPv6', 'lo', [], '::1', 'EN10MB'],
  ] as const)('decodes a connection it captured (%s)', async (_name, iface, extraArgs, host, linkType) => {
    const server = await listen(host);
    const port = (server.address() as net.AddressInfo).port;
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({
      ports: [port],
      emit: (e) => events.push(e),
      interfaceName: iface,
      extraArgs,
    });
    let clientPort: number;
    try {
      expect(await observer.start()).toEqual({ status: 'capturing' });
      clientPort = await echoOnce(port, host);
      expect(await observer.waitFor(lastAckOfTeardown, 5000)).toBe(true);
    } finally {
      await observer.stop();
      server.close();
    }

    const segs = segments(events);
    // libpcap drops the outgoing copy of loopback packets on -i any, so every capture sees each segment once.
    const unique = segs;
    const shape = unique.map((s) => `${s.role} ${s.flags.join('+')} ${s.relSeq} ${s.relAck ?? '-'} ${s.len}`);
    expect(shape.slice(0, 3)).toEqual(['client SYN 0 - 0', 'server SYN+ACK 0 1 0', 'client ACK 1 1 0']);
    expect(shape).toContain('client PSH+ACK 1 1 5');
    expect(shape).toContain('server PSH+ACK 1 6 5');
    expect(unique.filter((s) => s.flags.includes('FIN'))).toHaveLength(2);
    const syn = unique[0]!;
    const synAck = unique[1]!;
    expect(synAck.ackNum).toBe((syn.seqNum + 1) >>> 0);
    expect(unique[2]!.ackNum).toBe((synAck.seqNum + 1) >>> 0);
    expect(syn.from).toBe(host.includes(':') ? `[::1]:${clientPort}` : `127.0.0.1:${clientPort}`);
    expect(syn.headers.tcp.options.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['mss', 'sackPermitted', 'timestamps', 'wscale']),
    );
    expect(syn.linkType).toBe(linkType);
    expect(syn.headers.ip.version).toBe(host.includes(':') ? 6 : 4);
    // The payload bytes are in the hex: "hello".
    const data = unique.find((s) => s.len === 5)!;
    expect(data.hex.slice(data.layout.payloadOffset * 2, data.layout.capturedEnd * 2)).toBe(
      Buffer.from('hello').toString('hex'),
    );
    // Capture times are real and ordered.
    expect(Math.abs(syn.at - Date.now())).toBeLessThan(30_000);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.at).toBeGreaterThanOrEqual(segs[i - 1]!.at);
    if ((extraArgs as readonly string[]).includes('--time-stamp-precision=nano'))
      expect(segs.some((s) => s.tsNsec % 1000 !== 0)).toBe(true);

    const statuses = events
      .filter((e): e is Extract<PacketEvent, { kind: 'packet.captureStatus' }> => e.kind === 'packet.captureStatus')
      .map((e) => e.status);
    expect(statuses).toEqual(['capturing', 'stopped']);
    expect(events.filter((e) => e.kind === 'packet.decodeError')).toEqual([]);
    expect(liveCaptureCount()).toBe(0);
  });

  it("infers both ends' states from the segments and labels them modelled", async () => {
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({ ports: [port], emit: (e) => events.push(e) });
    try {
      await observer.start();
      await echoOnce(port);
      await observer.waitFor(lastAckOfTeardown);
    } finally {
      await observer.stop();
      server.close();
    }
    const inferred = events.flatMap((e) =>
      e.kind === 'tcpState.inferred' ? [`${e.socket.remote.endsWith(`:${port}`) ? 'client' : 'server'} ${e.to}`] : [],
    );
    expect(inferred.slice(0, 4)).toEqual([
      'client SYN_SENT',
      'server SYN_RECV',
      'client ESTABLISHED',
      'server ESTABLISHED',
    ]);
    expect(inferred).toContain('client TIME_WAIT');
    expect(inferred).toContain('server CLOSED');
    expect(events.filter((e) => e.kind === 'tcpState.inferred').every((e) => e.source === 'modelled')).toBe(true);
  });

  it('only reports traffic on the given ports', async () => {
    const watched = await listen();
    const other = await listen();
    const watchedPort = (watched.address() as net.AddressInfo).port;
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({ ports: [watchedPort], emit: (e) => events.push(e) });
    try {
      await observer.start();
      await echoOnce((other.address() as net.AddressInfo).port);
      await echoOnce(watchedPort);
      await observer.waitFor(lastAckOfTeardown);
    } finally {
      await observer.stop();
      watched.close();
      other.close();
    }
    expect(segments(events).length).toBeGreaterThanOrEqual(8);
    expect([...new Set(segments(events).map((s) => s.server))]).toEqual([`127.0.0.1:${watchedPort}`]);
  });

  it('says capture is not permitted, and how to enable it, when tcpdump runs as an unprivileged user', async () => {
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({ ports: [9], emit: (e) => events.push(e), runAsUser: 'nobody' });
    const outcome = await observer.start();
    expect(outcome.status).toBe('unavailable');
    expect(outcome.error?.code).toBe('E_CAPTURE_NOT_PERMITTED');
    expect(outcome.error?.detail).toMatch(/permission/i);
    expect(outcome.enableCommand).toMatch(/^sudo setcap cap_net_raw,cap_net_admin=eip \/.*tcpdump$/);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'packet.captureStatus',
        status: 'unavailable',
        error: expect.objectContaining({ code: 'E_CAPTURE_NOT_PERMITTED' }),
        enableCommand: outcome.enableCommand,
      }),
    ]);
    expect(observer.running).toBe(false);
    expect(liveCaptureCount()).toBe(0);
  });

  it('reports the death of tcpdump mid-run as a failure with what it said', async () => {
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({ ports: [port], emit: (e) => events.push(e) });
    try {
      await observer.start();
      await echoOnce(port);
      expect(await observer.waitFor(lastAckOfTeardown)).toBe(true);
      // Kill it behind the observer's back, as the OOM killer or a stray `kill` would.
      process.kill(observer.pid!, 'SIGKILL');
      await observer.waitFor((e) => e.kind === 'packet.captureStatus' && e.status === 'failed');
    } finally {
      server.close();
    }
    const last = events.at(-1);
    expect(last).toMatchObject({ kind: 'packet.captureStatus', status: 'failed', error: { code: 'E_CAPTURE_FAILED' } });
    expect(segments(events).length).toBeGreaterThanOrEqual(8);
    expect(observer.running).toBe(false);
    await observer.stop();
  });
});

describe('CaptureObserver without tcpdump', () => {
  it('says tcpdump is missing and how to install it, and starts nothing', async () => {
    const events: CaptureEventBody[] = [];
    const observer = new CaptureObserver({ ports: [9], emit: (e) => events.push(e), env: { PATH: '/nonexistent' } });
    const outcome = await observer.start();
    expect(outcome).toMatchObject({ status: 'unavailable', error: { code: 'E_CAPTURE_NO_TCPDUMP' } });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'packet.captureStatus',
        status: 'unavailable',
        howToEnable: expect.objectContaining({ en: expect.any(String), zh: expect.any(String) }),
      }),
    ]);
    expect(observer.running).toBe(false);
  });
});

describe.runIf(hasTcpdump && process.platform === 'linux')('tcpdump never outlives the server', () => {
  it('dies with a server that is killed outright (no chance to clean up)', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const fixture = fileURLToPath(new URL('./fixtures/captureThenHang.ts', import.meta.url));
    const server = spawn(process.execPath, ['--import', 'tsx', fixture, '9'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) =>
      server.stdout!.once('data', (d: Buffer) => resolve(d.toString())),
    );
    const { status, pid } = JSON.parse(line) as { status: string; pid: number };
    expect(status).toBe('capturing');
    const { readFileSync } = await import('node:fs');
    // Running, or at least not yet dead: a zombie (state Z) has exited and only waits for its new parent to reap it.
    const alive = (p: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(alive(pid)).toBe(true);
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });
});
