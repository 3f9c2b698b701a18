// The load generator of lesson 16: N clients on loopback, each sending "REQ <id>" and the next one as soon as it
// has the answer. It counts requests sent without an answer when their connection ended, and connects refused
// (each client tries once more after its connection ends). stop() ends every client.
import net from 'node:net';

export interface LoadCounts {
  sent: number;
  answered: number;
  unanswered: number;
  refusedConnects: number;
}

export class ShutdownLoad {
  readonly counts: LoadCounts = { sent: 0, answered: 0, unanswered: 0, refusedConnects: 0 };
  private readonly sockets = new Set<net.Socket>();
  private stopped = false;
  private nextId = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Connects every client; resolves when all are connected (or failed). */
  async start(clients: number): Promise<void> {
    await Promise.all(Array.from({ length: clients }, () => this.client(true)));
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private client(retryOnce: boolean): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
      this.sockets.add(socket);
      let waiting: string | null = null;
      let connected = false;
      let buffered = '';
      const send = () => {
        if (this.stopped || socket.destroyed || !socket.writable) return;
        waiting = String(this.nextId++);
        this.counts.sent++;
        socket.write(`REQ ${waiting}\n`);
      };
      socket.on('connect', () => {
        connected = true;
        resolve();
        send();
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (waiting !== null && (line === `OK ${waiting}` || line === `OK ${waiting} close`)) {
            this.counts.answered++;
            waiting = null;
            // "close": the server is shutting down and will read nothing more on this connection.
            if (!line.endsWith(' close')) send();
          }
        }
      });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (!connected && err.code === 'ECONNREFUSED') this.counts.refusedConnects++;
      });
      socket.on('close', () => {
        this.sockets.delete(socket);
        resolve();
        if (this.stopped) return;
        if (waiting !== null) this.counts.unanswered++;
        // A client whose connection ended tries once more: after a shutdown began, that connect is refused.
        if (retryOnce && connected) void this.client(false);
      });
    });
  }
}
