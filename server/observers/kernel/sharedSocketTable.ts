// One reader of the kernel's TCP socket table shared by every bridge session: however many sessions poll their
// sockets' states, the table is read and parsed at most once per `maxAgeMs`; the bridge's listen check reads it too.
import type { KernelSocket, SocketTableParse } from './kernelSocket.js';
import { defaultSocketTableSource, type SocketTableSource } from './kernelStateObserver.js';

/** A TCP listener in the table: the address it is bound to (IPv6 without brackets) and its port. */
export interface TableListener {
  host: string;
  port: number;
}

export class SharedSocketTable implements SocketTableSource {
  readonly method: string;
  private latest: { at: number; table: Promise<SocketTableParse> } | null = null;
  private reads = 0;

  constructor(
    private readonly source: SocketTableSource | null = defaultSocketTableSource(),
    private readonly maxAgeMs = 4,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.method = source?.method ?? 'none';
  }

  /** Reads of the real table so far. */
  get readCount(): number {
    return this.reads;
  }

  /** The table, read now or shared with a read begun less than maxAgeMs ago. */
  read(): Promise<SocketTableParse> {
    const at = this.now();
    if (this.latest && at - this.latest.at < this.maxAgeMs) return this.latest.table;
    return this.readFresh(at);
  }

  /** Every listening socket, from a read begun now (a listen check must not miss a listener just opened). */
  async listeners(): Promise<TableListener[]> {
    if (!this.source) return [];
    try {
      const table = await this.readFresh(this.now());
      return table.sockets.filter((s) => s.state === 'LISTEN').map(listenerOf);
    } catch {
      return [];
    }
  }

  private readFresh(at: number): Promise<SocketTableParse> {
    if (!this.source) return Promise.reject(new Error(`no socket-table reader for ${process.platform}`));
    this.reads++;
    const table = this.source.read();
    this.latest = { at, table };
    // A failed read is not kept: the next caller tries again.
    table.catch(() => {
      if (this.latest?.table === table) this.latest = null;
    });
    return table;
  }
}

function listenerOf(s: KernelSocket): TableListener {
  const host = s.local.slice(0, s.local.lastIndexOf(':')).replace(/^\[|\]$/g, '');
  return { host, port: s.localPort };
}
