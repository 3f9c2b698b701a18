// The netpoller demo's load generator: opens idle connections (connect, then silence) and busy ones (64 bytes
// out, wait for the 64 back, again, as fast as the server answers) to one echo server, and counts round trips.
import net from 'node:net';

const MESSAGE = Buffer.alloc(64, 0x61);
/** Connects in flight at once: a listen backlog of 128 (Node's net default is 511) is never overrun. */
const CONNECT_BATCH = 100;

export class EchoLoad {
  private readonly sockets: net.Socket[] = [];
  private stopped = false;
  /** Round trips the busy clients completed since the load began. */
  roundTrips = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  get open(): number {
    return this.sockets.filter((s) => !s.destroyed).length;
  }

  /** Opens `count` idle connections, reporting progress after each batch; rejects when one cannot connect. */
  async openIdle(count: number, progress: (connected: number) => void = () => {}): Promise<void> {
    for (let done = 0; done < count && !this.stopped;) {
      const batch = Math.min(CONNECT_BATCH, count - done);
      await Promise.all(Array.from({ length: batch }, () => this.connect()));
      done += batch;
      progress(done);
    }
  }

  /** Opens `count` busy connections, each starting its first round trip at once. */
  async openBusy(count: number): Promise<void> {
    const sockets = await Promise.all(Array.from({ length: count }, () => this.connect()));
    for (const socket of sockets) this.pingPong(socket);
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.length = 0;
  }

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      this.sockets.push(socket);
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
      socket.on('error', () => socket.destroy());
    });
  }

  private pingPong(socket: net.Socket): void {
    let awaiting = MESSAGE.length;
    socket.on('data', (chunk: Buffer) => {
      awaiting -= chunk.length;
      while (awaiting <= 0 && !this.stopped) {
        this.roundTrips++;
        awaiting += MESSAGE.length;
        socket.write(MESSAGE);
      }
    });
    socket.write(MESSAGE);
  }
}
