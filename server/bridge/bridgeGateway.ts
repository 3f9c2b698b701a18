// The socket bridge's endpoint: a WebSocket at BRIDGE_PATH, one BridgeSession per snippet run (one per worker).
//
// Why its own endpoint rather than binary frames on /ws: the snippet runs in a Web Worker, which opens this socket
// itself — bytes go worker ↔ server without a copy through the page, and terminating the worker (Stop, a time limit)
// closes the socket, which closes every real socket of the run. Bulk bytes never queue behind the page's event
// batches (nor events behind bytes), and /ws keeps its JSON-only validation and message rate limit while the bridge
// has its own credit windows and byte quotas.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Lab } from '../lab.js';
import {
  MAX_BRIDGE_MESSAGE_BYTES,
  MAX_DATA_PAYLOAD,
  type BridgeLimits,
  type BridgeServerMessage,
} from '../../core/protocol/bridge.js';
import type { BridgeCaptureOptions } from './bridgeCapture.js';
import { LabBridgeCounters, type LabWideLimits } from './bridgeQuota.js';
import type { HostPort } from './bridgePolicy.js';
import { SharedSocketTable } from '../observers/kernel/sharedSocketTable.js';
import { BridgeSession } from './bridgeSession.js';

const KiB = 1024;
const MiB = 1024 * KiB;

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxSockets: 1100,
  maxListeners: 16,
  bytesPerSecond: 256 * MiB,
  controlPerSecond: 2000,
  sendWindow: { connBytes: 1 * MiB, connFrames: 256, sessionBytes: 4 * MiB, sessionFrames: 8192 },
  recvWindow: { connBytes: 1 * MiB, sessionBytes: 8 * MiB },
  maxDataPayload: MAX_DATA_PAYLOAD,
};

export interface BridgeGatewayOptions {
  limits?: Partial<BridgeLimits>;
  /** Bridge sessions the lab serves at once (one per open snippet page, about). */
  maxSessions?: number;
  /** Sessions, captures and pollers over the lab and per client (see bridgeQuota.ts). */
  labWide?: Partial<Omit<LabWideLimits, 'maxSessions'>>;
  /** The lab's own listeners (its web port), which no snippet may shadow. */
  labListeners?: () => readonly HostPort[];
  /** The kernel socket table the sessions' pollers and listen checks read (tests pass a fake). */
  table?: SharedSocketTable;
  /** Bridged sockets over every session (each is a file descriptor of the lab's process). */
  maxLabSockets?: number;
  /** Packet capture and kernel states of each session's sockets. */
  capture?: BridgeCaptureOptions;
  /** The sessions' clock for quotas, in milliseconds (tests); default performance.now. */
  now?: () => number;
}

export class BridgeGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BRIDGE_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  private readonly sessions = new Set<BridgeSession>();
  private readonly limits: BridgeLimits;
  private readonly table: SharedSocketTable;
  private readonly labListeners: () => readonly HostPort[];
  private readonly capture: BridgeCaptureOptions | undefined;
  private readonly now: (() => number) | undefined;
  readonly counters: LabBridgeCounters;

  constructor(
    private readonly lab: Lab,
    options: BridgeGatewayOptions = {},
  ) {
    this.limits = { ...DEFAULT_BRIDGE_LIMITS, ...options.limits };
    this.capture = options.capture;
    this.now = options.now;
    this.table = options.table ?? new SharedSocketTable();
    this.labListeners = options.labListeners ?? (() => []);
    this.counters = new LabBridgeCounters(options.maxLabSockets ?? 8192, {
      ...options.labWide,
      ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
    });
  }

  /** `onOpen` sees the socket once open (the classroom holds a student's, to close it when their session ends). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, onOpen?: (ws: WebSocket) => void): void {
    // Host and Origin were checked by the request guard (server/http/requestGuard.ts) before this is called.
    // One client is one machine: every tab and worker of a student's browser shares its address.
    const client = (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      onOpen?.(ws);
      const busy = this.counters.claim('session', client);
      if (busy) {
        refuse(ws, { type: 'fatal', error: busy });
        return;
      }
      const session = new BridgeSession(ws, {
        bus: this.lab.bus,
        limits: this.limits,
        counters: this.counters,
        client,
        table: this.table,
        demoEndpoints: () => this.demoEndpoints(),
        heldListeners: async () => [...(await this.table.listeners()), ...this.labListeners(), ...this.demoEndpoints()],
        ...(this.capture ? { capture: this.capture } : {}),
        ...(this.now ? { now: this.now } : {}),
      });
      this.sessions.add(session);
      ws.once('close', () => {
        this.sessions.delete(session);
        this.counters.release('session', client);
      });
    });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Every TCP endpoint the lab's running demos listen on. */
  private demoEndpoints(): HostPort[] {
    return this.lab
      .status()
      .demos.flatMap((d) =>
        d.endpoints.filter((e) => e.protocol === 'tcp').map((e) => ({ host: e.host, port: e.port })),
      );
  }

  close(): void {
    for (const s of this.sessions) s.dispose();
    for (const ws of this.wss.clients) ws.close(1001, 'lab server stopping');
    this.wss.close();
  }
}

function refuse(ws: WebSocket, message: BridgeServerMessage): void {
  ws.send(JSON.stringify(message));
  ws.close(1013, message.type === 'fatal' ? message.error.code : '');
}
