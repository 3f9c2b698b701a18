import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adoptWithLargeReads,
  connectWithLargeReads,
  FIRST_READ_BYTES,
  largeReadOption,
  MAX_READ_BYTES,
} from './largeReads.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c();
});

function listen(server: net.Server): Promise<number> {
  closers.push(() => server.close());
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
}

describe('largeReadOption', () => {
  it('reuses its buffer while the sink lets go, and grows it once a read fills it', () => {
    let keep = false;
    const seen: number[] = [];
    const opt = largeReadOption((b) => {
      seen.push(b.length);
      return keep;
    });
    const gen = opt.buffer as () => Buffer;
    const first = gen();
    expect(first.length).toBe(FIRST_READ_BYTES);
    opt.callback(10, first);
    expect(gen()).toBe(first);
    keep = true;
    opt.callback(20, first);
    const second = gen();
    expect(second).not.toBe(first);
    keep = false;
    opt.callback(second.length, second);
    expect(gen().length).toBe(MAX_READ_BYTES);
    expect(seen).toEqual([10, 20, FIRST_READ_BYTES]);
  });
});

describe('adoptWithLargeReads', () => {
  it('reads an accepted connection through the sink in reads larger than 64 KiB, and the server still counts it', async () => {
    const reads: number[] = [];
    let total = 0;
    let ended!: () => void;
    const gotEnd = new Promise<void>((r) => (ended = r));
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (accepted) => {
      const socket = adoptWithLargeReads(accepted, true, (b) => {
        reads.push(b.length);
        total += b.length;
        return false;
      });
      expect(socket).not.toBeNull();
      socket!.on('end', () => {
        socket!.end('done');
        ended();
      });
    });
    const port = await listen(server);
    const client = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const bytes = 8 * 1024 * 1024;
    // Written in one go before the server reads: the kernel has far more than 64 KiB ready at once.
    client.end(Buffer.alloc(bytes, 7));
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      client.on('data', (d: Buffer) => (text += d.toString()));
      client.on('end', () => resolve(text));
    });
    await gotEnd;
    expect(answer).toBe('done');
    expect(total).toBe(bytes);
    expect(Math.max(...reads)).toBeGreaterThan(64 * 1024);
    client.destroy();
    // close() calls back only once the server has counted the adopted connection closed.
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns null for a socket without a handle (the caller keeps its data events)', () => {
    expect(adoptWithLargeReads(new net.Socket(), true, () => false)).toBeNull();
  });
});

describe('connectWithLargeReads', () => {
  it('hands the sink every byte and emits end', async () => {
    const server = net.createServer((s) => s.end(Buffer.alloc(300_000, 1)));
    const port = await listen(server);
    let total = 0;
    const socket = connectWithLargeReads({ port, host: '127.0.0.1' }, (b) => {
      total += b.length;
      return false;
    });
    await new Promise((r) => socket.once('end', r));
    socket.destroy();
    expect(total).toBe(300_000);
  });
});
