import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EOF, GoConn, type IoSink } from './goConn.js';

/** An IoSink that runs f. */
const sink = (f: (n: number, err: Error | null) => unknown): IoSink => ({ ioDone: (n, err) => void f(n, err) });

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

/** A connected pair: the lab's GoConn on the server side, a plain socket as the peer. */
async function pair(
  highWaterBytes?: number,
  onPause?: (buffered: number) => void,
): Promise<{ conn: GoConn; peer: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
  const peer = net.connect(port, '127.0.0.1');
  const socket = await accepted;
  const conn = new GoConn(socket, {
    id: 't',
    ...(highWaterBytes ? { highWaterBytes } : {}),
    observer: { onPause: (_c, b) => onPause?.(b) },
  });
  cleanup.push(() => {
    peer.destroy();
    socket.destroy();
    server.close();
  });
  return { conn, peer };
}

describe('GoConn', () => {
  it('reads into the caller buffer, at most its length, keeping the rest for the next read', async () => {
    const { conn, peer } = await pair();
    peer.write('hello world');
    const buf = new Uint8Array(5);
    await new Promise((r) => setTimeout(r, 20));
    const [n1, e1] = await conn.read(buf);
    expect([n1, e1, Buffer.from(buf.subarray(0, n1)).toString()]).toEqual([5, null, 'hello']);
    const big = new Uint8Array(64);
    const [n2] = await conn.read(big);
    expect(Buffer.from(big.subarray(0, n2)).toString()).toBe(' world');
    expect(conn.bytesIn).toBe(11);
  });

  it("a waiting read gets what arrives up to its buffer's length, the rest on the next read, with counters as for any read", async () => {
    const { conn, peer } = await pair();
    const small = new Uint8Array(4);
    const pending = conn.read(small);
    peer.write('abcdefghij');
    const [n1] = await pending;
    expect(Buffer.from(small.subarray(0, n1)).toString()).toBe('abcd');
    const rest = new Uint8Array(64);
    const [n2] = await conn.read(rest);
    expect(Buffer.from(rest.subarray(0, n2)).toString()).toBe('efghij');
    const fits = conn.read(rest);
    peer.write('xyz');
    const [n3, e3] = await fits;
    expect([Buffer.from(rest.subarray(0, n3)).toString(), e3]).toEqual(['xyz', null]);
    expect([conn.bytesIn, conn.readsIn]).toEqual([13, 2]);
    peer.end();
    expect((await conn.read(rest))[1]).toBe(EOF);
  });

  it('returns EOF after the peer closes, once buffered bytes are read', async () => {
    const { conn, peer } = await pair();
    peer.end('bye');
    const buf = new Uint8Array(16);
    const [n] = await conn.read(buf);
    expect(n).toBe(3);
    const [n2, err] = await conn.read(buf);
    expect(n2).toBe(0);
    expect(err).toBe(EOF);
  });

  it('write resolves once the bytes are sent and the buffer can be reused', async () => {
    const { conn, peer } = await pair();
    const got: Buffer[] = [];
    peer.on('data', (d) => got.push(d));
    const buf = new TextEncoder().encode('abc');
    const [n, err] = await conn.write(buf);
    buf.set([0x78, 0x78, 0x78]); // reuse immediately, as Go code would
    await new Promise((r) => setTimeout(r, 30));
    expect([n, err]).toEqual([3, null]);
    expect(Buffer.concat(got).toString()).toBe('abc');
  });

  it('the callback forms answer before returning when nothing would block, and later when something would', async () => {
    const { conn, peer } = await pair();
    const buf = new Uint8Array(16);
    const calls: string[] = [];
    // Nothing buffered: the reader waits for bytes.
    conn.readInto(
      buf,
      sink((n) => calls.push(`read ${n}`)),
    );
    expect(calls).toEqual([]);
    peer.write('hi');
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toEqual(['read 2']);
    // Bytes already buffered: answered at once.
    peer.write('again');
    await new Promise((r) => setTimeout(r, 20));
    conn.readInto(
      buf,
      sink((n) => calls.push(`read ${n}`)),
    );
    // A small write the kernel takes at once: answered at once, and exactly once.
    conn.writeFrom(
      new TextEncoder().encode('ok'),
      sink((n, err) => calls.push(`wrote ${n} ${err}`)),
    );
    expect(calls).toEqual(['read 2', 'read 5', 'wrote 2 null']);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(3);
  });

  it('a write the kernel cannot take yet answers once its bytes have gone, as does one queued behind it', async () => {
    const { conn, peer } = await pair();
    peer.pause();
    const calls: string[] = [];
    // 16 MiB to a peer that does not read: more than the loopback buffers hold, so part waits in user space.
    const big = new Uint8Array(16 * 1024 * 1024);
    conn.writeFrom(
      big,
      sink((n, err) => calls.push(`big ${n} ${err}`)),
    );
    conn.writeFrom(
      new TextEncoder().encode('tail'),
      sink((n, err) => calls.push(`tail ${n} ${err}`)),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toEqual([]);
    let received = 0;
    peer.on('data', (d: Buffer) => (received += d.length));
    peer.resume();
    await expect.poll(() => calls, { timeout: 5000 }).toEqual([`big ${big.length} null`, 'tail 4 null']);
    await expect.poll(() => received).toBe(big.length + 4);
  });

  it('pauses the socket when nobody reads, so memory stays bounded', async () => {
    let pausedAt = -1;
    const { conn, peer } = await pair(64 * 1024, (b) => (pausedAt = b));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    // 32 MiB: more than the loopback kernel buffers on both sides can hold.
    for (let i = 0; i < 32; i++) peer.write(chunk);
    await new Promise((r) => setTimeout(r, 300));
    expect(conn.isPaused).toBe(true);
    expect(pausedAt).toBeGreaterThanOrEqual(64 * 1024);
    // What the lab holds stays near the high-water mark; the rest waits in kernel buffers or the peer.
    expect(conn.bytesIn).toBeLessThan(16 * 1024 * 1024);
    expect(peer.writableLength).toBeGreaterThan(0);
    // Reading drains the buffer and resumes.
    const buf = new Uint8Array(256 * 1024);
    let total = 0;
    while (conn.isPaused) total += (await conn.read(buf))[0];
    expect(total).toBeGreaterThan(0);
  });

  it('write after close reports Go-style errors instead of throwing', async () => {
    const { conn } = await pair();
    await conn.close();
    const [n, err] = await conn.write(new Uint8Array([1]));
    expect(n).toBe(0);
    expect(err?.message).toMatch(/closed/);
  });
});
