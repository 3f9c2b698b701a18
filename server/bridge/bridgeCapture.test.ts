// A bridge session's own packet capture and kernel states on real loopback: a bridged dial's handshake and teardown
// under the session's demo id, the zero window of a conn the snippet stops reading, the cap on followed connections,
// no tcpdump left behind, and the fall-back to polled states when tcpdump cannot capture.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOfKind, LabEvent } from '../../core/protocol/events.js';
import type { WireError } from '../../core/protocol/errors.js';
import { findExecutable, liveCaptureCount } from '../observers/capture/captureObserver.js';
import type { BridgeClient, BridgeConn, BridgeListener, Outcome } from '@core/bridge/bridgeClient.js';
import { startTestLab, type TestLabServer } from './testLabServer.js';

const canCapture = findExecutable('tcpdump') !== null && process.getuid?.() === 0;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** tcpdumps of this process besides the sessions' own (the lab's handshake demo runs one). */
let baseline = 0;
const sessionCaptures = () => liveCaptureCount() - baseline;

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(10);
  }
}

/** Every event a lab publishes, by demo (the bus keeps only the latest 2,000 per demo). */
function record(lab: TestLabServer): (demo: string) => LabEvent[] {
  const all: LabEvent[] = [];
  lab.lab.bus.subscribe((e) => void all.push(e));
  return (demo) => all.filter((e) => e.demo === demo);
}
function ofKind<K extends LabEvent['kind']>(events: LabEvent[], kind: K): EventOfKind<K>[] {
  return events.filter((e): e is EventOfKind<K> => e.kind === kind);
}

const dial = (c: BridgeClient, a: string) => new Promise<Outcome<BridgeConn>>((r) => c.dial(a, r));
async function mustDial(c: BridgeClient, a: string): Promise<BridgeConn> {
  const o = await dial(c, a);
  if (!o.ok) throw new Error(o.error.code);
  return o.value;
}
async function mustListen(c: BridgeClient): Promise<BridgeListener> {
  const o = await new Promise<Outcome<BridgeListener>>((r) => c.listen('127.0.0.1:0', r));
  if (!o.ok) throw new Error(o.error.code);
  return o.value;
}
function accept(l: BridgeListener): Promise<BridgeConn | null> {
  return new Promise((resolve) => {
    const attempt = () => {
      const c = l.backlog.shift();
      if (c) resolve(c);
      else if (l.closed) resolve(null);
      else l.onAcceptable = attempt;
    };
    attempt();
  });
}
function read(conn: BridgeConn): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const attempt = () => {
      const buf = new Uint8Array(64 * 1024);
      const n = conn.readInto(buf);
      if (n > 0) resolve(buf.subarray(0, n));
      else if (conn.eof || conn.closed) resolve(null);
      else conn.onReadable = attempt;
    };
    attempt();
  });
}
const write = (conn: BridgeConn, s: string) =>
  new Promise<WireError | null>((r) => void conn.write(new TextEncoder().encode(s), r));
/** Dial, one echo, close: the whole life of a connection. */
async function echoOnce(c: BridgeClient, port: number): Promise<string> {
  const conn = await mustDial(c, `127.0.0.1:${port}`);
  await write(conn, 'hello capture\n');
  await read(conn);
  conn.close();
  return `127.0.0.1:${conn.local.port}`;
}

describe.runIf(canCapture)('a bridge session with capture', () => {
  let lab: TestLabServer;
  let eventsOf: (demo: string) => LabEvent[];
  let echoPort: number;
  beforeAll(async () => {
    lab = await startTestLab();
    eventsOf = record(lab);
    echoPort = lab.demoPort('echo');
    baseline = liveCaptureCount();
  });
  afterAll(async () => {
    await lab.stop();
    await until(() => liveCaptureCount() === 0, 3000);
  });

  it('captures a bridged dial’s SYN, SYN-ACK, ACK and both FINs under the session demo, and polls its states', async () => {
    const c = await lab.openBridge();
    // A second session talks to the same demo port at the same time: none of its segments are the first's.
    const other = await lab.openBridge();
    const [client, otherClient] = await Promise.all([echoOnce(c, echoPort), echoOnce(other, echoPort)]);
    const server = `127.0.0.1:${echoPort}`;
    const segments = () => ofKind(eventsOf(c.demo), 'packet.segment');
    const flagged = (from: string, flags: string[]) =>
      segments().some(
        (s) => s.from === from && flags.every((f) => s.flags.includes(f)) && s.flags.length === flags.length,
      );
    await until(() => segments().filter((s) => s.flags.includes('FIN')).length >= 2);
    expect(flagged(client, ['SYN'])).toBe(true);
    expect(flagged(server, ['SYN', 'ACK'])).toBe(true);
    expect(segments().find((s) => s.from === client && s.flags.join() === 'ACK')?.relAck).toBe(1);
    expect(segments().some((s) => s.from === client && s.flags.includes('FIN'))).toBe(true);
    expect(segments().some((s) => s.from === server && s.flags.includes('FIN'))).toBe(true);
    expect(segments().every((s) => s.source === 'captured' && s.client === client && s.handshakeSeen)).toBe(true);
    expect(segments().some((s) => s.len === 14)).toBe(true); // the snap length clips payload bytes, not lengths
    expect(ofKind(eventsOf(other.demo), 'packet.segment').every((s) => s.client === otherClient)).toBe(true);
    expect(ofKind(eventsOf(c.demo), 'packet.captureStatus')[0]).toMatchObject({
      status: 'capturing',
      filter: `tcp and (port ${echoPort})`,
    });
    // The client closed first: its socket sits in TIME_WAIT in the kernel table.
    await until(() =>
      ofKind(eventsOf(c.demo), 'tcpState.change').some((p) => p.socket.local === client && p.to === 'TIME_WAIT'),
    );
    const polled = ofKind(eventsOf(c.demo), 'tcpState.change');
    expect(
      polled.every((p) => p.source === 'polled' && (p.socket.local === client || p.socket.remote === client)),
    ).toBe(true);
    // Closing the session stops its tcpdump and its poller.
    expect(sessionCaptures()).toBe(2);
    c.close();
    other.close();
    await until(() => sessionCaptures() === 0, 3000);
    await until(() => ofKind(eventsOf(c.demo), 'tcpState.pollerStatus').some((p) => p.status === 'stopped'));
  });

  it('shows the zero window a peer’s writes hit when the snippet stops reading (no credit granted)', async () => {
    const c = await lab.openBridge();
    const l = await mustListen(c);
    const listenEnd = `127.0.0.1:${l.local.port}`;
    const peer = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port: l.local.port }, () => resolve(s));
      s.once('error', reject);
    });
    const conn = (await accept(l))!;
    // The peer writes far more than the bridge's window and the kernel buffers hold; the snippet never reads.
    const block = Buffer.alloc(256 * 1024, 0x62);
    let writing = true;
    void (async () => {
      for (let i = 0; i < 256 && writing; i++) if (!peer.write(block)) await new Promise((r) => peer.once('drain', r));
    })();
    const zero = () =>
      ofKind(eventsOf(c.demo), 'packet.segment').find(
        (s) => s.from === listenEnd && s.window === 0 && s.flags.includes('ACK'),
      );
    await until(() => zero() !== undefined, 15_000);
    expect(zero()).toMatchObject({ source: 'captured', to: `127.0.0.1:${peer.localPort}` });
    // The browser side holds no more than its window: the rest waits in the kernel, advertised as window 0.
    expect(conn.buffered).toBeLessThanOrEqual(c.limits.recvWindow.connBytes + 256 * 1024);
    writing = false;
    peer.destroy();
    c.close();
    await until(() => sessionCaptures() === 0, 3000);
  });
});

describe.runIf(canCapture)('a bridge session with a busy connection', () => {
  it('publishes a bounded number of data segments a second, always the handshake and FINs, and says so', async () => {
    // A budget the transfer exceeds however slowly a busy machine runs it (24 MiB is hundreds of segments).
    const budget = 40;
    const lab = await startTestLab({ bridge: { capture: { segmentsPerSecond: budget } } });
    const eventsOf = record(lab);
    try {
      const c = await lab.openBridge();
      const notices: WireError[] = [];
      c.onNotice = (e) => notices.push(e);
      const conn = await mustDial(c, `127.0.0.1:${lab.demoPort('echo')}`);
      const total = 24 * 1024 * 1024;
      let got = 0;
      const reading = (async () => {
        while (got < total) {
          const chunk = await read(conn);
          if (!chunk) break;
          got += chunk.length;
        }
      })();
      for (let sent = 0; sent < total; sent += 64 * 1024)
        await new Promise((r) => void conn.write(new Uint8Array(64 * 1024), r));
      await reading;
      conn.close();
      const segments = () => ofKind(eventsOf(c.demo), 'packet.segment');
      await until(() => segments().filter((s) => s.flags.includes('FIN')).length >= 2);
      expect(segments().some((s) => s.flags.join() === 'SYN')).toBe(true);
      expect(notices.map((n) => n.code)).toContain('E_BRIDGE_CAPTURE_SAMPLED');
      const perSecond = new Map<number, number>();
      for (const s of segments())
        if (!s.flags.some((f) => f === 'SYN' || f === 'FIN') && s.window !== 0)
          perSecond.set(Math.floor(s.at / 1000), (perSecond.get(Math.floor(s.at / 1000)) ?? 0) + 1);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(budget);
      c.close();
    } finally {
      await lab.stop();
    }
  });
});

describe.runIf(canCapture)('a bridge session with many connections', () => {
  let lab: TestLabServer;
  let eventsOf: (demo: string) => LabEvent[];
  beforeAll(async () => {
    lab = await startTestLab({ bridge: { capture: { maxConns: 2 } } });
    eventsOf = record(lab);
    baseline = liveCaptureCount();
  });
  afterAll(async () => {
    await lab.stop();
  });

  it('follows only the first connections, says so once, and runs one tcpdump per port, not per connection', async () => {
    const c = await lab.openBridge();
    const notices: WireError[] = [];
    c.onNotice = (e) => notices.push(e);
    const port = lab.demoPort('echo');
    const clients: string[] = [];
    for (let i = 0; i < 6; i++) clients.push(await echoOnce(c, port));
    await until(() => notices.length > 0);
    expect(sessionCaptures()).toBe(1);
    expect(notices.map((n) => n.code)).toEqual(['E_BRIDGE_CAPTURE_LIMIT']);
    expect(ofKind(eventsOf(c.demo), 'demo.error').map((e) => e.error.code)).toEqual(['E_BRIDGE_CAPTURE_LIMIT']);
    await delay(300);
    const seen = new Set(ofKind(eventsOf(c.demo), 'packet.segment').map((s) => s.client));
    expect([...seen].sort()).toEqual(clients.slice(0, 2).sort());
    expect(new Set(ofKind(eventsOf(c.demo), 'packet.segment').map((s) => s.connection))).toEqual(new Set([1, 2]));
    c.close();
    await until(() => sessionCaptures() === 0, 3000);
  });
});

describe('a bridge session without capture', () => {
  it.runIf(canCapture)('falls back to polled states and says why when tcpdump has no permission', async () => {
    const lab = await startTestLab({ bridge: { capture: { observer: { runAsUser: 'nobody' } } } });
    const eventsOf = record(lab);
    baseline = liveCaptureCount();
    try {
      const c = await lab.openBridge();
      const conn = await mustDial(c, `127.0.0.1:${lab.demoPort('echo')}`);
      const client = `127.0.0.1:${conn.local.port}`;
      await until(() =>
        ofKind(eventsOf(c.demo), 'tcpState.change').some((p) => p.socket.local === client && p.to === 'ESTABLISHED'),
      );
      const status = ofKind(eventsOf(c.demo), 'packet.captureStatus');
      expect(status.map((s) => s.status)).toEqual(['unavailable']);
      expect(status[0]).toMatchObject({
        error: { code: 'E_CAPTURE_NOT_PERMITTED' },
        enableCommand: expect.stringMatching(/^sudo setcap /),
        howToEnable: { en: expect.any(String), zh: expect.any(String) },
      });
      expect(ofKind(eventsOf(c.demo), 'packet.segment')).toEqual([]);
      expect(sessionCaptures()).toBe(0);
      c.close();
    } finally {
      await lab.stop();
    }
  });

  it('falls back to polled states when there is no tcpdump', async () => {
    const lab = await startTestLab({ bridge: { capture: { observer: { tcpdump: 'gonet-lab-no-such-tcpdump' } } } });
    const eventsOf = record(lab);
    try {
      const c = await lab.openBridge();
      const l = await mustListen(c);
      await mustDial(c, `127.0.0.1:${l.local.port}`);
      await accept(l);
      const status = ofKind(eventsOf(c.demo), 'packet.captureStatus');
      expect(status).toHaveLength(1);
      expect(status[0]).toMatchObject({ status: 'unavailable', error: { code: 'E_CAPTURE_NO_TCPDUMP' } });
      if (process.platform === 'linux') {
        await until(() =>
          ofKind(eventsOf(c.demo), 'tcpState.change').some(
            (p) => p.socket.local === `127.0.0.1:${l.local.port}` && p.to === 'ESTABLISHED',
          ),
        );
        expect(ofKind(eventsOf(c.demo), 'tcpState.change').some((p) => p.to === 'LISTEN')).toBe(true);
      }
      c.close();
    } finally {
      await lab.stop();
    }
  });
});
