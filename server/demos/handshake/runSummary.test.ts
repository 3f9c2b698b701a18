import { describe, expect, it } from 'vitest';
import { countTeardownSegments, handshakeNumbersMatch, summariseRun, type SummarySegment } from './runSummary.js';

function seg(
  role: 'client' | 'server',
  flags: string,
  relSeq: number,
  relAck: number | null,
  len = 0,
  connection = 1,
): SummarySegment {
  const isn = role === 'client' ? 1000 : 5000;
  const peerIsn = role === 'client' ? 5000 : 1000;
  return {
    connection,
    role,
    flags: flags.split('+'),
    seqNum: isn + relSeq,
    ackNum: relAck === null ? 0 : peerIsn + relAck,
    relSeq,
    relAck,
    len,
  };
}

const handshake = [seg('client', 'SYN', 0, null), seg('server', 'SYN+ACK', 0, 1), seg('client', 'ACK', 1, 1)];

describe('countTeardownSegments', () => {
  it('counts three when the second FIN carries the ACK of the first', () => {
    expect(
      countTeardownSegments([
        ...handshake,
        seg('client', 'FIN+ACK', 1, 1),
        seg('server', 'FIN+ACK', 1, 2),
        seg('client', 'ACK', 2, 2),
      ]),
    ).toBe(3);
  });

  it('counts four when each FIN is acknowledged on its own', () => {
    expect(
      countTeardownSegments([
        ...handshake,
        seg('server', 'FIN+ACK', 1, 1),
        seg('client', 'ACK', 1, 2),
        seg('client', 'FIN+ACK', 1, 2),
        seg('server', 'ACK', 2, 2),
      ]),
    ).toBe(4);
  });

  it('does not count data and data ACKs that flow after a half-close', () => {
    const segs = [
      ...handshake,
      seg('client', 'FIN+ACK', 1, 1),
      seg('server', 'ACK', 1, 2),
      seg('server', 'PSH+ACK', 1, 2, 20),
      seg('client', 'ACK', 2, 21),
      seg('server', 'PSH+ACK', 21, 2, 20),
      seg('client', 'ACK', 2, 41),
      seg('server', 'FIN+ACK', 41, 2),
      seg('client', 'ACK', 2, 42),
    ];
    expect(countTeardownSegments(segs)).toBe(4);
  });

  it('counts two for a FIN the peer acknowledges but never answers (CLOSE_WAIT)', () => {
    expect(countTeardownSegments([...handshake, seg('client', 'FIN+ACK', 1, 1), seg('server', 'ACK', 1, 2)])).toBe(2);
  });
});

describe('handshakeNumbersMatch', () => {
  it('checks ack = seq + 1 on both answers', () => {
    expect(handshakeNumbersMatch(handshake)).toBe(true);
    const wrong = [handshake[0]!, { ...handshake[1]!, ackNum: 1005 }, handshake[2]!];
    expect(handshakeNumbersMatch(wrong)).toBe(false);
    expect(handshakeNumbersMatch([handshake[0]!, seg('server', 'RST+ACK', 1, 1)])).toBeNull();
  });
});

describe('summariseRun', () => {
  it('summarises connections, resets and the polled TIME_WAIT and CLOSE_WAIT sockets of the run only', () => {
    const segs = [
      ...handshake,
      seg('client', 'FIN+ACK', 1, 1),
      seg('server', 'FIN+ACK', 1, 2),
      seg('client', 'ACK', 2, 2),
      seg('client', 'SYN', 0, null, 0, 2),
      seg('server', 'RST+ACK', 1, 1, 0, 2),
    ];
    const polled = [
      { socket: { local: '127.0.0.1:50000', remote: '127.0.0.1:7405' }, state: 'TIME_WAIT' as const, timerMs: 59990 },
      { socket: { local: '127.0.0.1:40000', remote: '127.0.0.1:7405' }, state: 'TIME_WAIT' as const, timerMs: 1000 },
      { socket: { local: '127.0.0.1:7405', remote: '127.0.0.1:50001' }, state: 'CLOSE_WAIT' as const },
      { socket: { local: '127.0.0.1:7405', remote: '0.0.0.0:0' }, state: 'LISTEN' as const },
    ];
    expect(summariseRun(segs, polled, ['127.0.0.1:50000', '127.0.0.1:50001'], '127.0.0.1:7405')).toEqual({
      segments: 8,
      handshakeNumbersMatch: true,
      teardownSegments: [3],
      resets: 1,
      timeWait: [{ socket: '127.0.0.1:50000', timerMs: 59990 }],
      closeWait: 1,
    });
  });
});
