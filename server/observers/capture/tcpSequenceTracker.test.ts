import { describe, expect, it } from 'vitest';
import { TcpSequenceTracker, type SegmentAddress } from './tcpSequenceTracker.js';

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;
const PSH = 0x08;

function from(clientPort: number, toServer: boolean, flags: number, seq: number, ack = 0): SegmentAddress {
  return toServer
    ? {
        sourceIp: '127.0.0.1',
        sourcePort: clientPort,
        destinationIp: '127.0.0.1',
        destinationPort: 8080,
        flags,
        seq,
        ack,
      }
    : {
        sourceIp: '127.0.0.1',
        sourcePort: 8080,
        destinationIp: '127.0.0.1',
        destinationPort: clientPort,
        flags,
        seq,
        ack,
      };
}

describe('TcpSequenceTracker', () => {
  it("numbers a full connection relative to each side's ISN, including wrap-around", () => {
    const t = new TcpSequenceTracker();
    const clientIsn = 0xfffffff0;
    const serverIsn = 77;
    const r = [
      t.observe(from(50000, true, SYN, clientIsn)),
      t.observe(from(50000, false, SYN | ACK, serverIsn, clientIsn + 1)),
      t.observe(from(50000, true, ACK, clientIsn + 1, serverIsn + 1)),
      t.observe(from(50000, true, PSH | ACK, clientIsn + 1, serverIsn + 1)), // 20 bytes, crosses 2^32
      t.observe(from(50000, false, ACK, serverIsn + 1, (clientIsn + 21) >>> 0)),
      t.observe(from(50000, true, FIN | ACK, (clientIsn + 21) >>> 0, serverIsn + 1)),
      t.observe(from(50000, false, FIN | ACK, serverIsn + 1, (clientIsn + 22) >>> 0)),
      t.observe(from(50000, true, ACK, (clientIsn + 22) >>> 0, serverIsn + 2)),
    ];
    expect(r.map((s) => [s.senderRole, s.relativeSeq, s.relativeAck])).toEqual([
      ['client', 0, null],
      ['server', 0, 1],
      ['client', 1, 1],
      ['client', 1, 1],
      ['server', 1, 21],
      ['client', 21, 1],
      ['server', 1, 22],
      ['client', 22, 2],
    ]);
    expect(new Set(r.map((s) => s.connectionId))).toEqual(new Set([1]));
    expect(r[0]).toMatchObject({
      client: '127.0.0.1:50000',
      server: '127.0.0.1:8080',
      handshakeSeen: true,
      opened: true,
    });
    expect(r[1]!.opened).toBe(false);
  });

  it('keeps separate connections apart and gives a reused 4-tuple a new id after it closed', () => {
    const t = new TcpSequenceTracker();
    const a = t.observe(from(50000, true, SYN, 10));
    const b = t.observe(from(50001, true, SYN, 20));
    t.observe(from(50000, false, RST | ACK, 0, 11));
    const again = t.observe(from(50000, true, SYN, 99));
    expect([a.connectionId, b.connectionId, again.connectionId]).toEqual([1, 2, 3]);
    expect(again.relativeSeq).toBe(0);
    expect(t.observe(from(50000, false, SYN | ACK, 5, 100))).toMatchObject({ connectionId: 3, relativeAck: 1 });
  });

  it('treats a retransmitted SYN as the same connection and a SYN with a new ISN as a new one', () => {
    const t = new TcpSequenceTracker();
    expect(t.observe(from(50000, true, SYN, 10)).connectionId).toBe(1);
    expect(t.observe(from(50000, true, SYN, 10)).connectionId).toBe(1);
    expect(t.observe(from(50000, true, SYN, 500)).connectionId).toBe(2);
  });

  it('numbers an RST answering a SYN to a closed port as Wireshark does (seq 1, ack 1)', () => {
    const t = new TcpSequenceTracker();
    t.observe(from(50000, true, SYN, 4000));
    expect(t.observe(from(50000, false, RST | ACK, 0, 4001))).toMatchObject({
      senderRole: 'server',
      relativeSeq: 1,
      relativeAck: 1,
    });
  });

  it('counts from the first segment seen when the capture missed the handshake, and says so', () => {
    const t = new TcpSequenceTracker();
    const first = t.observe(from(50000, false, PSH | ACK, 9000, 3000));
    expect(first).toMatchObject({
      senderRole: 'client',
      relativeSeq: 1,
      relativeAck: 1,
      handshakeSeen: false,
      client: '127.0.0.1:8080',
    });
    // The peer acknowledges 5 bytes (9000..9004): relative ack 6, the next byte it expects.
    expect(t.observe(from(50000, true, ACK, 3000, 9005))).toMatchObject({ relativeSeq: 1, relativeAck: 6 });
  });

  it('learns the roles from a lone SYN-ACK', () => {
    const t = new TcpSequenceTracker();
    expect(t.observe(from(50000, false, SYN | ACK, 7, 101))).toMatchObject({
      senderRole: 'server',
      client: '127.0.0.1:50000',
      relativeSeq: 0,
      relativeAck: 1,
    });
  });

  it('writes IPv6 endpoints in brackets', () => {
    const t = new TcpSequenceTracker();
    const r = t.observe({
      sourceIp: '::1',
      sourcePort: 1,
      destinationIp: '::1',
      destinationPort: 2,
      flags: SYN,
      seq: 1,
      ack: 0,
    });
    expect([r.client, r.server]).toEqual(['[::1]:1', '[::1]:2']);
  });

  it('forgets the oldest connection beyond its bound', () => {
    const t = new TcpSequenceTracker(3);
    for (let port = 1; port <= 5; port++) t.observe(from(port, true, SYN, port));
    expect(t.connectionCount).toBe(3);
    // Port 1 was forgotten: its next segment starts a new connection record.
    expect(t.observe(from(1, true, ACK, 2, 1)).opened).toBe(true);
    expect(t.observe(from(5, true, ACK, 6, 1)).opened).toBe(false);
  });
});
