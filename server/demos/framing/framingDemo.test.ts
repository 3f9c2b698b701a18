// The framing servers on real loopback sockets: frames stuck together or in pieces come out whole and are echoed
// framed the same way; bad frames close only their own connection, with the reason reported.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEncoder } from '../../../core/framing/framingConfig.js';
import { FRAMING_SERVER_CONFIGS } from '../../../core/protocol/demos/framing.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { FramingServerMode } from '../../../core/protocol/events/frame.js';
import { FramingDemo } from './framingDemo.js';

const events: LabEventBody[] = [];
const demo = new FramingDemo();
const utf8 = new TextEncoder();

beforeAll(async () => {
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
});

afterAll(async () => {
  await demo.stop();
});

function portOf(mode: FramingServerMode): number {
  const ep = demo.endpoints().find((e) => e.name === mode);
  if (!ep) throw new Error(`no ${mode} endpoint`);
  return ep.port;
}

/** A plain client (as nc or a Go program would be): collects what comes back until the server closes. */
async function rawClient(mode: FramingServerMode) {
  const socket = net.connect({ host: '127.0.0.1', port: portOf(mode) });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  // Kept: a closed socket no longer knows its port.
  const localPort = socket.localPort ?? 0;
  const received: Buffer[] = [];
  socket.on('data', (d) => received.push(d));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  const bytes = () => Buffer.concat(received);
  const waitFor = async (n: number) => {
    for (let i = 0; i < 200 && bytes().length < n; i++) await new Promise((r) => setTimeout(r, 10));
    return bytes();
  };
  return { socket, bytes, waitFor, closed, serverConn: () => serverConnOf(localPort) };
}

function serverConnOf(localPort: number): string | undefined {
  const open = events.find((e) => e.kind === 'socket.open' && e.remote.port === localPort);
  return open && open.kind === 'socket.open' ? open.conn : undefined;
}

const framesOf = (conn: string | undefined) =>
  events.filter(
    (e): e is Extract<LabEventBody, { kind: 'frame.decoded' }> => e.kind === 'frame.decoded' && e.conn === conn,
  );

describe.each(['fixed', 'delimiter', 'length-prefix'] as const)('%s server', (mode) => {
  const encoder = createEncoder(FRAMING_SERVER_CONFIGS[mode]);
  const messages = ['hello', 'sticky', 'packets'].map((m) => utf8.encode(m));
  const wire = Buffer.concat(messages.map((m) => encoder.encode(m)));

  it('decodes frames that arrive stuck together in one write, and echoes the same bytes', async () => {
    const c = await rawClient(mode);
    c.socket.write(wire);
    expect((await c.waitFor(wire.length)).equals(wire)).toBe(true);
    const frames = framesOf(c.serverConn());
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(frames.reduce((n, f) => n + f.wireLen, 0)).toBe(wire.length);
    expect(frames.map((f) => f.offset)).toEqual([0, frames[0].wireLen, frames[0].wireLen + frames[1].wireLen]);
    c.socket.end();
    await c.closed;
  });

  it('decodes frames that arrive a byte at a time', async () => {
    const c = await rawClient(mode);
    for (const byte of wire) {
      c.socket.write(Uint8Array.of(byte));
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await c.waitFor(wire.length)).equals(wire)).toBe(true);
    expect(framesOf(c.serverConn())).toHaveLength(3);
    const states = events.filter((e) => e.kind === 'frame.state' && e.conn === c.serverConn());
    expect(states.length).toBeGreaterThan(0);
    c.socket.end();
    await c.closed;
  });
});

describe('bad frames', () => {
  const errorOf = (conn: string | undefined) => events.find((e) => e.kind === 'frame.error' && e.conn === conn);

  it('a length prefix above 1 MiB closes that connection with E_FRAME_TOO_LARGE; another connection carries on', async () => {
    const good = await rawClient('length-prefix');
    const bad = await rawClient('length-prefix');
    bad.socket.write(Uint8Array.of(0x00, 0x10, 0x00, 0x01));
    await bad.closed;
    const err = errorOf(bad.serverConn());
    expect(err && err.kind === 'frame.error' && err.error.code).toBe('E_FRAME_TOO_LARGE');
    expect(err && err.kind === 'frame.error' && err.offset).toBe(0);
    const frame = createEncoder(FRAMING_SERVER_CONFIGS['length-prefix']).encode(utf8.encode('still here'));
    good.socket.write(frame);
    expect((await good.waitFor(frame.length)).equals(Buffer.from(frame))).toBe(true);
    good.socket.end();
    await good.closed;
  });

  it('a line over 4 KiB gets E_LINE_TOO_LONG, and an nc user reads why before the close', async () => {
    const c = await rawClient('delimiter');
    c.socket.write('ok\n' + 'a'.repeat(5000));
    await c.closed;
    expect(c.bytes().toString()).toMatch(/^ok\nerror E_LINE_TOO_LONG: /);
    const err = errorOf(c.serverConn());
    expect(err && err.kind === 'frame.error' && err.offset).toBe(3);
  });

  it('a record cut off at EOF is E_TRUNCATED_FRAME', async () => {
    const c = await rawClient('fixed');
    c.socket.end('abc');
    await c.closed;
    const err = errorOf(c.serverConn());
    expect(err && err.kind === 'frame.error' && err.error.code).toBe('E_TRUNCATED_FRAME');
  });
});

describe('lab clients', () => {
  it('connect, send messages in 2-byte pieces, send raw bytes and close', async () => {
    const c = await demo.connect('s1', 'length-prefix');
    expect(c.conn).toMatch(/^lp\d+$/);
    const sent = await demo.send('s1', { client: c.client, messages: ['abc', 'defg'], chunkBytes: 2, chunkDelayMs: 5 });
    expect(sent).toEqual({ wireBytes: 15, payloadBytes: 7, writes: 8 });
    for (let i = 0; i < 100 && framesOf(c.conn ?? '').length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(framesOf(c.conn ?? '').map((f) => Buffer.from(f.b64, 'base64').toString())).toEqual(['abc', 'defg']);
    await expect(demo.send('s2', { client: c.client, messages: ['x'], chunkDelayMs: 0 })).rejects.toMatchObject({
      code: 'E_NO_SUCH_CLIENT',
    });
    await demo.sendRaw('s1', { client: c.client, hex: 'ffffffff', repeat: 1, end: false });
    for (let i = 0; i < 100 && !errorOfConn(c.conn); i++) await new Promise((r) => setTimeout(r, 10));
    expect(errorOfConn(c.conn)).toBe('E_FRAME_TOO_LARGE');
  });

  it('refuses a message the framing cannot carry', async () => {
    const c = await demo.connect('s1', 'delimiter');
    await expect(
      demo.send('s1', { client: c.client, messages: ['two\nlines'], chunkDelayMs: 0 }),
    ).rejects.toMatchObject({
      code: 'E_DELIMITER_IN_MESSAGE',
    });
    const f = await demo.connect('s1', 'fixed');
    await expect(
      demo.send('s1', { client: f.client, messages: ['x'.repeat(17)], chunkDelayMs: 0 }),
    ).rejects.toMatchObject({
      code: 'E_FRAME_TOO_LARGE',
    });
    await demo.closeClient('s1', c.client);
    await demo.closeClient('s1', f.client);
  });
});

function errorOfConn(conn: string | null): string | undefined {
  const e = events.find((x) => x.kind === 'frame.error' && x.conn === conn);
  return e && e.kind === 'frame.error' ? e.error.code : undefined;
}
