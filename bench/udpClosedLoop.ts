// Closed-loop UDP load for the benchmarks: each client keeps a window of datagrams in flight, sends the next when a
// reply comes back, and refills the window when replies stop (UDP never says a datagram was dropped).
import dgram from 'node:dgram';

export interface ClosedLoopOptions {
  port: number;
  clients: number;
  /** Datagrams each client keeps in flight. */
  window: number;
  runMs: number;
  /** What client `i` sends, every time. */
  payload(client: number): Buffer;
}

/** Replies received and datagrams sent over the run, and how long it took (seconds). */
export async function udpClosedLoop(o: ClosedLoopOptions): Promise<{ replies: number; sent: number; seconds: number }> {
  let replies = 0;
  let sent = 0;
  let running = true;
  const sockets = await Promise.all(
    Array.from({ length: o.clients }, async () => {
      const s = dgram.createSocket('udp4');
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
      return s;
    }),
  );
  const start = performance.now();
  for (const [i, s] of sockets.entries()) {
    const payload = o.payload(i);
    let lastReply = performance.now();
    const send = () => {
      if (!running) return;
      sent++;
      s.send(payload, o.port, '127.0.0.1');
    };
    s.on('message', () => {
      replies++;
      lastReply = performance.now();
      send();
    });
    // Refill the window when datagrams were dropped (a budget, a full buffer).
    const refill = setInterval(() => {
      if (performance.now() - lastReply > 20) for (let k = 0; k < o.window; k++) send();
    }, 20);
    s.once('close', () => clearInterval(refill));
    for (let k = 0; k < o.window; k++) send();
  }
  await new Promise((r) => setTimeout(r, o.runMs));
  running = false;
  const seconds = (performance.now() - start) / 1000;
  for (const s of sockets) s.close();
  return { replies, sent, seconds };
}
