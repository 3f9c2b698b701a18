// A test browser for /ws: opens the socket with the lab's Origin, collects every server message and lets a test
// wait for one. Shared by the gateway's tests.
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage } from '../../core/protocol/wire.js';

/** A test browser: collects every server message and lets a test wait for one. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  private readonly waiters: (() => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(d.toString()) as ServerMessage);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url, { origin: url.replace(/^ws(:\/\/[^/]+).*$/, 'http$1') });
    const client = new TestClient(ws);
    await new Promise((r, j) => {
      ws.once('open', r);
      ws.once('error', j);
    });
    return client;
  }
  send(v: unknown): void {
    this.ws.send(typeof v === 'string' ? v : JSON.stringify(v));
  }
  async next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const end = Date.now() + 5000;
    for (;;) {
      const i = this.messages.findIndex((m) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>));
      if (i >= 0) return this.messages.splice(i, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (Date.now() > end) throw new Error(`no ${type} message; got ${JSON.stringify(this.messages).slice(0, 400)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }
  async hello(): Promise<void> {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION, build: 'test-build' });
    await this.next('welcome');
  }
  close(): void {
    this.ws.close();
  }
}
