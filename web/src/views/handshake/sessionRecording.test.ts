// A snippet run's recording: the session fold gathers the segments and states a bridge session publishes, names the
// run's clients from its socket events, and carries why capture is off or limited.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '@core/protocol/events';
import { wireError } from '@core/protocol/errors';
import { handshakeRecordingsFold, type HandshakeRecordings } from './handshakeRecording';
import { CLIENT, SERVER, segment, stamp } from './handshakeTestEvents';

const RUN = 'snippet-abc123';
const [serverHost, serverPort] = [
  SERVER.slice(0, SERVER.lastIndexOf(':')),
  Number(SERVER.slice(SERVER.lastIndexOf(':') + 1)),
];
const clientPort = Number(CLIENT.slice(CLIENT.lastIndexOf(':') + 1));

function fold(events: LabEvent[]): HandshakeRecordings {
  const f = handshakeRecordingsFold(RUN, { session: true });
  const state = f.init();
  for (const e of events) f.step(state, e);
  return state;
}

const opened = stamp(
  {
    kind: 'socket.open',
    source: 'observed',
    conn: 'b1',
    side: 'client',
    local: { host: serverHost, port: clientPort },
    remote: { host: serverHost, port: serverPort },
  },
  1,
  RUN,
);

describe('session recording', () => {
  it('records every segment and state of the run from its first observer event, with its client named', () => {
    const events = [
      opened,
      stamp(
        {
          kind: 'packet.captureStatus',
          source: 'observed',
          status: 'capturing',
          filter: `tcp and (port ${serverPort})`,
          interface: 'lo',
        },
        2,
        RUN,
      ),
      stamp(segment('client', 'SYN', 0, null, 0, 3), 3, RUN),
      stamp(segment('server', 'SYN+ACK', 0, 1, 0, 4), 4, RUN),
      // Another run's segment is not this one's.
      stamp(segment('client', 'SYN', 0, null, 0, 5, '127.0.0.1:50001'), 5, 'snippet-ffffff'),
      stamp(
        {
          kind: 'tcpState.pollerStatus',
          source: 'observed',
          status: 'polling',
          method: '/proc/net/tcp',
          intervalMs: 10,
          samples: 0,
        },
        5,
        RUN,
      ),
      stamp(
        {
          kind: 'tcpState.change',
          source: 'polled',
          socket: { local: CLIENT, remote: SERVER },
          from: 'CLOSED',
          to: 'ESTABLISHED',
          sampledAt: 6,
          sinceMs: 2,
        },
        6,
        RUN,
      ),
      stamp(
        {
          kind: 'packet.captureStatus',
          source: 'observed',
          status: 'stopped',
          filter: `tcp and (port ${serverPort})`,
          interface: 'lo',
        },
        7,
        RUN,
      ),
      stamp(
        {
          kind: 'tcpState.pollerStatus',
          source: 'observed',
          status: 'stopped',
          method: '/proc/net/tcp',
          intervalMs: 10,
          samples: 3,
        },
        8,
        RUN,
      ),
    ];
    const state = fold(events);
    const rec = state.runs.get(1)!;
    expect(rec.scenario).toBe('snippet');
    expect(rec.items.map((i) => i.type)).toEqual(['segment', 'segment', 'polled']);
    expect(rec.clients).toEqual([CLIENT]);
    // The session's end stops the capture; the recording still says its segments were captured.
    expect(rec.capture.status).toBe('capturing');
    expect(rec.ended).toBe(true);
    expect(state.capture.status).toBe('stopped');
    // Nor does its poller stopping make the socket table unreadable after the fact.
    expect(rec.polling).toBe(true);
  });

  it('keeps why capture is unavailable, and the note that later connections are not shown', () => {
    const error = wireError('E_CAPTURE_NOT_PERMITTED', 'lo: You don’t have permission');
    const state = fold([
      opened,
      stamp(
        {
          kind: 'packet.captureStatus',
          source: 'observed',
          status: 'unavailable',
          filter: 'tcp and (port 7405)',
          interface: 'lo',
          error,
          enableCommand: 'sudo setcap cap_net_raw,cap_net_admin=eip /usr/bin/tcpdump',
        },
        2,
        RUN,
      ),
      stamp(
        {
          kind: 'demo.error',
          source: 'observed',
          error: wireError('E_BRIDGE_CAPTURE_LIMIT', '16 connections per run are followed'),
        },
        3,
        RUN,
      ),
      stamp(
        {
          kind: 'tcpState.change',
          source: 'polled',
          socket: { local: SERVER, remote: CLIENT },
          from: 'CLOSED',
          to: 'ESTABLISHED',
          sampledAt: 4,
          sinceMs: 2,
        },
        4,
        RUN,
      ),
    ]);
    expect(state.capture).toMatchObject({
      status: 'unavailable',
      info: { error: { code: 'E_CAPTURE_NOT_PERMITTED' } },
    });
    expect(state.limit?.code).toBe('E_BRIDGE_CAPTURE_LIMIT');
    const rec = state.runs.get(1)!;
    expect(rec.clients).toEqual([CLIENT]);
    expect(rec.items).toHaveLength(1);
  });

  it('shows nothing before the run’s observers report', () => {
    expect(fold([opened]).runs.size).toBe(0);
  });
});
