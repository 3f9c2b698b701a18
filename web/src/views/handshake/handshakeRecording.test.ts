import { describe, expect, it } from 'vitest';
import {
  handshakeRecordingsFold,
  exportRecording,
  importRecording,
  insertByTime,
  type RecordingItem,
} from './handshakeRecording';
import { CLIENT, clientClosesRun, SERVER, segment, stamp } from './handshakeTestEvents';

function fold(events: ReturnType<typeof clientClosesRun>) {
  const f = handshakeRecordingsFold('handshake');
  const state = f.init();
  for (const e of events) f.step(state, e);
  return state;
}

describe('handshakeRecordingsFold', () => {
  it('collects a run into one recording in time order, with its summary', () => {
    const state = fold(clientClosesRun());
    expect(state.order).toEqual([1]);
    const rec = state.runs.get(1)!;
    expect(rec).toMatchObject({
      scenario: 'client-closes',
      server: SERVER,
      ended: true,
      clients: [CLIENT],
      capture: { status: 'capturing' },
    });
    const times = rec.items.map((i) => i.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(rec.items.filter((i) => i.type === 'segment')).toHaveLength(10);
    expect(rec.items.filter((i) => i.type === 'polled')).toHaveLength(4);
    expect(rec.items.filter((i) => i.type === 'step')).toHaveLength(3);
    // The server's SYN_RECV, dated from the SYN, sorts before the SYN-ACK.
    const synRecv = rec.items.findIndex((i) => i.type === 'inferred' && i.event.to === 'SYN_RECV');
    const synAck = rec.items.findIndex((i) => i.type === 'segment' && i.event.flags.join() === 'SYN,ACK');
    expect(synRecv).toBeLessThan(synAck);
    expect(rec.summary?.teardownSegments).toEqual([3]);
    expect(state.active).toBeNull();
  });

  it("leaves out another connection on the same port (a student's nc) once the run says which clients were its own", () => {
    const events = clientClosesRun();
    const end = events.pop()!;
    events.push(stamp(segment('client', 'SYN', 0, null, 0, 1_700_000_000_100, '127.0.0.1:60000')));
    events.push(end);
    const rec = fold(events).runs.get(1)!;
    expect(
      rec.items.filter((i) => i.type === 'segment').every((i) => i.type === 'segment' && i.event.client === CLIENT),
    ).toBe(true);
  });

  it('ignores other demos and events outside runs', () => {
    const state = fold([
      stamp(segment('client', 'SYN', 0, null, 0, 5), 5, 'echo'),
      stamp(segment('client', 'SYN', 0, null, 0, 6)),
    ]);
    expect(state.order).toEqual([]);
  });

  it('files a TIME_WAIT measured a minute later with the run that made the socket', () => {
    const events = clientClosesRun();
    events.push(
      stamp({
        kind: 'tcpState.timeWaitEnded',
        source: 'polled',
        socket: { local: CLIENT, remote: SERVER },
        stayedMs: { min: 59_990, max: 60_041 },
        timerAtEntryMs: 59_990,
      }),
    );
    expect(fold(events).runs.get(1)!.timeWaits).toEqual([
      { socket: CLIENT, stayedMs: { min: 59_990, max: 60_041 }, timerAtEntryMs: 59_990 },
    ]);
  });

  it('remembers why capture is unavailable', () => {
    const state = fold([
      stamp({
        kind: 'packet.captureStatus',
        source: 'observed',
        status: 'unavailable',
        filter: 'tcp',
        interface: 'lo',
        error: { code: 'E_CAPTURE_NOT_PERMITTED', message: { en: 'no', zh: '不' } },
        enableCommand: 'sudo setcap …',
      }),
    ]);
    expect(state.capture).toMatchObject({
      status: 'unavailable',
      info: { enableCommand: 'sudo setcap …', error: { code: 'E_CAPTURE_NOT_PERMITTED' } },
    });
  });

  it('exports a recording and reads it back to the same items', () => {
    const rec = fold(clientClosesRun()).runs.get(1)!;
    const file = JSON.parse(JSON.stringify(exportRecording(rec))) as unknown;
    const back = importRecording(file, -1);
    expect(back.items.map((i) => [i.type, i.at])).toEqual(rec.items.map((i) => [i.type, i.at]));
    expect(back).toMatchObject({ scenario: 'imported', clients: [CLIENT], ended: true, summary: rec.summary });
    expect(() => importRecording({ hello: 1 }, -1)).toThrow(/not a GoNet Lab recording/);
  });
});

describe('insertByTime', () => {
  it('keeps items sorted when one arrives late', () => {
    const items = [1, 3, 5].map((at) => ({ type: 'step', at }) as RecordingItem);
    insertByTime(items, { type: 'step', at: 2 } as RecordingItem);
    insertByTime(items, { type: 'step', at: 9 } as RecordingItem);
    expect(items.map((i) => i.at)).toEqual([1, 2, 3, 5, 9]);
  });
});
