// The two ends of one bulk transfer, run inside the run's private network namespace (`ip netns exec … node`): a
// receiver on 127.0.0.1:<port> and a sender that connects and writes N bytes. Prints JSON lines the run reads.
// Usage: node --import tsx transferPeer.ts <port> <bytes> <progressMs>
import net from 'node:net';

/** One line of the peer's stdout. */
export type PeerLine =
  | { type: 'connected'; senderPort: number }
  | { type: 'progress'; elapsedMs: number; received: number }
  | { type: 'done'; elapsedMs: number; received: number; senderPort: number }
  | { type: 'error'; message: string };

function say(line: PeerLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function main(): void {
  const [port, bytes, progressMs] = process.argv.slice(2).map(Number) as [number, number, number];
  if (![port, bytes, progressMs].every((n) => Number.isInteger(n) && n > 0)) {
    say({ type: 'error', message: 'usage: transferPeer <port> <bytes> <progressMs>' });
    process.exit(2);
  }
  let received = 0;
  let started = 0n;
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const server = net.createServer((socket) => {
    const timer = setInterval(() => say({ type: 'progress', elapsedMs: elapsedMs(), received }), progressMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= bytes) {
        clearInterval(timer);
        say({ type: 'done', elapsedMs: elapsedMs(), received, senderPort: socket.remotePort ?? 0 });
        socket.end();
        server.close();
      }
    });
    socket.on('error', (err) => say({ type: 'error', message: err.message }));
  });
  server.listen(port, '127.0.0.1', () => {
    started = process.hrtime.bigint();
    const sender = net.connect(port, '127.0.0.1', () => {
      say({ type: 'connected', senderPort: sender.localPort ?? 0 });
      // One buffer of the whole size: the kernel's send buffer and cwnd decide the pace, not the program.
      sender.end(Buffer.alloc(bytes, 0x61));
    });
    sender.on('error', (err) => say({ type: 'error', message: err.message }));
    sender.on('close', () => setTimeout(() => process.exit(0), 50).unref());
  });
}

main();
