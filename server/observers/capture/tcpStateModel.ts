// Infers each endpoint's TCP state from captured segments (RFC 9293's state machine), for states too brief for the poller to see; pure. Its output is 'modelled'.
import type { InferredCause, SocketName, TcpStateName } from '../../../core/protocol/events/tcpState.js';

export interface ModelSegment {
  connection: number;
  role: 'client' | 'server';
  client: string;
  server: string;
  /** TCP flag byte. */
  flags: number;
  relSeq: number;
  relAck: number | null;
  len: number;
  handshakeSeen: boolean;
  /** Capture time, wall-clock ms. */
  at: number;
}

export interface InferredTransition {
  socket: SocketName;
  from: TcpStateName;
  to: TcpStateName;
  cause: InferredCause;
  at: number;
  connection: number;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

interface Side {
  socket: SocketName;
  /** Null until the model knows (a server's state before it answers a SYN: listening, or no listener at all). */
  state: TcpStateName | null;
  /** Relative sequence number of this side's FIN, once sent. */
  finSeq: number | null;
}

interface ConnectionModel {
  client: Side;
  server: Side;
  synAt: number | null;
}

function transition(
  out: InferredTransition[],
  side: Side,
  to: TcpStateName,
  cause: InferredCause,
  at: number,
  connection: number,
): void {
  if (side.state === null || side.state === to) return;
  out.push({ socket: side.socket, from: side.state, to, cause, at, connection });
  side.state = to;
}

/** True when `ack` acknowledges the byte at `seq` (relative numbers, compared modulo 2^32). */
function acknowledges(ack: number | null, seq: number): boolean {
  return ack !== null && ((ack - (seq + 1)) | 0) >= 0;
}

export class TcpStateModel {
  private readonly connections = new Map<number, ConnectionModel>();

  constructor(private readonly maxConnections = 65536) {}

  /** Returns the transitions this segment drove (appended to `out` when given, to spare an array per packet). */
  observe(seg: ModelSegment, out: InferredTransition[] = []): InferredTransition[] {
    let c = this.connections.get(seg.connection);
    if (!c) {
      // A capture that began mid-connection: assume both ends established and say nothing until something changes.
      const initial: TcpStateName | null = seg.handshakeSeen ? null : 'ESTABLISHED';
      c = {
        client: {
          socket: { local: seg.client, remote: seg.server },
          state: seg.handshakeSeen ? 'CLOSED' : initial,
          finSeq: null,
        },
        server: { socket: { local: seg.server, remote: seg.client }, state: initial, finSeq: null },
        synAt: null,
      };
      this.connections.set(seg.connection, c);
      if (this.connections.size > this.maxConnections) {
        const oldest = this.connections.keys().next().value;
        if (oldest !== undefined) this.connections.delete(oldest);
      }
    }
    const sender = seg.role === 'client' ? c.client : c.server;
    const receiver = seg.role === 'client' ? c.server : c.client;
    // Most segments (data, plain ACKs) change nothing: leave before any work.
    if (!(seg.flags & (SYN | FIN | RST)) && receiver.state !== 'SYN_RECV' && receiver.finSeq === null) return out;
    const move = (side: Side, to: TcpStateName, cause: InferredCause, at = seg.at): void =>
      transition(out, side, to, cause, at, seg.connection);

    if (seg.flags & RST) {
      if (sender.state !== 'CLOSED') move(sender, 'CLOSED', 'sentRst');
      move(receiver, 'CLOSED', 'receivedRst');
      return out;
    }
    if (seg.flags & SYN) {
      if (!(seg.flags & ACK)) {
        if (sender.state === 'CLOSED') {
          move(sender, 'SYN_SENT', 'sentSyn');
          c.synAt = seg.at;
        }
        return out;
      }
      // SYN-ACK: the server had a listener and answered. Its SYN_RECV began when the SYN arrived.
      if (sender.state === null) {
        sender.state = 'LISTEN';
        move(sender, 'SYN_RECV', 'receivedSyn', c.synAt ?? seg.at);
      }
      if (receiver.state === 'SYN_SENT') move(receiver, 'ESTABLISHED', 'receivedSynAck');
      return out;
    }

    // The receiver handles the acknowledgement first, then any FIN (RFC 9293 §3.10.7.4, steps five and eight).
    if (receiver.state === 'SYN_RECV' && acknowledges(seg.relAck, 0)) move(receiver, 'ESTABLISHED', 'receivedAck');
    const finAcked = receiver.finSeq !== null && acknowledges(seg.relAck, receiver.finSeq);

    if (seg.flags & FIN) {
      if (sender.finSeq === null) sender.finSeq = (seg.relSeq + seg.len) >>> 0;
      if (sender.state === 'ESTABLISHED' || sender.state === 'SYN_RECV') move(sender, 'FIN_WAIT1', 'sentFin');
      else if (sender.state === 'CLOSE_WAIT') move(sender, 'LAST_ACK', 'sentFin');

      if (receiver.state === 'ESTABLISHED') move(receiver, 'CLOSE_WAIT', 'receivedFin');
      else if (receiver.state === 'FIN_WAIT1')
        move(receiver, finAcked ? 'TIME_WAIT' : 'CLOSING', finAcked ? 'receivedFinAck' : 'receivedFin');
      else if (receiver.state === 'FIN_WAIT2') move(receiver, 'TIME_WAIT', 'receivedFin');
      else if (receiver.state === 'CLOSING' && finAcked) move(receiver, 'TIME_WAIT', 'receivedAckOfFin');
      return out;
    }

    if (finAcked) {
      if (receiver.state === 'FIN_WAIT1') move(receiver, 'FIN_WAIT2', 'receivedAckOfFin');
      else if (receiver.state === 'CLOSING') move(receiver, 'TIME_WAIT', 'receivedAckOfFin');
      else if (receiver.state === 'LAST_ACK') move(receiver, 'CLOSED', 'receivedAckOfFin');
    }
    return out;
  }
}
