// The built-in demos, in the order their ports are given out. Add a demo here to make the lab run it.
import type { Demo } from './demo.js';
import { EchoDemo } from './echo/echoDemo.js';
import { StreamDemo } from './stream/streamDemo.js';
import { FramingDemo } from './framing/framingDemo.js';
import { HandshakeDemo } from './handshake/handshakeDemo.js';
import { GoroutineDemo } from './goroutines/goroutineDemo.js';
import { WorkerPoolDemo } from './workerPool/workerPoolDemo.js';
import { HttpDemo } from './http/httpDemo.js';
import { GoRunDemo } from './goRun/goRunDemo.js';
import { RateLimitDemo } from './rateLimit/rateLimitDemo.js';
import { CircuitBreakerDemo } from './circuitBreaker/circuitBreakerDemo.js';
import { FaultProxyDemo } from './faultProxy/faultProxyDemo.js';
import { ReconnectStormDemo } from './reconnectStorm/reconnectStormDemo.js';
import { GracefulShutdownDemo } from './gracefulShutdown/gracefulShutdownDemo.js';
import { UdpDemo } from './udp/udpDemo.js';
import { ConnectionPoolDemo } from './connectionPool/connectionPoolDemo.js';
import { TcpLossDemo } from './tcpLoss/tcpLossDemo.js';
import { PortReuseDemo } from './portReuse/portReuseDemo.js';
import { NetpollerDemo } from './netpoller/netpollerDemo.js';
import { DnsDemo } from './dns/dnsDemo.js';
import { TlsDemo } from './tls/tlsDemo.js';

/** What the instructor chose at start-up that a demo needs. */
export interface DemoOptions {
  /** --allow-student-go: classroom students may run Go (sandboxed). */
  allowStudentGo?: boolean;
  /** --data DIR: the lab's data folder (the TLS demo keeps its certificates and key log there). */
  dataDir?: string;
}

export type DemoFactory = (options: DemoOptions) => Demo;

export const DEMO_FACTORIES: readonly DemoFactory[] = [
  () => new EchoDemo(),
  () => new StreamDemo(),
  () => new FramingDemo(),
  () => new HandshakeDemo(),
  () => new GoroutineDemo(),
  () => new WorkerPoolDemo(),
  () => new HttpDemo(),
  (options) => new GoRunDemo({ allowStudentGo: options.allowStudentGo ?? false }),
  () => new RateLimitDemo(),
  () => new CircuitBreakerDemo(),
  () => new FaultProxyDemo(),
  () => new ReconnectStormDemo(),
  () => new GracefulShutdownDemo(),
  () => new UdpDemo(),
  () => new ConnectionPoolDemo(),
  () => new TcpLossDemo(),
  () => new PortReuseDemo(),
  () => new NetpollerDemo(),
  () => new DnsDemo(),
  (options) => new TlsDemo({ dataDir: options.dataDir }),
];

export function createDemos(options: DemoOptions = {}): Demo[] {
  return DEMO_FACTORIES.map((make) => make(options));
}
