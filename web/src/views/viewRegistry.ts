// The views a lesson can name in its frontmatter (`views: [echo-lanes, event-log]`), each loaded lazily.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Lesson } from '@core/protocol/lessons';

export interface ViewProps {
  lesson: Lesson;
  /** The demos the lesson subscribed to. */
  demos: string[];
}

type LazyView = LazyExoticComponent<ComponentType<ViewProps>>;

export const VIEW_REGISTRY: Record<string, LazyView> = {
  'echo-lanes': lazy(() => import('./echo/EchoLanes')),
  'event-log': lazy(() => import('./common/EventLog')),
  'byte-ruler': lazy(() => import('./stream/ByteRuler')),
  'framing-inspector': lazy(() => import('./framing/FramingInspector')),
  'handshake-scenarios': lazy(() => import('./handshake/HandshakeScenarios')),
  'flow-graph': lazy(() => import('./handshake/FlowGraph')),
  'tcp-state-machine': lazy(() => import('./handshake/TcpStateMachine')),
  'goroutine-timeline': lazy(() => import('./goroutines/GoroutineTimeline')),
  'goroutine-dump': lazy(() => import('./goroutines/GoroutineDump')),
  'worker-pool': lazy(() => import('./workerPool/WorkerPool')),
  'goroutine-programs': lazy(() => import('./goroutines/GoroutinePrograms')),
  'goroutine-cost': lazy(() => import('./goroutines/GoroutineCost')),
  'http-bytes': lazy(() => import('./http/HttpBytes')),
  'middleware-onion': lazy(() => import('./http/MiddlewareOnion')),
  'rate-limit': lazy(() => import('./rateLimit/RateLimit')),
  'circuit-breaker': lazy(() => import('./circuitBreaker/CircuitBreaker')),
  'fault-proxy': lazy(() => import('./faultProxy/FaultProxyPanel')),
  'reconnect-storm': lazy(() => import('./reconnectStorm/ReconnectStorm')),
  'graceful-shutdown': lazy(() => import('./gracefulShutdown/GracefulShutdown')),
  'udp-lab': lazy(() => import('./udp/UdpLab')),
  'connection-pool': lazy(() => import('./connectionPool/ConnectionPool')),
  'tcp-loss': lazy(() => import('./tcpLoss/TcpLoss')),
  'port-reuse': lazy(() => import('./portReuse/PortReuse')),
  netpoller: lazy(() => import('./netpoller/Netpoller')),
  'dns-lab': lazy(() => import('./dns/DnsLab')),
  'tls-records': lazy(() => import('./tls/TlsRecords')),
};
