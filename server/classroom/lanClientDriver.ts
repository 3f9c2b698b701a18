// Drives fixtures/lanClient.ts inside a private network namespace: HTTP requests and WebSockets from a "student's
// computer", with a cookie jar per simulated browser. For tests and benchmarks.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { LanRequest, LanResponse } from './fixtures/lanClient.js';
import type { PrivateNetwork } from './privateNetwork.js';

type Pending = (r: LanResponse) => void;
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}
type Without<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const clientScript = fileURLToPath(new URL('./fixtures/lanClient.ts', import.meta.url));

export class LanClient {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Everything each open WebSocket has received, in order; `closed` once it closed. */
  readonly received = new Map<number, { messages: string[]; closed: number | null }>();

  constructor(net: PrivateNetwork) {
    this.child = net.spawn(process.execPath, ['--import', 'tsx', clientScript], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const r = JSON.parse(line) as LanResponse;
      if ('socket' in r && !('id' in r)) {
        const box = this.received.get(r.socket) ?? { messages: [], closed: null };
        if (r.message !== undefined) box.messages.push(r.message);
        if (r.closed !== undefined) box.closed = r.closed;
        this.received.set(r.socket, box);
        return;
      }
      const done = this.pending.get((r as { id: number }).id);
      this.pending.delete((r as { id: number }).id);
      done?.(r);
    });
  }

  private ask(req: Without<LanRequest, 'id'>): Promise<LanResponse> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.stdin!.write(`${JSON.stringify({ ...req, id })}\n`);
    });
  }

  async http(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<HttpAnswer> {
    const body =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    // As a browser on the lab's own page would: a request that changes something carries the page's Origin.
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    };
    if (method !== 'GET' && method !== 'HEAD' && headers.origin === undefined) headers.origin = new URL(url).origin;
    const r = await this.ask({ kind: 'http', method, url, headers, ...(body !== undefined ? { body } : {}) });
    if ('error' in r) throw new Error(r.error);
    return r as HttpAnswer;
  }

  /** Opens a WebSocket: the socket's number, or the HTTP status the upgrade was refused with. */
  async ws(url: string, headers: Record<string, string> = {}): Promise<{ socket: number } | { refused: number }> {
    const page = new URL(url);
    page.protocol = page.protocol === 'wss:' ? 'https:' : 'http:';
    const r = await this.ask({ kind: 'ws-open', url, headers: { origin: page.origin, ...headers } });
    if ('opened' in r) return r.opened ? { socket: r.socket } : { refused: r.status };
    throw new Error(JSON.stringify(r));
  }

  async wsSend(socket: number, data: unknown): Promise<void> {
    await this.ask({ kind: 'ws-send', socket, data: JSON.stringify(data) });
  }

  close(): void {
    this.child.stdin!.end();
    this.child.kill();
  }
}

/** One simulated browser's cookies, as a header for the next request. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(answer: HttpAnswer): void {
    const set = answer.headers['set-cookie'];
    if (!set) return;
    for (const one of set.split(/,(?=\s*[A-Za-z_]+=)/)) {
      const [pair] = one.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
}
