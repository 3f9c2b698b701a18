// The one event model: every observation the lab makes is a LabEvent. Shared by server and web.
// Each domain keeps its own union in events/<domain>.ts; this file joins them.
import type { DemoEvent } from './events/demo.js';
import type { SocketEvent } from './events/socket.js';
import type { PacketEvent } from './events/packet.js';
import type { TcpStateEvent } from './events/tcpState.js';
import type { HandshakeEvent } from './events/handshake.js';
import type { FrameEvent } from './events/frame.js';
import type { StreamEvent } from './events/stream.js';
import type { GoroutineEvent } from './events/goroutine.js';
import type { WorkerPoolEvent } from './events/workerPool.js';
import type { GoRunEvent } from './events/goRun.js';
import type { HttpEvent } from './events/http.js';
import type { RateLimitEvent } from './events/rateLimit.js';
import type { CircuitBreakerEvent } from './events/circuitBreaker.js';
import type { FaultEvent } from './events/fault.js';
import type { ReconnectStormEvent } from './events/reconnectStorm.js';
import type { GracefulShutdownEvent } from './events/gracefulShutdown.js';
import type { UdpEvent } from './events/udp.js';
import type { ConnectionPoolEvent } from './events/connectionPool.js';
import type { TcpLossEvent } from './events/tcpLoss.js';
import type { PortReuseEvent } from './events/portReuse.js';
import type { NetpollerEvent } from './events/netpoller.js';
import type { DnsEvent } from './events/dns.js';
import type { TlsEvent } from './events/tls.js';

/** Where a value came from. The UI always shows it. */
export type EventSource =
  /** Real packets from a capture (tcpdump). */
  | 'captured'
  /** The kernel's socket table, sampled (/proc/net/tcp, netstat). */
  | 'polled'
  /** Socket-API and runtime events the lab saw happen. */
  | 'observed'
  /** States of a real Go program's goroutines seen at sample times (not every transition). */
  | 'sampled'
  /** Inferred by a model; never presented as real. */
  | 'modelled';

/** An event as a producer publishes it, before the bus stamps it. */
export type LabEventBody =
  | SocketEvent
  | DemoEvent
  | FrameEvent
  | StreamEvent
  | PacketEvent
  | TcpStateEvent
  | HandshakeEvent
  | GoroutineEvent
  | WorkerPoolEvent
  | GoRunEvent
  | HttpEvent
  | RateLimitEvent
  | CircuitBreakerEvent
  | FaultEvent
  | ReconnectStormEvent
  | GracefulShutdownEvent
  | UdpEvent
  | ConnectionPoolEvent
  | TcpLossEvent
  | PortReuseEvent
  | NetpollerEvent
  | DnsEvent
  | TlsEvent;

/** What the bus adds to every event. */
export interface EventStamp {
  /** Increases by one per event, per server process. */
  seq: number;
  /** Wall-clock milliseconds since the Unix epoch, with sub-millisecond precision. */
  t: number;
  /** The demo (or snippet session) that produced it. */
  demo: string;
}

/**
 * A stamped event.
 * @example { seq: 42, t: 1763800000123.456, demo: 'echo', kind: 'socket.open', source: 'observed', conn: 'c1', ... }
 */
export type LabEvent = LabEventBody & EventStamp;

export type LabEventKind = LabEventBody['kind'];

/** Picks the event type of one kind. */
export type EventOfKind<K extends LabEventKind> = Extract<LabEvent, { kind: K }>;

/**
 * High-volume kinds that a slow browser may be sent only a sample of (the count of dropped events is reported).
 * Everything else (opens, closes, counters, errors) always arrives.
 */
export const SAMPLED_KINDS: ReadonlySet<string> = new Set<LabEventKind>(['socket.data']);
