// The socket bridge against a real lab server: relaying, read boundaries, end-to-end flow control, policy, quotas,
// protocol violations and clean-up, through the same client the snippet worker uses (here over the `ws` package).
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LabEvent } from '../../core/protocol/events.js';
import {
  BRIDGE_PROTOCOL_VERSION,
  encodeData,
  MAX_CONTROL_MESSAGE_BYTES,
  type BridgeServerMessage,
} from '../../core/protocol/bridge.js';
import type { WireError } from '../../core/protocol/errors.js';
import { BridgeClient, type BridgeConn, type BridgeListener, type Outcome } from '@core/bridge/bridgeClient.js';
import { labOrigin, nodeTransport, startTestLab, type TestLabServer } from './testLabServer.js';

let lab: TestLabServer;
let echoPort: number;
const opened: BridgeClient[] = [];

beforeAll(async () => {
  lab = await startTestLab();
  echoPort = lab.demoPort('echo');
});
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});
afterAll(async () => {
  await lab.stop();
});

async function open(target: TestLabServer = lab): Promise<BridgeClient> {
  const c = await target.openBridge();
  opened.push(c);
  return c;
}
const dial = (c: BridgeClient, a: string) => new Promise<Outcome<BridgeConn>>((r) => c.dial(a, r));
const listen = (c: BridgeClient, a: string) => new Promise<Outcome<BridgeListener>>((r) => c.listen(a, r));
async function mustDial(c: BridgeClient, a: string): Promise<BridgeConn> {
  const o = await dial(c, a);
  if (!o.ok) throw new Error(o.error.code);
  return o.value;
}
async function mustListen(c: BridgeClient): Promise<BridgeListener> {
  const o = await listen(c, '127.0.0.1:0');
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
/** One read, as conn.read(buf) would do it: null at EOF or close. */
function read(conn: BridgeConn, size = 64 * 1024): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const attempt = () => {
      const buf = new Uint8Array(size);
      const n = conn.readInto(buf);
      if (n > 0) resolve(buf.subarray(0, n));
      else if (conn.eof || conn.closed) resolve(null);
      else conn.onReadable = attempt;
    };
    attempt();
  });
}
async function readBytes(conn: BridgeConn, total: number): Promise<Uint8Array> {
  const out = new Uint8Array(total);
  let at = 0;
  while (at < total) {
    const chunk = await read(conn, total - at);
    if (!chunk) break;
    out.set(chunk, at);
    at += chunk.length;
  }
  return out.subarray(0, at);
}
const write = (conn: BridgeConn, data: Uint8Array | string) =>
  new Promise<WireError | null>(
    (r) => void conn.write(typeof data === 'string' ? new TextEncoder().encode(data) : data, r),
  );
const text = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await delay(10);
  }
}
function rawConnect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}
function eventsOf(demo: string): LabEvent[] {
  return lab.lab.bus.recent(demo);
}

describe('relaying', () => {
  it('dials the echo demo, writes and reads the echo, and publishes socket events under the session demo id', async () => {
    const c = await open();
    expect(c.demo).toMatch(/^snippet-[0-9a-f]{6}$/);
    const conn = await mustDial(c, `127.0.0.1:${echoPort}`);
    expect(conn.remote.port).toBe(echoPort);
    expect(await write(conn, 'hello bridge\n')).toBeNull();
    expect(text(await readBytes(conn, 13))).toBe('hello bridge\n');
    const kinds = eventsOf(c.demo).map((e) => e.kind);
    expect(kinds).toContain('socket.open');
    expect(eventsOf(c.demo).find((e) => e.kind === 'socket.data' && e.dir === 'out')).toMatchObject({ len: 13 });
    conn.close();
    await until(() => eventsOf(c.demo).some((e) => e.kind === 'socket.close'));
  });

  it('relays each real read as one chunk, so the snippet sees the server’s read boundaries', async () => {
    const c = await open();
    const l = await mustListen(c);
    const peer = await rawConnect(l.local.port);
    const conn = (await accept(l))!;
    const expected: number[] = [];
    // Writes spaced apart arrive as separate reads; a burst of small writes may arrive as one (sticky packets).
    for (const burst of [['a'], ['bb', 'ccc', 'dddd'], ['eeeee']]) {
      for (const w of burst) peer.write(w);
      await delay(40);
    }
    peer.end();
    const got: number[] = [];
    for (;;) {
      const chunk = await read(conn, 1024);
      if (!chunk) break;
      got.push(chunk.length);
    }
    for (const e of eventsOf(c.demo))
      if (e.kind === 'socket.data' && e.dir === 'in' && e.conn === `b${conn.id}`) expected.push(e.len);
    expect(got).toEqual(expected);
    expect(got.reduce((a, b) => a + b, 0)).toBe(15);
    expect(conn.eof).toBe(true);
  });

  it('connects a snippet’s own listener and dialer, with half-close seen as EOF', async () => {
    const c = await open();
    const l = await mustListen(c);
    const client = await mustDial(c, `127.0.0.1:${l.local.port}`);
    const server = (await accept(l))!;
    expect(server.remote.port).toBe(client.local.port);
    await write(client, 'ping');
    client.closeWrite();
    expect(text(await readBytes(server, 4))).toBe('ping');
    expect(await read(server)).toBeNull();
    expect(server.eof).toBe(true);
    await write(server, 'pong');
    expect(text(await readBytes(client, 4))).toBe('pong');
  });

  it('moves a large transfer intact through the windows in both directions', async () => {
    const c = await open();
    const conn = await mustDial(c, `127.0.0.1:${echoPort}`);
    const data = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 11)) & 0xff;
    const [werr, echoed] = await Promise.all([write(conn, data), readBytes(conn, data.length)]);
    expect(werr).toBeNull();
    expect(echoed.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(echoed), Buffer.from(data))).toBe(0);
  });
});

describe('flow control', () => {
  it('stops reading the real socket when the snippet stops reading, and resumes when it reads', async () => {
    const c = await open();
    const l = await mustListen(c);
    const peer = await rawConnect(l.local.port);
    const conn = (await accept(l))!;
    const total = 16 * 1024 * 1024;
    const block = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    let blocked = false;
    // The peer writes until its kernel buffers are full: with nobody reading, that happens long before 16 MiB.
    while (sent < total) {
      const ok = peer.write(block);
      sent += block.length;
      if (!ok) {
        blocked = await Promise.race([
          delay(500).then(() => true),
          new Promise<boolean>((r) => peer.once('drain', () => r(false))),
        ]);
        if (blocked) break;
      }
    }
    expect(blocked).toBe(true);
    expect(sent).toBeLessThan(total);
    // The browser side holds no more than its window (plus one read), the server paused the socket.
    const window = c.limits.recvWindow.connBytes;
    expect(conn.buffered).toBeLessThanOrEqual(window + 64 * 1024);
    expect(eventsOf(c.demo).some((e) => e.kind === 'socket.pause' && e.conn === `b${conn.id}`)).toBe(true);
    // Reading everything drains the peer: every byte arrives.
    peer.end(); // queued writes go first, then FIN
    let received = 0;
    for (;;) {
      const chunk = await read(conn);
      if (!chunk) break;
      received += chunk.length;
    }
    expect(received).toBe(sent);
  });

  it('blocks the snippet’s writes once its window is spent when the peer never reads', async () => {
    const c = await open();
    const l = await mustListen(c);
    const peer = await rawConnect(l.local.port);
    peer.pause(); // never reads
    const conn = (await accept(l))!;
    const dialer = await mustDial(c, `127.0.0.1:${echoPort}`);
    let finished = false;
    void write(conn, new Uint8Array(10 * 1024 * 1024)).then(() => (finished = true));
    await delay(500);
    expect(finished).toBe(false);
    expect(conn.inFlightBytes).toBeLessThanOrEqual(c.limits.sendWindow.connBytes);
    // The session's other connections still work.
    await write(dialer, 'still alive');
    expect(text(await readBytes(dialer, 11))).toBe('still alive');
    // Closing the blocked conn fails its pending write at once.
    conn.close();
    await until(() => finished);
    peer.destroy();
  });
});

describe('policy and quotas', () => {
  it('refuses dials to ports that are neither a demo nor the session’s own listener', async () => {
    const c = await open();
    const httpPort = await dial(c, `127.0.0.1:${lab.port}`);
    expect(!httpPort.ok && httpPort.error.code).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    const outside = await dial(c, `10.1.2.3:${echoPort}`);
    expect(!outside.ok && outside.error.code).toBe('E_BRIDGE_NOT_LOOPBACK');
    const bad = await dial(c, 'not an address');
    expect(!bad.ok && bad.error.code).toBe('E_BRIDGE_BAD_ADDRESS');
    // Another session's listener is not this session's to dial.
    const other = await open();
    const theirs = await mustListen(other);
    const stolen = await dial(c, `127.0.0.1:${theirs.local.port}`);
    expect(!stolen.ok && stolen.error.code).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    expect(!stolen.ok && stolen.error.message.zh).toMatch(/代码片段/);
  });

  it('a listener on the other loopback address opens no way to what holds 127.0.0.1:P (issue 12, finding 1)', async () => {
    // Something else on the machine (a database, another program) listens on 127.0.0.1:P.
    const database = net.createServer((s) => s.end('secret\n'));
    await new Promise<void>((r) => database.listen(0, '127.0.0.1', r));
    const p = (database.address() as net.AddressInfo).port;
    try {
      const c = await open();
      const shadow = await listen(c, `[::1]:${p}`);
      expect(!shadow.ok && shadow.error.code).toBe('E_BRIDGE_PORT_SHADOWED');
      const reach = await dial(c, `127.0.0.1:${p}`);
      expect(!reach.ok && reach.error.code).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
      // The lab's own web port cannot be shadowed for clients that resolve localhost to ::1 either.
      const lab6 = await listen(c, `[::1]:${lab.port}`);
      expect(!lab6.ok && lab6.error.code).toBe('E_BRIDGE_PORT_SHADOWED');
      // A listener the session holds opens exactly its own address: [::1]:Q, not 127.0.0.1:Q.
      const own = await listen(c, '[::1]:0');
      if (!own.ok) throw new Error(own.error.code);
      const q = own.value.local.port;
      expect((await dial(c, `[::1]:${q}`)).ok).toBe(true);
      const other = await dial(c, `127.0.0.1:${q}`);
      expect(!other.ok && other.error.code).toBe('E_BRIDGE_DIAL_NOT_ALLOWED');
    } finally {
      database.close();
    }
  });

  it('refuses sockets and listeners beyond the session quota, and frees them on close', async () => {
    const small = await startTestLab({ bridge: { limits: { maxSockets: 2, maxListeners: 1 } } });
    try {
      const c = await open(small);
      const port = small.demoPort('echo');
      const a = await mustDial(c, `127.0.0.1:${port}`);
      await mustDial(c, `127.0.0.1:${port}`);
      const third = await dial(c, `127.0.0.1:${port}`);
      expect(!third.ok && third.error.code).toBe('E_BRIDGE_TOO_MANY_SOCKETS');
      a.close();
      await until(() => small.bridge.counters.sockets === 1);
      expect((await dial(c, `127.0.0.1:${port}`)).ok).toBe(true);
      await mustListen(c);
      const l2 = await listen(c, '127.0.0.1:0');
      expect(!l2.ok && l2.error.code).toBe('E_BRIDGE_TOO_MANY_LISTENERS');
    } finally {
      await small.stop();
    }
  });

  it('refuses accepted connections beyond the quota and tells the snippet once', async () => {
    const small = await startTestLab({ bridge: { limits: { maxSockets: 1 } } });
    try {
      const c = await open(small);
      const notices: string[] = [];
      c.onNotice = (e) => notices.push(e.code);
      const l = await mustListen(c);
      const p1 = await rawConnect(l.local.port);
      const p2 = await rawConnect(l.local.port);
      const closedByLab = new Promise<void>((r) => p2.once('close', () => r()));
      p2.on('error', () => {});
      expect(await accept(l)).not.toBeNull();
      await closedByLab;
      expect(notices).toContain('E_BRIDGE_TOO_MANY_SOCKETS');
      p1.destroy();
    } finally {
      await small.stop();
    }
  });

  it('refuses dials beyond the control-message rate with E_BRIDGE_RATE_LIMITED', async () => {
    const small = await startTestLab({ bridge: { limits: { controlPerSecond: 5 } } });
    try {
      const c = await open(small);
      const results = await Promise.all(Array.from({ length: 12 }, () => dial(c, '127.0.0.1:1')));
      const codes = results.map((r) => (r.ok ? 'ok' : r.error.code));
      expect(codes.filter((x) => x === 'E_BRIDGE_RATE_LIMITED').length).toBeGreaterThanOrEqual(6);
    } finally {
      await small.stop();
    }
  });

  it('slows a session that moves more bytes per second than allowed, and says so', async () => {
    const slow = await startTestLab({ bridge: { limits: { bytesPerSecond: 1024 * 1024 } } });
    try {
      const c = await open(slow);
      const notices: string[] = [];
      c.onNotice = (e) => notices.push(e.code);
      const conn = await mustDial(c, `127.0.0.1:${slow.demoPort('echo')}`);
      const data = new Uint8Array(2 * 1024 * 1024);
      const started = Date.now();
      const [, echoed] = await Promise.all([write(conn, data), readBytes(conn, data.length)]);
      expect(echoed.length).toBe(data.length);
      // 2 MiB at 1 MiB/s with a quarter-second burst cannot take less than 1.5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(notices).toContain('E_BRIDGE_THROTTLED');
    } finally {
      await slow.stop();
    }
  });

  it('never strands a conn held back only by the byte rate, even when the clock moves between two readings', async () => {
    // On a busy machine time passes between turning a relay away and arming the wake-up timer; by then the rate may
    // allow again. This clock (real time, plus a little more at every reading) makes that happen often.
    let skew = 0;
    const slow = await startTestLab({
      bridge: { limits: { bytesPerSecond: 1024 * 1024 }, now: () => performance.now() + (skew += 0.05) },
    });
    try {
      const c = await open(slow);
      const conn = await mustDial(c, `127.0.0.1:${slow.demoPort('echo')}`);
      const data = new Uint8Array(2 * 1024 * 1024);
      const [, echoed] = await Promise.all([write(conn, data), readBytes(conn, data.length)]);
      expect(echoed.length).toBe(data.length);
    } finally {
      await slow.stop();
    }
  }, 15_000);

  it('refuses a session when the lab serves as many as it can', async () => {
    const full = await startTestLab({ bridge: { maxSessions: 1 } });
    try {
      await open(full);
      await expect(full.openBridge()).rejects.toMatchObject({ error: { code: 'E_BRIDGE_BUSY' } });
    } finally {
      await full.stop();
    }
  });
});

/** A raw bridge WebSocket that misbehaves on purpose. */
async function rawBridge(
  headers: Record<string, string> = {},
  url = lab.bridgeUrl,
): Promise<{ ws: WebSocket; messages: BridgeServerMessage[]; closed: Promise<number> }> {
  const ws = new WebSocket(url, { headers: { origin: labOrigin(url), ...headers } });
  const messages: BridgeServerMessage[] = [];
  ws.on('message', (d, isBinary) => {
    if (!isBinary) messages.push(JSON.parse(d.toString()) as BridgeServerMessage);
  });
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

describe('per-client and lab-wide limits (issue 12, finding 4)', () => {
  it('one browser machine cannot take every session: past its limit it gets E_BRIDGE_CLIENT_BUSY', async () => {
    const small = await startTestLab({ bridge: { maxSessions: 10, labWide: { maxSessionsPerClient: 2 } } });
    try {
      await open(small);
      const second = await open(small);
      await expect(small.openBridge()).rejects.toMatchObject({ error: { code: 'E_BRIDGE_CLIENT_BUSY' } });
      second.close();
      await until(() => small.bridge.counters.count('session') === 1);
      await open(small);
    } finally {
      await small.stop();
    }
  });

  it('past the lab-wide capture and poller limits a run is told so and its sockets still work, and a closed run gives them back', async () => {
    const small = await startTestLab({ bridge: { labWide: { maxCaptures: 1, maxPollers: 1 } } });
    try {
      const a = await open(small);
      const port = small.demoPort('echo');
      await mustDial(a, `127.0.0.1:${port}`);
      expect(small.bridge.counters.count('capture')).toBe(1);
      expect(small.bridge.counters.count('poller')).toBe(1);
      const b = await open(small);
      const notices: WireError[] = [];
      b.onNotice = (e) => notices.push(e);
      const conn = await mustDial(b, `127.0.0.1:${port}`);
      expect(await write(conn, 'still works\n')).toBeNull();
      expect(text(await readBytes(conn, 12))).toBe('still works\n');
      expect(notices.map((n) => n.code)).toContain('E_BRIDGE_CAPTURE_BUSY');
      expect(small.bridge.counters.count('capture')).toBe(1);
      a.close();
      await until(() => small.bridge.counters.count('capture') === 0 && small.bridge.counters.count('poller') === 0);
    } finally {
      await small.stop();
    }
  });
});

describe('protocol violations end the session, not the lab', () => {
  it('closes a session that sends bytes before hello', async () => {
    const { ws, messages, closed } = await rawBridge();
    ws.send(encodeData(1, new Uint8Array(3)));
    expect(await closed).toBe(1008);
    expect(messages).toContainEqual(
      expect.objectContaining({ type: 'fatal', error: expect.objectContaining({ code: 'E_NOT_READY' }) }),
    );
  });

  it('closes a session that overruns its send window, and closes its sockets', async () => {
    const tight = await startTestLab({
      bridge: { limits: { sendWindow: { connBytes: 4096, connFrames: 4, sessionBytes: 65536, sessionFrames: 64 } } },
    });
    try {
      const { ws, messages, closed } = await rawBridge({}, tight.bridgeUrl);
      ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
      ws.send(JSON.stringify({ type: 'dial', req: 1, address: `127.0.0.1:${tight.demoPort('echo')}` }));
      await until(() => messages.some((m) => m.type === 'dialed'));
      const dialed = messages.find((m) => m.type === 'dialed') as Extract<BridgeServerMessage, { type: 'dialed' }>;
      expect(tight.bridge.counters.sockets).toBe(1);
      ws.send(encodeData(dialed.conn, new Uint8Array(8192))); // twice the conn's window in one frame
      expect(await closed).toBe(1008);
      expect(messages).toContainEqual(
        expect.objectContaining({
          type: 'fatal',
          error: expect.objectContaining({ code: 'E_BRIDGE_WINDOW_EXCEEDED' }),
        }),
      );
      await until(() => tight.bridge.counters.sockets === 0);
    } finally {
      await tight.stop();
    }
  });

  it('closes a session that sends a malformed frame or JSON that is not the protocol', async () => {
    const a = await rawBridge();
    a.ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
    a.ws.send(new Uint8Array([7, 0, 0, 0, 1]));
    expect(await a.closed).toBe(1008);
    expect(a.messages.at(-1)).toMatchObject({ type: 'fatal', error: { code: 'E_BRIDGE_BAD_FRAME' } });
    const b = await rawBridge();
    b.ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
    b.ws.send(JSON.stringify({ type: 'dial', req: 1, address: 42 }));
    expect(await b.closed).toBe(1008);
    expect(b.messages.at(-1)).toMatchObject({ type: 'fatal', error: { code: 'E_BAD_MESSAGE' } });
    const c = await rawBridge();
    c.ws.send(JSON.stringify({ type: 'hello', protocol: 999 }));
    expect(await c.closed).toBe(1008);
    expect(c.messages.at(-1)).toMatchObject({ type: 'fatal', error: { code: 'E_PROTOCOL_MISMATCH' } });
  });

  it('closes a session whose control message is over the limit, and the text names the real limit', async () => {
    const { ws, messages, closed } = await rawBridge();
    ws.send(JSON.stringify({ type: 'hello', protocol: BRIDGE_PROTOCOL_VERSION }));
    ws.send(JSON.stringify({ type: 'dial', req: 1, address: 'x'.repeat(MAX_CONTROL_MESSAGE_BYTES) }));
    expect(await closed).toBe(1008);
    const fatal = messages.at(-1) as Extract<BridgeServerMessage, { type: 'fatal' }>;
    expect(fatal).toMatchObject({ type: 'fatal', error: { code: 'E_BRIDGE_CONTROL_TOO_LARGE' } });
    expect(fatal.error.message.en).toContain(`${MAX_CONTROL_MESSAGE_BYTES / 1024} KiB`);
    expect(fatal.error.message.zh).toContain(`${MAX_CONTROL_MESSAGE_BYTES / 1024} KiB`);
    expect(fatal.error.message.en).not.toContain('64 KiB');
    expect(fatal.error.detail).toContain(String(MAX_CONTROL_MESSAGE_BYTES));
  });

  it('refuses a WebSocket opened by a page of another site', async () => {
    const ws = new WebSocket(lab.bridgeUrl, { headers: { origin: 'http://evil.example' } });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => resolve(-1));
    });
    expect(status).toBe(403);
  });
});

describe('the end of a session', () => {
  it('closes every socket and listener of the session when its WebSocket closes', async () => {
    const c = await BridgeClient.connect(lab.bridgeUrl, nodeTransport);
    const l = await mustListen(c);
    const peer = await rawConnect(l.local.port);
    await accept(l);
    await mustDial(c, `127.0.0.1:${echoPort}`);
    const peerClosed = new Promise<void>((r) => peer.once('close', () => r()));
    peer.on('error', () => {});
    const before = lab.bridge.counters.sockets;
    expect(before).toBeGreaterThanOrEqual(2);
    c.close();
    await peerClosed;
    await until(() => lab.bridge.counters.sockets === before - 2);
    // The listener is gone too.
    await expect(rawConnect(l.local.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
