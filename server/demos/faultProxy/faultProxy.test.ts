// The proxy on real loopback sockets: bytes intact, back-pressure kept under a stall, real RSTs, real refusals,
// a dead upstream, and the faults that end a connection.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultRule, type FaultRuleInput } from '../../../core/protocol/demos/faultProxy.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { FaultProxy, HIGH_WATER_BYTES } from './faultProxy.js';
import type { FaultCaller } from './faultRuleBook.js';

const LAB: FaultCaller = { owns: [], outside: true };
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** An upstream that echoes (or only counts, `sink`) what it receives. */
async function upstream(mode: 'echo' | 'sink' = 'echo') {
  const state = { received: 0, sockets: new Set<net.Socket>() };
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    state.sockets.add(s);
    s.on('error', () => {});
    s.on('data', (d) => {
      state.received += d.length;
      if (mode === 'echo') s.write(d);
    });
    s.on('end', () => s.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => {
    for (const s of state.sockets) s.destroy();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { ...state, state, port: (server.address() as net.AddressInfo).port };
}

async function proxyTo(port: number, events: LabEventBody[] = []) {
  const proxy = new FaultProxy({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port },
    emit: (e) => events.push(e),
  });
  await proxy.listen();
  cleanup.push(() => proxy.close());
  return proxy;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(s));
    s.once('error', reject);
    cleanup.push(() => void s.destroy());
  });
}

const rule = (input: FaultRuleInput) => {
  const r = parseFaultRule(input);
  if (!r.ok) throw new Error(r.error.detail);
  return r.rule;
};

const until = async (cond: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what}: not in time`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Everything the socket reads until it ends, and how it ended. */
function collect(s: net.Socket) {
  const got = { bytes: Buffer.alloc(0), ended: false, error: null as string | null, closed: false };
  s.on('data', (d) => (got.bytes = Buffer.concat([got.bytes, d])));
  s.on('end', () => (got.ended = true));
  s.on('error', (e: NodeJS.ErrnoException) => (got.error = e.code ?? e.message));
  s.on('close', () => (got.closed = true));
  return got;
}

describe('FaultProxy', () => {
  it('forwards both ways byte for byte when no fault is set', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    const client = await connect(proxy.port);
    const got = collect(client);
    const payload = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 255;
    client.end(payload);
    await until(() => got.ended, 'echo of 2 MiB');
    expect(got.bytes.equals(payload)).toBe(true);
  });

  it('keeps bytes intact when a fault holds them for later (reads reuse their buffer, so the pipe keeps copies)', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    proxy.addRule('t', LAB, rule({ fault: { type: 'latency', ms: 5 }, direction: 'both' }));
    const client = await connect(proxy.port);
    const got = collect(client);
    const payload = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13 + (i >> 12)) & 255;
    client.end(payload);
    await until(() => got.ended, 'echo of 4 MiB under latency', 20_000);
    expect(got.bytes.length).toBe(payload.length);
    expect(got.bytes.equals(payload)).toBe(true);
  });

  it('stalls without buffering: the proxy stops reading, the sender’s own buffer fills, and lifting it delivers all', async () => {
    const up = await upstream('sink');
    const events: LabEventBody[] = [];
    const proxy = await proxyTo(up.port, events);
    const client = await connect(proxy.port);
    client.on('error', () => {});
    proxy.addRule('t', LAB, rule({ fault: { type: 'stall' }, direction: 'up' }));
    const chunk = Buffer.alloc(64 * 1024, 1);
    let written = 0;
    // Write until the kernel's buffers and then Node's own are full: back-pressure reached the sender.
    while (client.writableLength < 4 * 1024 * 1024) {
      client.write(chunk);
      written += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    expect(up.state.received).toBe(0);
    // Nothing like what was written waits inside the proxy: it read at most a chunk or two before pausing.
    expect(written).toBeGreaterThan(4 * 1024 * 1024);
    expect(events).toContainEqual(
      expect.objectContaining({ kind: 'fault.injected', fault: 'stall', action: 'started', dir: 'up' }),
    );
    proxy.clearRules('t');
    await until(() => up.state.received === written, 'everything after the stall');
  });

  it('keeps a bandwidth cap bounded too: what waits for its time stays under the high-water mark', async () => {
    const up = await upstream('sink');
    const proxy = await proxyTo(up.port);
    const client = await connect(proxy.port);
    client.on('error', () => {});
    proxy.addRule('t', LAB, rule({ fault: { type: 'bandwidth', bytesPerSecond: 10_000 }, direction: 'up' }));
    const chunk = Buffer.alloc(64 * 1024, 2);
    let written = 0;
    while (client.writableLength < 4 * 1024 * 1024) {
      client.write(chunk);
      written += chunk.length;
      await new Promise((r) => setImmediate(r));
    }
    // The kernel's buffers hold a few MB at most; the proxy holds at most its high-water mark and a chunk.
    const inKernelAndProxy = written - client.writableLength - up.state.received;
    expect(inKernelAndProxy).toBeLessThan(HIGH_WATER_BYTES + 64 * 1024 + 16 * 1024 * 1024);
    expect(up.state.received).toBeLessThan(written / 4);
    proxy.clearRules('t');
    await until(() => up.state.received === written, 'everything once the cap is lifted', 20_000);
  });

  it('resets with a real RST: the client’s read fails with ECONNRESET', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    const client = await connect(proxy.port);
    const got = collect(client);
    proxy.addRule('t', LAB, rule({ fault: { type: 'reset_peer' }, trigger: { pattern: 'boom' } }));
    client.write('hello ');
    await until(() => got.bytes.length === 6, 'echo before the trigger');
    client.write('boom');
    await until(() => got.closed, 'the reset');
    expect(got.error).toBe('ECONNRESET');
    expect(got.ended).toBe(false);
  });

  it('refuses new connections for real (ECONNREFUSED) and accepts again on the same port', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    const port = proxy.port;
    const open = await connect(port);
    await proxy.setSwitches({ accepting: 'refuse' });
    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // A connection made before is not touched.
    const got = collect(open);
    open.write('still here');
    await until(() => got.bytes.toString() === 'still here', 'the old connection');
    await proxy.setSwitches({ accepting: 'open' });
    expect(proxy.port).toBe(port);
    await expect(connect(port)).resolves.toBeInstanceOf(net.Socket);
  });

  it('plays a dead upstream without a control hook: open connections reset, new ones closed at once', async () => {
    const up = await upstream();
    const events: LabEventBody[] = [];
    const proxy = await proxyTo(up.port, events);
    const before = collect(await connect(proxy.port));
    await until(() => proxy.connectionCount === 1, 'accepted');
    await proxy.setSwitches({ upstream: 'down' });
    await until(() => before.closed, 'the reset');
    expect(before.error).toBe('ECONNRESET');
    const during = collect(await connect(proxy.port));
    await until(() => during.ended, 'closed at once');
    expect(during.bytes.length).toBe(0);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'fault.refused', reason: 'upstream-down' }));
    await proxy.setSwitches({ upstream: 'up' });
    const after = await connect(proxy.port);
    const got = collect(after);
    after.write('back');
    await until(() => got.bytes.toString() === 'back', 'echo after the restart');
  });

  it('closes after N bytes (limit_data): the client reads exactly N, then EOF', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    proxy.addRule('t', LAB, rule({ fault: { type: 'limit_data', bytes: 5 }, direction: 'down' }));
    const client = await connect(proxy.port);
    const got = collect(client);
    client.write('abcdefghij');
    await until(() => got.ended, 'the close');
    expect(got.bytes.toString()).toBe('abcde');
  });

  it('half-closes one direction: the client reads EOF and can still send', async () => {
    const up = await upstream('sink');
    const proxy = await proxyTo(up.port);
    const client = await connect(proxy.port);
    const got = collect(client);
    await until(() => proxy.connectionCount === 1, 'accepted');
    proxy.addRule('t', LAB, rule({ fault: { type: 'half_close' }, direction: 'down' }));
    await until(() => got.ended, 'the FIN');
    client.write('after the FIN');
    await until(() => up.state.received === 13, 'bytes sent after the half-close');
  });

  it('delays by the latency (a relation, not a timing: at least the latency)', async () => {
    const up = await upstream();
    const proxy = await proxyTo(up.port);
    proxy.addRule('t', LAB, rule({ fault: { type: 'latency', ms: 150 }, direction: 'down' }));
    const client = await connect(proxy.port);
    const got = collect(client);
    const t0 = performance.now();
    client.write('ping');
    await until(() => got.bytes.length === 4, 'the delayed echo');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(149);
  });
});
