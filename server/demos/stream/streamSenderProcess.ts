// The stream demo's sender: a process of its own, so it writes while the lab's receiver reads, as two programs on
// one machine would (in one process, the receiver could only read when the sender yielded). Driven over IPC by
// streamSenderLink.ts. Listens on STREAM_SENDER_HOST:STREAM_SENDER_PORT; sends UDP from an ephemeral port.
import dgram from 'node:dgram';
import net from 'node:net';
import type { StreamRunSettings } from '../../../core/protocol/events/stream.js';
import { messageBytes, type FromSender, type ToSender, type WriteRecord } from './senderMessages.js';

const host = process.env.STREAM_SENDER_HOST ?? '127.0.0.1';
const port = Number(process.env.STREAM_SENDER_PORT ?? 0);
/** How long an accepted connection waits for its run (and a run for its connection). */
const MATCH_TIMEOUT_MS = 5000;
const FLUSH_MS = 40;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function send(message: FromSender): void {
  process.send?.(message);
}

/** Write records go to the lab in small batches, not one IPC message per write. */
class WriteLog {
  private pending: WriteRecord[] = [];
  private last = 0;

  constructor(private readonly run: string) {}

  add(record: WriteRecord): void {
    this.pending.push(record);
    if (record.at - this.last >= FLUSH_MS) this.flush();
  }

  flush(): void {
    this.last = now();
    if (this.pending.length === 0) return;
    send({ type: 'writes', run: this.run, writes: this.pending });
    this.pending = [];
  }
}

/** Resolves once the kernel has the bytes (the write callback), like a Go Write returning. */
function written(socket: net.Socket, data: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => socket.write(data, (err) => (err ? reject(err) : resolve())));
}

async function sendTcp(socket: net.Socket, run: string, s: StreamRunSettings): Promise<void> {
  socket.setNoDelay(s.noDelay);
  const log = new WriteLog(run);
  let offset = 0;
  let batch = 0;
  for (let i = 0; i < s.count; batch++) {
    const k = Math.min(s.corkBatch, s.count - i);
    // cork: Node keeps the batch's writes and hands them to the kernel in one writev call at uncork.
    if (k > 1) socket.cork();
    let last: Promise<void> = Promise.resolve();
    for (let j = 0; j < k; j++, i++) {
      const data = messageBytes(i, s.size);
      last = written(socket, data);
      // Not corked: wait for each write, so each message is its own system call.
      if (k === 1) await last;
      log.add({ index: i, offset, len: data.length, batch, at: now() });
      offset += data.length;
    }
    if (k > 1) {
      socket.uncork();
      await last;
    }
    if (s.intervalMs > 0 && i < s.count) {
      log.flush();
      await sleep(s.intervalMs);
    }
  }
  log.flush();
  await new Promise<void>((resolve) => socket.end(resolve));
}

async function sendUdp(run: string, target: { host: string; port: number }, s: StreamRunSettings): Promise<void> {
  const socket = dgram.createSocket(net.isIPv6(target.host) ? 'udp6' : 'udp4');
  const log = new WriteLog(run);
  try {
    let offset = 0;
    for (let i = 0; i < s.count; i++) {
      const data = messageBytes(i, s.size);
      await new Promise<void>((resolve, reject) =>
        socket.send(data, target.port, target.host, (err) => (err ? reject(err) : resolve())),
      );
      log.add({ index: i, offset, len: data.length, batch: i, at: now() });
      offset += data.length;
      if (s.intervalMs > 0 && i + 1 < s.count) {
        log.flush();
        await sleep(s.intervalMs);
      }
    }
    log.flush();
  } finally {
    socket.close();
  }
}

// A run and its connection can arrive in either order (IPC and TCP are separate channels); match them by port.
const waitingSockets = new Map<number, net.Socket>();
const waitingRuns = new Map<number, (socket: net.Socket) => void>();

function runTcp(message: Extract<ToSender, { type: 'tcp-run' }>): void {
  const start = (socket: net.Socket) => {
    sendTcp(socket, message.run, message.settings).then(
      () => send({ type: 'run-done', run: message.run }),
      (err: unknown) => {
        socket.destroy();
        send({ type: 'run-done', run: message.run, error: String(err) });
      },
    );
  };
  const socket = waitingSockets.get(message.receiverPort);
  if (socket) {
    waitingSockets.delete(message.receiverPort);
    start(socket);
    return;
  }
  waitingRuns.set(message.receiverPort, start);
  setTimeout(() => {
    if (waitingRuns.get(message.receiverPort) === start) {
      waitingRuns.delete(message.receiverPort);
      send({ type: 'run-done', run: message.run, error: 'the receiver never connected' });
    }
  }, MATCH_TIMEOUT_MS).unref();
}

const server = net.createServer((socket) => {
  const peerPort = socket.remotePort ?? 0;
  socket.on('error', () => socket.destroy());
  const run = waitingRuns.get(peerPort);
  if (run) {
    waitingRuns.delete(peerPort);
    run(socket);
    return;
  }
  waitingSockets.set(peerPort, socket);
  setTimeout(() => {
    // Nobody claimed it: not a receiver of the lab's (nc, a port scan). Close it.
    if (waitingSockets.get(peerPort) === socket) {
      waitingSockets.delete(peerPort);
      socket.destroy();
    }
  }, MATCH_TIMEOUT_MS).unref();
});

server.on('error', (err) => {
  send({
    type: 'fatal',
    error: (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is in use` : String(err),
  });
  process.exit(1);
});

server.listen({ host, port, exclusive: true }, () => {
  const address = server.address();
  send({ type: 'ready', tcpPort: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (raw: ToSender) => {
  if (raw.type === 'tcp-run') runTcp(raw);
  else if (raw.type === 'udp-run') {
    sendUdp(raw.run, { host: raw.host, port: raw.port }, raw.settings).then(
      () => send({ type: 'run-done', run: raw.run }),
      (err: unknown) => send({ type: 'run-done', run: raw.run, error: String(err) }),
    );
  }
});

// The lab went away: so does the sender.
process.on('disconnect', () => process.exit(0));
