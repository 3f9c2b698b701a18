// The byte ruler's fold: runs from stream events, the end event as the full record, captured segments by ports.
import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import type { StreamRunSettings } from '@core/protocol/events/stream';
import { readContents, RUNS_KEPT, segmentsOf, streamRunsFold } from './streamRunsModel';

const settings: StreamRunSettings = {
  transport: 'tcp',
  count: 3,
  size: 4,
  intervalMs: 0,
  noDelay: true,
  corkBatch: 1,
  readDelayMs: 0,
  readBuffer: 4096,
};
let seq = 0;
const ev = (body: LabEventBody, demo = 'stream'): LabEvent =>
  ({ ...body, seq: ++seq, t: 1000 + seq, demo }) as LabEvent;

function start(run: string, receiverPort = 5001) {
  return ev({
    kind: 'stream.runStart',
    source: 'observed',
    run,
    settings,
    sender: { host: '127.0.0.1', port: 7482 },
    receiver: { host: '127.0.0.1', port: receiverPort },
  });
}

describe('streamRunsFold', () => {
  it('collects writes and reads of a run, then takes the end event as the full record', () => {
    const fold = streamRunsFold('stream');
    const s = fold.init();
    fold.step(s, start('tcp-1'));
    fold.step(
      s,
      ev({ kind: 'stream.write', source: 'observed', run: 'tcp-1', index: 0, offset: 0, len: 4, batch: 0, at: 1 }),
    );
    fold.step(s, ev({ kind: 'stream.read', source: 'observed', run: 'tcp-1', offset: 0, len: 12, at: 2 }));
    fold.step(
      s,
      ev({ kind: 'stream.write', source: 'observed', run: 'other', index: 0, offset: 0, len: 4, batch: 0, at: 1 }),
    );
    fold.step(
      s,
      ev(
        {
          kind: 'stream.runStart',
          source: 'observed',
          run: 'x',
          settings,
          sender: { host: 'h', port: 1 },
          receiver: { host: 'h', port: 2 },
        },
        'echo',
      ),
    );
    const run = s.runs.get('tcp-1')!;
    expect(run.writes).toHaveLength(1);
    expect(run.reads).toEqual([{ offset: 0, len: 12 }]);
    expect(s.runs.has('x')).toBe(false);
    const summary = {
      writes: 3,
      reads: 1,
      bytes: 12,
      coalescedReads: 1,
      splitMessages: 0,
      maxMessagesPerRead: 3,
      alignedReads: 1,
    };
    fold.step(
      s,
      ev({
        kind: 'stream.runEnd',
        source: 'observed',
        run: 'tcp-1',
        transport: 'tcp',
        writes: [
          { offset: 0, len: 4 },
          { offset: 4, len: 4 },
          { offset: 8, len: 4 },
        ],
        reads: [{ offset: 0, len: 12 }],
        summary,
        durationMs: 3,
      }),
    );
    expect(run.ended).toBe(true);
    expect(run.writes.map((w) => w.index)).toEqual([0, 1, 2]);
    expect(run.summary).toEqual(summary);
    expect(s.latest.tcp).toBe('tcp-1');
  });

  it('keeps the latest runs only', () => {
    const fold = streamRunsFold('stream');
    const s = fold.init();
    for (let i = 0; i < RUNS_KEPT + 3; i++) fold.step(s, start(`tcp-${i}`, 6000 + i));
    expect(s.order).toHaveLength(RUNS_KEPT);
    expect(s.runs.has('tcp-0')).toBe(false);
    expect(s.latest.tcp).toBe(`tcp-${RUNS_KEPT + 2}`);
  });

  it("maps captured payload segments of a run's connection onto the stream", () => {
    const fold = streamRunsFold('stream');
    const s = fold.init();
    fold.step(s, start('tcp-1', 5001));
    const seg = (from: string, to: string, relSeq: number, len: number) =>
      ev(
        {
          kind: 'packet.segment',
          source: 'captured',
          from,
          to,
          relSeq,
          len,
          handshakeSeen: true,
        } as unknown as LabEventBody,
        'stream',
      );
    fold.step(s, seg('127.0.0.1:7482', '127.0.0.1:5001', 1, 8));
    fold.step(s, seg('127.0.0.1:7482', '127.0.0.1:5001', 9, 4));
    fold.step(s, seg('127.0.0.1:5001', '127.0.0.1:7482', 1, 0)); // a pure ACK
    fold.step(s, seg('127.0.0.1:9999', '127.0.0.1:5001', 1, 10)); // another connection
    expect(segmentsOf(s, s.runs.get('tcp-1')!)).toEqual([
      { offset: 0, len: 8 },
      { offset: 8, len: 4 },
    ]);
  });
});

describe('readContents', () => {
  const writes = [0, 1, 2, 3].map((i) => ({ offset: i * 4, len: 4, index: i, batch: i }));
  it('tells whole messages from cut ones', () => {
    expect(readContents(writes, { offset: 0, len: 8 })).toEqual({ whole: [0, 1], partial: [] });
    expect(readContents(writes, { offset: 2, len: 8 })).toEqual({ whole: [1], partial: [0, 2] });
    expect(readContents(writes, { offset: 5, len: 1 })).toEqual({ whole: [], partial: [1] });
  });
});
