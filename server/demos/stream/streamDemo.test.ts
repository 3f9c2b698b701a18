// The stream demo on real loopback sockets: a slow reader coalesces, a small read buffer splits, UDP keeps boundaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamRunArgs } from '../../../core/protocol/demos/stream.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import { messageBytes, messageIndexOf } from './senderMessages.js';
import { StreamDemo } from './streamDemo.js';

const events: LabEventBody[] = [];
const demo = new StreamDemo();

beforeAll(async () => {
  await demo.start({ host: '127.0.0.1', port: () => 0, emit: (e) => events.push(e) });
}, 30_000);

afterAll(async () => {
  await demo.stop();
});

const args = (over: Partial<StreamRunArgs>) => StreamRunArgs.parse(over);
const ofRun = (run: string) => events.filter((e) => 'run' in e && e.run === run);

describe('stream demo', () => {
  it('a reader that pauses gets several messages in one read (coalesced)', async () => {
    const { runs } = await demo.run(args({ count: 20, size: 16, readDelayMs: 60 }));
    const [r] = runs;
    expect(r.summary.writes).toBe(20);
    expect(r.summary.bytes).toBe(320);
    expect(r.summary.reads).toBeLessThan(20);
    expect(r.summary.coalescedReads).toBeGreaterThanOrEqual(1);
    expect(r.summary.maxMessagesPerRead).toBeGreaterThanOrEqual(2);
    const end = ofRun(r.run).find((e) => e.kind === 'stream.runEnd');
    expect(end && end.kind === 'stream.runEnd' && end.reads.reduce((n, s) => n + s.len, 0)).toBe(320);
    expect(ofRun(r.run).filter((e) => e.kind === 'stream.write')).toHaveLength(20);
  });

  it('one message bigger than the read buffer comes in several reads (split)', async () => {
    const { runs } = await demo.run(args({ count: 1, size: 100_000, readBuffer: 4096 }));
    const [r] = runs;
    expect(r.summary.splitMessages).toBe(1);
    expect(r.summary.reads).toBeGreaterThanOrEqual(Math.ceil(100_000 / 4096));
    const reads = ofRun(r.run).filter((e) => e.kind === 'stream.read');
    expect(reads.every((e) => e.kind === 'stream.read' && e.len <= 4096)).toBe(true);
  });

  it('corked batches go out together; the run records each message with its batch', async () => {
    const { runs } = await demo.run(args({ count: 12, size: 8, corkBatch: 4, intervalMs: 30 }));
    const writes = ofRun(runs[0].run).filter((e) => e.kind === 'stream.write');
    expect(writes.map((e) => (e.kind === 'stream.write' ? e.batch : -1))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    // A batch is one writev, so no read can end inside one (the receiver is not paused).
    expect(runs[0].summary.reads).toBeLessThanOrEqual(12);
  });

  it('UDP keeps every message apart, even sent back to back', async () => {
    const { runs } = await demo.run(args({ transport: 'both', count: 30, size: 16 }));
    const [tcp, udp] = runs;
    expect(tcp.transport).toBe('tcp');
    expect(udp.transport).toBe('udp');
    expect(udp.lost).toBe(0);
    expect(udp.summary).toMatchObject({ writes: 30, reads: 30, coalescedReads: 0, splitMessages: 0, alignedReads: 30 });
    const reads = ofRun(udp.run).filter((e) => e.kind === 'stream.read');
    expect(reads.map((e) => (e.kind === 'stream.read' ? e.index : -1)).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 30 }, (_, i) => i),
    );
  });

  it('counts the captured segments of a run when capture runs here, and says why when it cannot', async () => {
    const status = events.find((e) => e.kind === 'packet.captureStatus');
    expect(status).toBeDefined();
    const { runs } = await demo.run(args({ count: 2, size: 100_000 }));
    if (status?.kind === 'packet.captureStatus' && status.status === 'capturing') {
      // 200,000 bytes cannot fit in fewer than 4 segments on loopback (MTU 65536).
      expect(runs[0].segments).toBeGreaterThanOrEqual(4);
      const segs = events.filter((e) => e.kind === 'packet.segment' && e.len > 0);
      expect(segs.length).toBeGreaterThanOrEqual(4);
    } else {
      expect(runs[0].segments).toBeUndefined();
      expect(status?.kind === 'packet.captureStatus' && status.error).toBeTruthy();
    }
  });

  it('refuses runs beyond the bounds', () => {
    expect(StreamRunArgs.safeParse({ count: 0 }).success).toBe(false);
    expect(StreamRunArgs.safeParse({ transport: 'udp', size: 70_000 }).success).toBe(false);
    expect(StreamRunArgs.safeParse({ count: 1000, size: 65536 }).success).toBe(false);
    expect(StreamRunArgs.safeParse({ count: 100, intervalMs: 1000 }).success).toBe(false);
    expect(StreamRunArgs.safeParse({ count: 1, size: 100_000, readBuffer: 1, readDelayMs: 1 }).success).toBe(false);
  });
});

describe('messages', () => {
  it('say their number, whatever their size', () => {
    expect(new TextDecoder().decode(messageBytes(7, 10))).toBe('m7.m7.m7.m');
    expect(messageIndexOf(messageBytes(123, 40))).toBe(123);
    expect(messageIndexOf(messageBytes(123, 3))).toBe(null);
  });
});
