// Test support for the handshake views: builds the events of a run the way the server publishes them.
import type { LabEvent, LabEventBody } from '@core/protocol/events';
import type { PacketSegmentEvent } from '@core/protocol/events/packet';
import type { TcpStateName } from '@core/protocol/events/tcpState';

export const SERVER = '127.0.0.1:7405';
export const CLIENT = '127.0.0.1:50000';
const CLIENT_ISN = 1_000_000;
const SERVER_ISN = 3_000_000_000;

let seq = 0;
export function stamp(body: LabEventBody, t = 1_700_000_000_000 + seq, demo = 'handshake'): LabEvent {
  return { ...body, seq: ++seq, t, demo } as LabEvent;
}

let index = 0;
export function segment(
  role: 'client' | 'server',
  flags: string,
  relSeq: number,
  relAck: number | null,
  len: number,
  at: number,
  client = CLIENT,
): PacketSegmentEvent {
  const own = role === 'client' ? CLIENT_ISN : SERVER_ISN;
  const peer = role === 'client' ? SERVER_ISN : CLIENT_ISN;
  const from = role === 'client' ? client : SERVER;
  const to = role === 'client' ? SERVER : client;
  const seqNum = (own + relSeq) >>> 0;
  const ackNum = relAck === null ? 0 : (peer + relAck) >>> 0;
  const names = flags.split('+');
  const port = (e: string) => Number(e.slice(e.lastIndexOf(':') + 1));
  return {
    kind: 'packet.segment',
    source: 'captured',
    index: index++,
    tsSec: Math.floor(at / 1000),
    tsNsec: Math.round((at % 1000) * 1e6),
    at,
    connection: port(client),
    client,
    server: SERVER,
    from,
    to,
    role,
    handshakeSeen: true,
    flags: names,
    seqNum,
    ackNum,
    relSeq,
    relAck,
    len,
    window: 65495,
    windowShift: 7,
    headers: {
      link: { type: 'ethernet', destination: '00:00:00:00:00:00', source: '00:00:00:00:00:00', etherType: 0x800 },
      ip: {
        version: 4,
        headerLength: 20,
        dscp: 0,
        ecn: 0,
        totalLength: 52 + len,
        identification: 1,
        dontFragment: true,
        moreFragments: false,
        fragmentOffset: 0,
        ttl: 64,
        protocol: 6,
        checksum: 0,
        source: '127.0.0.1',
        destination: '127.0.0.1',
      },
      tcp: {
        sourcePort: port(from),
        destinationPort: port(to),
        seq: seqNum,
        ack: ackNum,
        dataOffset: 8,
        headerLength: 32,
        flags: 0,
        window: 65495,
        checksum: 0,
        urgentPointer: 0,
        options: names.includes('SYN')
          ? [{ kind: 'mss', value: 65495 }, { kind: 'sackPermitted' }, { kind: 'wscale', shift: 7 }]
          : [],
      },
    },
    hex: '00'.repeat(66 + len),
    hexClipped: false,
    layout: { ipOffset: 14, tcpOffset: 34, payloadOffset: 66, capturedEnd: 66 + len },
    capturedLength: 66 + len,
    originalLength: 66 + len,
    linkType: 'EN10MB',
  };
}

export function polled(local: string, remote: string, from: TcpStateName, to: TcpStateName, at: number): LabEventBody {
  return { kind: 'tcpState.change', source: 'polled', socket: { local, remote }, from, to, sampledAt: at, sinceMs: 2 };
}

export function inferred(
  local: string,
  remote: string,
  from: TcpStateName,
  to: TcpStateName,
  at: number,
  cause: string,
): LabEventBody {
  return {
    kind: 'tcpState.inferred',
    source: 'modelled',
    socket: { local, remote },
    from,
    to,
    cause,
    at,
    connection: 50000,
  } as LabEventBody;
}

/** A client-closes run with a three-segment close, as the lab records one on Linux loopback. */
export function clientClosesRun(run = 1, t0 = 1_700_000_000_000): LabEvent[] {
  const at = (ms: number) => t0 + ms;
  const bodies: LabEventBody[] = [
    {
      kind: 'handshake.runStart',
      source: 'observed',
      run,
      scenario: 'client-closes',
      server: SERVER,
      closedPort: 7406,
      stepDelayMs: 150,
      capture: { status: 'capturing' },
      polling: true,
    },
    { kind: 'handshake.step', source: 'observed', run, side: 'client', client: CLIENT, call: 'dial', at: at(0) },
    segment('client', 'SYN', 0, null, 0, at(0.01)),
    inferred(CLIENT, SERVER, 'CLOSED', 'SYN_SENT', at(0.01), 'sentSyn'),
    segment('server', 'SYN+ACK', 0, 1, 0, at(0.03)),
    inferred(SERVER, CLIENT, 'LISTEN', 'SYN_RECV', at(0.01), 'receivedSyn'),
    inferred(CLIENT, SERVER, 'SYN_SENT', 'ESTABLISHED', at(0.03), 'receivedSynAck'),
    segment('client', 'ACK', 1, 1, 0, at(0.05)),
    inferred(SERVER, CLIENT, 'SYN_RECV', 'ESTABLISHED', at(0.05), 'receivedAck'),
    { kind: 'handshake.step', source: 'observed', run, side: 'client', client: CLIENT, call: 'connected', at: at(0.2) },
    polled(CLIENT, SERVER, 'CLOSED', 'ESTABLISHED', at(2)),
    polled(SERVER, CLIENT, 'CLOSED', 'ESTABLISHED', at(2)),
    segment('client', 'PSH+ACK', 1, 1, 6, at(3)),
    segment('server', 'ACK', 1, 7, 0, at(3.02)),
    segment('server', 'PSH+ACK', 1, 7, 6, at(3.1)),
    segment('client', 'ACK', 7, 7, 0, at(3.12)),
    { kind: 'handshake.step', source: 'observed', run, side: 'client', client: CLIENT, call: 'close', at: at(150) },
    segment('client', 'FIN+ACK', 7, 7, 0, at(150.01)),
    inferred(CLIENT, SERVER, 'ESTABLISHED', 'FIN_WAIT1', at(150.01), 'sentFin'),
    inferred(SERVER, CLIENT, 'ESTABLISHED', 'CLOSE_WAIT', at(150.01), 'receivedFin'),
    segment('server', 'FIN+ACK', 7, 8, 0, at(150.05)),
    inferred(SERVER, CLIENT, 'CLOSE_WAIT', 'LAST_ACK', at(150.05), 'sentFin'),
    inferred(CLIENT, SERVER, 'FIN_WAIT1', 'TIME_WAIT', at(150.05), 'receivedFinAck'),
    segment('client', 'ACK', 8, 8, 0, at(150.07)),
    inferred(SERVER, CLIENT, 'LAST_ACK', 'CLOSED', at(150.07), 'receivedAckOfFin'),
    polled(CLIENT, SERVER, 'ESTABLISHED', 'TIME_WAIT', at(152)),
    polled(SERVER, CLIENT, 'ESTABLISHED', 'CLOSED', at(152)),
    {
      kind: 'handshake.runEnd',
      source: 'observed',
      run,
      scenario: 'client-closes',
      clients: [CLIENT],
      summary: {
        segments: 10,
        handshakeNumbersMatch: true,
        teardownSegments: [3],
        resets: 0,
        timeWait: [{ socket: CLIENT, timerMs: 59990 }],
        closeWait: 0,
      },
    },
  ];
  return bodies.map((b) => stamp(b));
}
