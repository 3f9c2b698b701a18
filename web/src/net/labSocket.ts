// The browser's end of the wire: one WebSocket to /ws, hello and version check, commands as promises,
// event batches into the store, and reconnection with backoff.
import type { DemoAction, DemoArgs, DemoId, DemoResult } from '@core/protocol/demoCommands';
import { wireError, type WireError } from '@core/protocol/errors';
import { PROTOCOL_VERSION, type ClientMessage, type LabStatus, type ServerMessage } from '@core/protocol/wire';
import type { EventStore } from '../store/eventStore';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'reload';

/** A command the server refused, with the server's stable code. */
export class CommandError extends Error {
  constructor(readonly error: WireError) {
    super(`${error.code}: ${error.detail ?? error.message.en}`);
    this.name = 'CommandError';
  }
}

/** The arguments parameter of command(): optional when every argument has a default. */
// `{} extends T` asks "may T be empty?" (every field optional); {} is the type meant here.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type ArgsParam<T> = {} extends T ? [args?: T] : [args: T];

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export interface LabSocketSnapshot {
  state: ConnectionState;
  status: LabStatus | null;
  session: string | null;
  lastError: WireError | null;
}

export class LabSocket {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private demos: string[] = [];
  /** Demos subscribed beside the lesson's by a part of the page (a Go run), by that part's key. */
  private readonly extraDemos = new Map<string, string[]>();
  private retryMs = 500;
  private readonly listeners = new Set<() => void>();
  snapshot: LabSocketSnapshot = { state: 'connecting', status: null, session: null, lastError: null };

  constructor(
    private readonly url: string,
    private readonly store: EventStore,
    private readonly build: string,
  ) {}

  connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.update({ state: 'connecting' });
    ws.onopen = () => {
      this.retryMs = 500;
      this.rawSend({ type: 'hello', protocol: PROTOCOL_VERSION, build: this.build });
    };
    ws.onmessage = (ev) => this.onMessage(typeof ev.data === 'string' ? ev.data : '');
    ws.onclose = () => {
      for (const p of this.pending.values())
        p.reject(new CommandError(wireError('E_LAB_DISCONNECTED', 'the connection closed before the reply')));
      this.pending.clear();
      if (this.snapshot.state === 'reload') return;
      this.update({ state: 'closed' });
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    };
  }

  subscribeState = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LabSocketSnapshot => this.snapshot;

  /** Sets the demos whose events this page receives. Kept across reconnects. */
  setDemos(demos: string[]): void {
    this.demos = demos;
    if (this.snapshot.state === 'open') this.rawSend({ type: 'subscribe', demos: this.subscribed() });
  }

  /**
   * Sets the demos one part of the page receives besides those of setDemos (the Go tab's run), so parts that set
   * their own never drop each other's; [] removes them. Kept across reconnects.
   */
  setExtraDemos(key: string, demos: string[]): void {
    if (demos.length === 0) this.extraDemos.delete(key);
    else this.extraDemos.set(key, demos);
    if (this.snapshot.state === 'open') this.rawSend({ type: 'subscribe', demos: this.subscribed() });
  }

  private subscribed(): string[] {
    const all = new Set(this.demos);
    for (const demos of this.extraDemos.values()) for (const d of demos) all.add(d);
    return [...all];
  }

  /**
   * Sends a command to a demo; resolves with its result or rejects with a CommandError. The argument and result
   * types come from the demo's command map (core/protocol/demos/<demo>.ts), which the server validates against.
   */
  command<D extends DemoId, A extends DemoAction<D>>(
    demo: D,
    action: A,
    ...[args]: ArgsParam<DemoArgs<D, A>>
  ): Promise<DemoResult<D, A>> {
    if (this.snapshot.state !== 'open') return Promise.reject(new CommandError(wireError('E_LAB_DISCONNECTED')));
    const id = this.nextId++;
    return new Promise<DemoResult<D, A>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.rawSend({ type: 'command', id, demo, action, args: args ?? {} });
    });
  }

  /** Sends raw text (used by tests of the server's validation). */
  sendRaw(text: string): void {
    this.ws?.send(text);
  }

  private rawSend(message: ClientMessage): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private update(patch: Partial<LabSocketSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private onMessage(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'welcome': {
        const { type: _type, session, ...status } = message;
        this.update({ state: 'open', status, session });
        const demos = this.subscribed();
        if (demos.length > 0) this.rawSend({ type: 'subscribe', demos });
        return;
      }
      case 'reload':
        this.update({ state: 'reload' });
        this.ws?.close();
        return;
      case 'events':
        this.store.append(message.events, message.dropped);
        return;
      case 'reply': {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        if (message.ok) p.resolve(message.result);
        else p.reject(new CommandError(message.error));
        return;
      }
      case 'error':
        this.update({ lastError: message.error });
        return;
      case 'pong':
        return;
    }
  }
}
