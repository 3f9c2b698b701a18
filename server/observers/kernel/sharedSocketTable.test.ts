// The shared socket table: many pollers, one read of the kernel's table per interval; the listeners it reports.
import { describe, expect, it } from 'vitest';
import type { SocketTableParse } from './kernelSocket.js';
import { KernelStateObserver } from './kernelStateObserver.js';
import { SharedSocketTable } from './sharedSocketTable.js';

function fakeSource(table: SocketTableParse) {
  const source = { method: 'fake', calls: 0, read: () => Promise.resolve().then(() => (source.calls++, table)) };
  return source;
}
const listenerRow = (local: string, port: number) => ({
  local,
  remote: '0.0.0.0:0',
  localPort: port,
  remotePort: 0,
  state: 'LISTEN' as const,
  sendQueue: 0,
  receiveQueue: 0,
});
const table: SocketTableParse = {
  sockets: [
    listenerRow('127.0.0.1:7400', 7400),
    listenerRow('[::1]:5432', 5432),
    { ...listenerRow('127.0.0.1:40000', 40000), remote: '127.0.0.1:7401', remotePort: 7401, state: 'ESTABLISHED' },
  ],
  badLines: [],
};

describe('SharedSocketTable', () => {
  it('serves every reader asking within maxAge from one read, and reads again after it', async () => {
    let t = 0;
    const source = fakeSource(table);
    const shared = new SharedSocketTable(source, 4, () => t);
    const results = await Promise.all(Array.from({ length: 50 }, () => shared.read()));
    expect(source.calls).toBe(1);
    expect(results.every((r) => r === results[0])).toBe(true);
    t = 3;
    await shared.read();
    expect(source.calls).toBe(1);
    t = 5;
    await shared.read();
    expect(source.calls).toBe(2);
  });

  it('many kernel-state observers on it read the table once per turn, not once each', async () => {
    const t = 0;
    const source = fakeSource(table);
    const shared = new SharedSocketTable(source, 4, () => t);
    const observers = Array.from(
      { length: 20 },
      () => new KernelStateObserver({ ports: [7401], emit: () => {}, intervalMs: 1_000_000, source: shared }),
    );
    await Promise.all(observers.map((o) => o.start()));
    await Promise.all(observers.map((o) => o.sampleNow()));
    expect(source.calls).toBe(1);
    expect(observers.every((o) => o.current().length === 1)).toBe(true);
    await Promise.all(observers.map((o) => o.stop()));
  });

  it('reports listeners with their exact address, and reads fresh for that', async () => {
    const source = fakeSource(table);
    const shared = new SharedSocketTable(source, 1_000_000, () => 0);
    await shared.read();
    expect(await shared.listeners()).toEqual([
      { host: '127.0.0.1', port: 7400 },
      { host: '::1', port: 5432 },
    ]);
    expect(source.calls).toBe(2);
  });

  it('a failed read is not kept, and no table reader means no listeners', async () => {
    let fail = true;
    const source = {
      method: 'flaky',
      read: () => (fail ? Promise.reject(new Error('EACCES')) : Promise.resolve(table)),
    };
    const shared = new SharedSocketTable(source, 1_000_000, () => 0);
    await expect(shared.read()).rejects.toThrow('EACCES');
    fail = false;
    await expect(shared.read()).resolves.toBe(table);
    expect(await new SharedSocketTable(null).listeners()).toEqual([]);
  });
});
