// The WebSocket edge at /ws: one BrowserSession per socket. Validates everything, routes commands to demos,
// and sends events in batches, sampling high-volume kinds when a browser falls behind.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { EventBatcher } from '../events/eventBatcher.js';
import type { Lab } from '../lab.js';
import { wireError, type WireError } from '../../core/protocol/errors.js';
import type { LabEvent } from '../../core/protocol/events.js';
import {
  PROTOCOL_VERSION,
  type ClientMessage,
  type CommandMessage,
  type ServerMessage,
} from '../../core/protocol/wire.js';
import { dispatchCommand } from './commandDispatch.js';
import { parseClientMessage } from './parseClientMessage.js';
import { RateBudget } from '@core/budget/rateBudget.js';
import { connectionOwners } from '../net/connectionOwners.js';
import type { Asker } from '../http/requestGuard.js';
import { ConnectionScope, type Viewer } from './connectionScope.js';

const FLUSH_INTERVAL_MS = 16;
/** Stop sending while this much is still queued in the socket; the batcher samples meanwhile. */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/** ws closes the socket above this; the protocol's own, smaller limit answers with an error instead. */
const WS_MAX_PAYLOAD = 8 * 1024 * 1024;

export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });
  private readonly sessions = new Set<BrowserSession>();
  private readonly scope = new ConnectionScope(connectionOwners);

  constructor(private readonly lab: Lab) {
    // Subscribed before any page, so a connection's owner is known before its first event reaches one.
    lab.bus.subscribe((e) => this.scope.observe(e));
  }

  /**
   * `asker`: the request guard's word on where the page runs (the lab's machine or another one); `onOpen` sees the
   * socket once open (the classroom holds a student's, to close it when their session ends).
   */
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    asker: Asker,
    onOpen?: (ws: WebSocket) => void,
  ): void {
    const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const local = asker === 'local';
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      onOpen?.(ws);
      const session = new BrowserSession(ws, this.lab, this.scope, address, local);
      this.sessions.add(session);
      ws.once('close', () => {
        this.sessions.delete(session);
        session.dispose();
      });
    });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  close(): void {
    for (const s of this.sessions) s.close(1001, 'lab server stopping');
    this.wss.close();
  }
}

class BrowserSession {
  readonly id = randomUUID();
  private helloed = false;
  private readonly subscriptions = new Set<string>();
  private readonly batcher = new EventBatcher();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly limiter = new RateBudget({ perSecond: 50, burst: 100, clock: Date.now });

  private readonly viewer: Viewer;

  constructor(
    private readonly ws: WebSocket,
    private readonly lab: Lab,
    private readonly scope: ConnectionScope,
    address: string,
    private readonly local: boolean,
  ) {
    this.viewer = { session: this.id, address, local };
    this.unsubscribe = lab.bus.subscribe((e) => this.onEvent(e));
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('error', () => ws.terminate());
  }

  dispose(): void {
    this.unsubscribe();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.lab.sessionClosed(this.id);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  private send(message: ServerMessage): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private sendError(error: WireError, id?: number): void {
    if (id === undefined) this.send({ type: 'error', error });
    else this.reply({ type: 'reply', id, ok: false, error });
  }

  /**
   * Sends a reply behind the events queued before it, so a page that sees a command finish has also seen what the
   * command printed. Only a browser far behind (more than one batch queued, or its socket buffer full) can see a
   * reply overtake events.
   */
  private reply(message: ServerMessage): void {
    if (this.batcher.size > 0) {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flush();
    }
    this.send(message);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!this.limiter.take()) {
      this.sendError(wireError('E_RATE_LIMITED'));
      return;
    }
    const parsed = parseClientMessage(data, isBinary);
    if (!parsed.ok) {
      this.sendError(parsed.error, parsed.id);
      return;
    }
    const message = parsed.message;
    if (message.type !== 'hello' && !this.helloed) {
      this.sendError(wireError('E_NOT_READY'), message.type === 'command' ? message.id : undefined);
      return;
    }
    this.dispatch(message);
  }

  private dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'hello':
        this.hello(message.protocol, message.build);
        return;
      case 'subscribe':
        this.subscribe(message.demos);
        return;
      case 'command':
        void this.command(message);
        return;
      case 'ping':
        this.send({ type: 'pong', t: message.t });
        return;
    }
  }

  private hello(protocol: number, build: string): void {
    const serverBuild = this.lab.options.build;
    // 'dev' builds (vite dev server) skip the build check; the protocol number always counts.
    const stale = protocol !== PROTOCOL_VERSION || (serverBuild !== 'dev' && build !== 'dev' && build !== serverBuild);
    if (stale) {
      this.send({
        type: 'reload',
        reason: wireError('E_PROTOCOL_MISMATCH').message,
        serverProtocol: PROTOCOL_VERSION,
        serverBuild,
      });
      return;
    }
    this.helloed = true;
    this.send({ type: 'welcome', session: this.id, ...this.lab.status() });
  }

  private subscribe(demos: string[]): void {
    const added = demos.filter((d) => !this.subscriptions.has(d));
    this.subscriptions.clear();
    for (const d of demos) this.subscriptions.add(d);
    // Replay recent history, so a page opened after something happened still shows it.
    for (const d of added) {
      for (const e of this.lab.bus.recent(d)) {
        const seen = this.scope.visible(e, this.viewer);
        if (seen) this.batcher.push(seen);
      }
    }
    this.scheduleFlush();
  }

  private async command(message: CommandMessage): Promise<void> {
    const outcome = await dispatchCommand(this.lab.demo(message.demo), message, {
      session: this.id,
      local: this.local,
      address: this.viewer.address,
    });
    if (outcome.ok) this.reply({ type: 'reply', id: message.id, ok: true, result: outcome.result });
    else this.sendError(outcome.error, message.id);
  }

  private onEvent(event: LabEvent): void {
    if (!this.helloed || !this.subscriptions.has(event.demo)) return;
    // Another page's bytes never reach this one (connectionScope.ts).
    const seen = this.scope.visible(event, this.viewer);
    if (!seen) return;
    this.batcher.push(seen);
    if (this.batcher.overflowed) {
      // The browser has not read for a long time: let it reconnect rather than hold memory for it.
      this.close(1013, 'browser too slow to receive events; reload to catch up');
      return;
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.scheduleFlush();
      return;
    }
    const batch = this.batcher.take();
    if (batch) this.send({ type: 'events', events: batch.events, dropped: batch.dropped });
    if (this.batcher.size > 0) this.scheduleFlush();
  }
}
