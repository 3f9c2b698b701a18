import { describe, expect, it } from 'vitest';
import { TcpStateModel, type ModelSegment } from './tcpStateModel.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;
const C = '127.0.0.1:50000';
const S = '127.0.0.1:8080';

let clock = 0;
function seg(
  role: 'client' | 'server',
  flags: number,
  relSeq: number,
  relAck: number | null,
  len = 0,
  connection = 1,
): ModelSegment {
  return { connection, role, client: C, server: S, flags, relSeq, relAck, len, handshakeSeen: true, at: ++clock };
}

/** Runs segments through a fresh model and lists transitions as "side: FROM→TO (cause)". */
function run(segments: ModelSegment[]): string[] {
  const model = new TcpStateModel();
  return segments
    .flatMap((s) => model.observe(s))
    .map((t) => `${t.socket.local === C ? 'client' : 'server'}: ${t.from}→${t.to} (${t.cause})`);
}

describe('TcpStateModel', () => {
  it('walks a handshake and a three-segment teardown (the FIN rides with the ACK)', () => {
    expect(
      run([
        seg('client', SYN, 0, null),
        seg('server', SYN | ACK, 0, 1),
        seg('client', ACK, 1, 1),
        seg('client', PSH | ACK, 1, 1, 5),
        seg('server', ACK, 1, 6),
        seg('client', FIN | ACK, 6, 1),
        seg('server', FIN | ACK, 1, 7),
        seg('client', ACK, 7, 2),
      ]),
    ).toEqual([
      'client: CLOSED→SYN_SENT (sentSyn)',
      'server: LISTEN→SYN_RECV (receivedSyn)',
      'client: SYN_SENT→ESTABLISHED (receivedSynAck)',
      'server: SYN_RECV→ESTABLISHED (receivedAck)',
      'client: ESTABLISHED→FIN_WAIT1 (sentFin)',
      'server: ESTABLISHED→CLOSE_WAIT (receivedFin)',
      'server: CLOSE_WAIT→LAST_ACK (sentFin)',
      'client: FIN_WAIT1→TIME_WAIT (receivedFinAck)',
      'server: LAST_ACK→CLOSED (receivedAckOfFin)',
    ]);
  });

  it('walks a four-segment teardown where the server closes first', () => {
    const handshake = [seg('client', SYN, 0, null), seg('server', SYN | ACK, 0, 1), seg('client', ACK, 1, 1)];
    expect(
      run([
        ...handshake,
        seg('server', FIN | ACK, 1, 1),
        seg('client', ACK, 1, 2),
        seg('client', FIN | ACK, 1, 2),
        seg('server', ACK, 2, 2),
      ]).slice(4),
    ).toEqual([
      'server: ESTABLISHED→FIN_WAIT1 (sentFin)',
      'client: ESTABLISHED→CLOSE_WAIT (receivedFin)',
      'server: FIN_WAIT1→FIN_WAIT2 (receivedAckOfFin)',
      'client: CLOSE_WAIT→LAST_ACK (sentFin)',
      'server: FIN_WAIT2→TIME_WAIT (receivedFin)',
      'client: LAST_ACK→CLOSED (receivedAckOfFin)',
    ]);
  });

  it("goes through CLOSING when the peer's FIN does not acknowledge ours", () => {
    const handshake = [seg('client', SYN, 0, null), seg('server', SYN | ACK, 0, 1), seg('client', ACK, 1, 1)];
    expect(
      run([
        ...handshake,
        seg('client', FIN | ACK, 1, 1),
        seg('server', FIN | ACK, 1, 1),
        seg('client', ACK, 2, 2),
        seg('server', ACK, 2, 2),
      ]).slice(4),
    ).toEqual([
      'client: ESTABLISHED→FIN_WAIT1 (sentFin)',
      'server: ESTABLISHED→CLOSE_WAIT (receivedFin)',
      'server: CLOSE_WAIT→LAST_ACK (sentFin)',
      'client: FIN_WAIT1→CLOSING (receivedFin)',
      'server: LAST_ACK→CLOSED (receivedAckOfFin)',
      'client: CLOSING→TIME_WAIT (receivedAckOfFin)',
    ]);
  });

  it('shows a refused connection: the SYN is answered by RST and nobody was listening', () => {
    expect(run([seg('client', SYN, 0, null), seg('server', RST | ACK, 1, 1)])).toEqual([
      'client: CLOSED→SYN_SENT (sentSyn)',
      'client: SYN_SENT→CLOSED (receivedRst)',
    ]);
  });

  it('keeps a half-closed connection in FIN_WAIT2 / CLOSE_WAIT while data still flows the other way', () => {
    const handshake = [seg('client', SYN, 0, null), seg('server', SYN | ACK, 0, 1), seg('client', ACK, 1, 1)];
    const out = run([
      ...handshake,
      seg('client', FIN | ACK, 1, 1),
      seg('server', ACK, 1, 2),
      seg('server', PSH | ACK, 1, 2, 100),
      seg('client', ACK, 2, 101),
    ]);
    expect(out.slice(4)).toEqual([
      'client: ESTABLISHED→FIN_WAIT1 (sentFin)',
      'server: ESTABLISHED→CLOSE_WAIT (receivedFin)',
      'client: FIN_WAIT1→FIN_WAIT2 (receivedAckOfFin)',
    ]);
  });

  it('ignores a retransmitted FIN and an RST that resets an established connection closes both', () => {
    const handshake = [seg('client', SYN, 0, null), seg('server', SYN | ACK, 0, 1), seg('client', ACK, 1, 1)];
    const out = run([
      ...handshake,
      seg('client', FIN | ACK, 1, 1),
      seg('client', FIN | ACK, 1, 1),
      seg('server', RST | ACK, 1, 2),
    ]);
    expect(out.slice(4)).toEqual([
      'client: ESTABLISHED→FIN_WAIT1 (sentFin)',
      'server: ESTABLISHED→CLOSE_WAIT (receivedFin)',
      'server: CLOSE_WAIT→CLOSED (sentRst)',
      'client: FIN_WAIT1→CLOSED (receivedRst)',
    ]);
  });

  it('assumes ESTABLISHED for a connection whose handshake it missed', () => {
    const model = new TcpStateModel();
    expect(model.observe({ ...seg('client', PSH | ACK, 1, 1, 10), handshakeSeen: false })).toEqual([]);
    const t = model.observe({ ...seg('server', FIN | ACK, 1, 11), handshakeSeen: false });
    expect(t.map((x) => [x.from, x.to])).toEqual([
      ['ESTABLISHED', 'FIN_WAIT1'],
      ['ESTABLISHED', 'CLOSE_WAIT'],
    ]);
  });

  it("dates the server's SYN_RECV from the SYN, not from its answer", () => {
    const model = new TcpStateModel();
    model.observe({ ...seg('client', SYN, 0, null), at: 100 });
    const [recv] = model.observe({ ...seg('server', SYN | ACK, 0, 1), at: 100.02 });
    expect(recv).toMatchObject({ to: 'SYN_RECV', at: 100 });
  });
});
