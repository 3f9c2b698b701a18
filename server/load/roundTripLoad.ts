// A bounded load generator: N connections each send a message, wait for the whole echo, and repeat, for a fixed
// time. Loopback only. Used by the benchmarks and by demos that need a crowd of real clients.
import net from 'node:net';

export interface RoundTripLoadOptions {
  host: string;
  port: number;
  connections: number;
  messageBytes: number;
  durationMs: number;
  /** Bytes of the reply that complete one round trip (default: the message size, as for an echo server). */
  replyBytes?: number;
  /** Builds the bytes to send (default: messageBytes of 'x' ending in '\n'). */
  message?: Uint8Array;
  /** Round trips per second per connection; absent = as fast as the server answers. */
  ratePerConnection?: number;
  /** Ends the run early (a browser's stop button). */
  signal?: AbortSignal;
}

export interface RoundTripResult {
  roundTrips: number;
  seconds: number;
  perSecond: number;
  errors: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function runRoundTripLoad(options: RoundTripLoadOptions): Promise<RoundTripResult> {
  if (!LOOPBACK.has(options.host) && !options.host.startsWith('127.')) {
    throw new Error(`load is only sent to loopback addresses, not ${options.host}`);
  }
  const message = options.message ?? Buffer.concat([Buffer.alloc(options.messageBytes - 1, 0x78), Buffer.from('\n')]);
  const replyBytes = options.replyBytes ?? message.length;
  let roundTrips = 0;
  let errors = 0;
  const sockets: net.Socket[] = [];
  await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<void>((resolve, reject) => {
          const s = net.connect({ host: options.host, port: options.port, noDelay: true }, () => resolve());
          s.once('error', reject);
          sockets.push(s);
        }),
    ),
  );
  const started = performance.now();
  let running = true;
  const gap = options.ratePerConnection ? 1000 / options.ratePerConnection : 0;
  for (const s of sockets) {
    let pending = 0;
    const send = () => {
      if (!running) return;
      pending = replyBytes;
      s.write(message);
    };
    s.on('data', (d: Buffer) => {
      pending -= d.length;
      if (pending > 0 || !running) return;
      roundTrips++;
      if (gap > 0) setTimeout(send, gap);
      else send();
    });
    s.on('error', () => errors++);
    send();
  }
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    const timer = setTimeout(resolve, options.durationMs);
    options.signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  running = false;
  const seconds = (performance.now() - started) / 1000;
  for (const s of sockets) s.destroy();
  return { roundTrips, seconds, perSecond: roundTrips / seconds, errors };
}
