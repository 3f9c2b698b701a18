// The framing inspector's fold: connections by mode, reads and frames as spans, decoder state and bad frames.
import { describe, expect, it } from 'vitest';
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import type { DecoderState } from '@core/framing/frameCodec';
import { CLOSED_KEPT, framingFold, stripWindow } from './framingModel';

let seq = 0;
const ev = (body: LabEventBody, demo = 'framing'): LabEvent =>
  ({ ...body, seq: ++seq, t: 1000 + seq, demo }) as LabEvent;
const ep = (port: number) => ({ host: '127.0.0.1', port });
const state = (over: Partial<DecoderState>): DecoderState => ({
  mode: 'length-prefix',
  phase: 'header',
  bufferedBytes: 0,
  expectedLength: null,
  headerBytes: 0,
  framesOut: 0,
  bytesIn: 0,
  zeroCopyFrames: 0,
  errorCode: null,
  ...over,
});

describe('framingFold', () => {
  it('names each connection by its server, and lays reads and frames on its stream', () => {
    const fold = framingFold('framing');
    const s = fold.init();
    fold.step(s, ev({ kind: 'socket.listen', source: 'observed', listener: 'length-prefix', local: ep(7485) }));
    fold.step(
      s,
      ev({
        kind: 'socket.open',
        source: 'observed',
        conn: 'lp1',
        side: 'server',
        local: ep(7485),
        remote: ep(40000),
      } as LabEventBody),
    );
    fold.step(
      s,
      ev({ kind: 'socket.data', source: 'observed', conn: 'lp1', dir: 'in', len: 6, b64: '', clipped: false }),
    );
    fold.step(
      s,
      ev({ kind: 'socket.data', source: 'observed', conn: 'lp1', dir: 'in', len: 7, b64: '', clipped: false }),
    );
    fold.step(
      s,
      ev({ kind: 'socket.data', source: 'observed', conn: 'lp1', dir: 'out', len: 9, b64: '', clipped: false }),
    );
    fold.step(
      s,
      ev({
        kind: 'frame.decoded',
        source: 'observed',
        conn: 'lp1',
        mode: 'length-prefix',
        index: 0,
        offset: 0,
        wireLen: 9,
        payloadLen: 5,
        b64: 'aGVsbG8=',
        clipped: false,
        zeroCopy: false,
        read: 2,
      }),
    );
    fold.step(
      s,
      ev({
        kind: 'frame.state',
        source: 'observed',
        conn: 'lp1',
        mode: 'length-prefix',
        state: state({ phase: 'body', bufferedBytes: 0, headerBytes: 0, framesOut: 1, bytesIn: 13 }),
        readLen: 7,
        read: 2,
      }),
    );
    const c = s.conns.get('lp1')!;
    expect(c.mode).toBe('length-prefix');
    expect(c.reads).toEqual([
      { offset: 0, len: 6 },
      { offset: 6, len: 7 },
    ]);
    expect(c.frameSpans).toEqual([{ offset: 0, len: 9 }]);
    expect(c.overheadBytes).toBe(4);
    expect(c.readsMissing).toBe(false);
    expect(c.state?.framesOut).toBe(1);
    expect(stripWindow(c)).toEqual({ from: 0, to: 13 });
  });

  it('notices reads that were not reported, and keeps the bad frame', () => {
    const fold = framingFold('framing');
    const s = fold.init();
    fold.step(
      s,
      ev({
        kind: 'socket.open',
        source: 'observed',
        conn: 'dl1',
        side: 'server',
        local: ep(7484),
        remote: ep(40001),
      } as LabEventBody),
    );
    fold.step(
      s,
      ev({
        kind: 'frame.state',
        source: 'observed',
        conn: 'dl1',
        mode: 'delimiter',
        state: state({ mode: 'delimiter', phase: 'line', bytesIn: 5000 }),
        readLen: 5000,
        read: 1,
      }),
    );
    fold.step(
      s,
      ev({
        kind: 'frame.error',
        source: 'observed',
        conn: 'dl1',
        mode: 'delimiter',
        error: { code: 'E_LINE_TOO_LONG', message: { en: 'x', zh: 'x' } },
        offset: 3,
        state: state({ mode: 'delimiter', phase: 'failed', errorCode: 'E_LINE_TOO_LONG', bytesIn: 5000 }),
      }),
    );
    const c = s.conns.get('dl1')!;
    expect(c.mode).toBe('delimiter');
    expect(c.readsMissing).toBe(true);
    expect(c.bytesSeen).toBe(5000);
    expect(c.error?.error.code).toBe('E_LINE_TOO_LONG');
    expect(stripWindow(c).from).toBe(0);
  });

  it('keeps only the newest closed connections, and ignores other demos', () => {
    const fold = framingFold('framing');
    const s = fold.init();
    for (let i = 0; i < CLOSED_KEPT + 5; i++) {
      fold.step(
        s,
        ev({
          kind: 'socket.open',
          source: 'observed',
          conn: `fx${i}`,
          side: 'server',
          local: ep(7483),
          remote: ep(41000 + i),
        } as LabEventBody),
      );
      fold.step(
        s,
        ev({ kind: 'socket.close', source: 'observed', conn: `fx${i}`, reason: 'eof', bytesIn: 0, bytesOut: 0 }),
      );
    }
    fold.step(
      s,
      ev(
        {
          kind: 'socket.open',
          source: 'observed',
          conn: 's1',
          side: 'server',
          local: ep(7481),
          remote: ep(1),
        } as LabEventBody,
        'echo',
      ),
    );
    expect(s.conns.size).toBe(CLOSED_KEPT);
    expect(s.conns.has('fx0')).toBe(false);
    expect(s.conns.has('s1')).toBe(false);
  });
});
