// Tracks TCP connections across captured segments: connection identity, client/server roles and each side's initial sequence number, for relative seq/ack; pure.
import { endpointName } from '../../../core/protocol/events/tcpState.js';

export interface SegmentAddress {
  sourceIp: string;
  sourcePort: number;
  destinationIp: string;
  destinationPort: number;
  /** TCP flag byte (SYN 0x02, ACK 0x10, FIN 0x01, RST 0x04). */
  flags: number;
  seq: number;
  ack: number;
}

export interface TrackedSegment {
  /** 1, 2, 3... in order of first appearance; a new handshake on a reused 4-tuple gets a new id. */
  connectionId: number;
  /** 'client' when the sender is the side that sent the SYN (or, if the handshake was missed, was seen first). */
  senderRole: 'client' | 'server';
  /** Endpoints as `ip:port` (`[ip]:port` for IPv6), fixed for the connection's life. */
  client: string;
  server: string;
  relativeSeq: number;
  /** Null when the segment carries no ACK flag. */
  relativeAck: number | null;
  /** False when the capture began mid-connection: relative numbers then count from the first segment seen. */
  handshakeSeen: boolean;
  /** True on the first segment of a connection. */
  opened: boolean;
}

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

interface Connection {
  id: number;
  client: string;
  server: string;
  /** Lookup keys of the client→server and server→client directions. */
  clientKey: string;
  serverKey: string;
  clientIsn: number | null;
  serverIsn: number | null;
  handshakeSeen: boolean;
  clientFin: boolean;
  serverFin: boolean;
  reset: boolean;
}

export class TcpSequenceTracker {
  private readonly connections = new Map<string, Connection>();
  /** Connections oldest first, for the bound on memory. */
  private readonly order = new Set<Connection>();
  private nextId = 1;

  /** Bounded so a long capture of many short connections cannot grow memory without limit. */
  constructor(private readonly maxConnections = 65536) {}

  get connectionCount(): number {
    return this.order.size;
  }

  private forget(connection: Connection): void {
    this.connections.delete(connection.clientKey);
    this.connections.delete(connection.serverKey);
    this.order.delete(connection);
  }

  observe(segment: SegmentAddress): TrackedSegment {
    // One key per direction, both pointing at the same connection: one string per packet instead of three.
    const key = `${segment.sourceIp}|${segment.sourcePort}|${segment.destinationIp}|${segment.destinationPort}`;
    const isSyn = (segment.flags & SYN) !== 0;
    const isAck = (segment.flags & ACK) !== 0;
    let connection = this.connections.get(key);
    let opened = false;

    if (connection && isSyn && !isAck) {
      // A fresh SYN on a known 4-tuple is a new connection unless it retransmits the SYN we already have.
      const sameSyn = connection.clientKey === key && connection.clientIsn === segment.seq && connection.handshakeSeen;
      const finished = connection.reset || (connection.clientFin && connection.serverFin);
      if (!sameSyn || finished) {
        this.forget(connection);
        connection = undefined;
      }
    }
    if (!connection) {
      const from = endpointName(segment.sourceIp, segment.sourcePort);
      const to = endpointName(segment.destinationIp, segment.destinationPort);
      const reverse = `${segment.destinationIp}|${segment.destinationPort}|${segment.sourceIp}|${segment.sourcePort}`;
      // A lone SYN-ACK (missed SYN) still tells us who the server is.
      const senderIsServer = isSyn && isAck;
      connection = {
        id: this.nextId++,
        client: senderIsServer ? to : from,
        server: senderIsServer ? from : to,
        clientKey: senderIsServer ? reverse : key,
        serverKey: senderIsServer ? key : reverse,
        clientIsn: null,
        serverIsn: null,
        handshakeSeen: isSyn,
        clientFin: false,
        serverFin: false,
        reset: false,
      };
      this.connections.set(key, connection);
      this.connections.set(reverse, connection);
      this.order.add(connection);
      opened = true;
      if (this.order.size > this.maxConnections) this.forget(this.order.values().next().value!);
    }

    const fromClient = connection.clientKey === key;
    let ownIsn = fromClient ? connection.clientIsn : connection.serverIsn;
    if (ownIsn === null) {
      // Without a SYN, count from just before the first byte seen so data starts at 1, as it would after a handshake.
      ownIsn = isSyn ? segment.seq : (segment.seq - 1) >>> 0;
      if (fromClient) connection.clientIsn = ownIsn;
      else connection.serverIsn = ownIsn;
    }
    let relativeAck: number | null = null;
    if (isAck) {
      let peerIsn = fromClient ? connection.serverIsn : connection.clientIsn;
      if (peerIsn === null) {
        peerIsn = (segment.ack - 1) >>> 0;
        if (fromClient) connection.serverIsn = peerIsn;
        else connection.clientIsn = peerIsn;
      }
      relativeAck = (segment.ack - peerIsn) >>> 0;
    }
    if (segment.flags & FIN) {
      if (fromClient) connection.clientFin = true;
      else connection.serverFin = true;
    }
    if (segment.flags & RST) connection.reset = true;

    return {
      connectionId: connection.id,
      senderRole: fromClient ? 'client' : 'server',
      client: connection.client,
      server: connection.server,
      relativeSeq: (segment.seq - ownIsn) >>> 0,
      relativeAck,
      handshakeSeen: connection.handshakeSeen,
      opened,
    };
  }
}
