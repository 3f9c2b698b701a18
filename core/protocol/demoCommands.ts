// Every demo's command map by demo id: the browser's command(demo, action, args) takes its types from here.
import type { CommandArgsIn, CommandMap, CommandResult } from './commandMap.js';
import { ECHO_COMMANDS, ECHO_DEMO } from './demos/echo.js';
import { FRAMING_COMMANDS, FRAMING_DEMO } from './demos/framing.js';
import { GOROUTINES_COMMANDS, GOROUTINES_DEMO } from './demos/goroutines.js';
import { HANDSHAKE_COMMANDS, HANDSHAKE_DEMO } from './demos/handshake.js';
import { STREAM_COMMANDS, STREAM_DEMO } from './demos/stream.js';
import { WORKER_POOL_COMMANDS, WORKER_POOL_DEMO } from './demos/workerPool.js';
import { HTTP_COMMANDS, HTTP_DEMO } from './demos/http.js';
import { GO_COMMANDS, GO_DEMO } from './demos/goRun.js';
import { RATE_LIMIT_COMMANDS, RATE_LIMIT_DEMO } from './demos/rateLimit.js';
import { CIRCUIT_BREAKER_COMMANDS, CIRCUIT_BREAKER_DEMO } from './demos/circuitBreaker.js';
import { FAULT_PROXY_COMMANDS, FAULT_PROXY_DEMO } from './demos/faultProxy.js';
import { RECONNECT_STORM_COMMANDS, RECONNECT_STORM_DEMO } from './demos/reconnectStorm.js';
import { GRACEFUL_SHUTDOWN_COMMANDS, GRACEFUL_SHUTDOWN_DEMO } from './demos/gracefulShutdown.js';
import { UDP_COMMANDS, UDP_DEMO } from './demos/udp.js';
import { CONNECTION_POOL_COMMANDS, CONNECTION_POOL_DEMO } from './demos/connectionPool.js';
import { TCP_LOSS_COMMANDS, TCP_LOSS_DEMO } from './demos/tcpLoss.js';
import { PORT_REUSE_COMMANDS, PORT_REUSE_DEMO } from './demos/portReuse.js';
import { NETPOLLER_COMMANDS, NETPOLLER_DEMO } from './demos/netpoller.js';
import { DNS_COMMANDS, DNS_DEMO } from './demos/dns.js';
import { TLS_COMMANDS, TLS_DEMO } from './demos/tls.js';

export const DEMO_COMMANDS = {
  [ECHO_DEMO]: ECHO_COMMANDS,
  [STREAM_DEMO]: STREAM_COMMANDS,
  [FRAMING_DEMO]: FRAMING_COMMANDS,
  [HANDSHAKE_DEMO]: HANDSHAKE_COMMANDS,
  [GOROUTINES_DEMO]: GOROUTINES_COMMANDS,
  [WORKER_POOL_DEMO]: WORKER_POOL_COMMANDS,
  [HTTP_DEMO]: HTTP_COMMANDS,
  [GO_DEMO]: GO_COMMANDS,
  [RATE_LIMIT_DEMO]: RATE_LIMIT_COMMANDS,
  [CIRCUIT_BREAKER_DEMO]: CIRCUIT_BREAKER_COMMANDS,
  [FAULT_PROXY_DEMO]: FAULT_PROXY_COMMANDS,
  [RECONNECT_STORM_DEMO]: RECONNECT_STORM_COMMANDS,
  [GRACEFUL_SHUTDOWN_DEMO]: GRACEFUL_SHUTDOWN_COMMANDS,
  [UDP_DEMO]: UDP_COMMANDS,
  [CONNECTION_POOL_DEMO]: CONNECTION_POOL_COMMANDS,
  [TCP_LOSS_DEMO]: TCP_LOSS_COMMANDS,
  [PORT_REUSE_DEMO]: PORT_REUSE_COMMANDS,
  [NETPOLLER_DEMO]: NETPOLLER_COMMANDS,
  [DNS_DEMO]: DNS_COMMANDS,
  [TLS_DEMO]: TLS_COMMANDS,
} as const satisfies Record<string, CommandMap>;

export type DemoId = keyof typeof DEMO_COMMANDS;
export type DemoAction<D extends DemoId> = keyof (typeof DEMO_COMMANDS)[D] & string;
/** The arguments a caller sends to `demo.action` (defaults may be left out). */
export type DemoArgs<D extends DemoId, A extends DemoAction<D>> = CommandArgsIn<(typeof DEMO_COMMANDS)[D], A>;
/** The result `demo.action` replies with. */
export type DemoResult<D extends DemoId, A extends DemoAction<D>> = CommandResult<(typeof DEMO_COMMANDS)[D], A>;
