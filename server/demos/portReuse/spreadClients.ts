// The spread runs' clients: connections to the shared port that read which listener answered, then reset (so no
// TIME_WAIT is left behind and the same source port can be used again at once).
import net from 'node:net';
import { listenerOfAnswer } from './spreadTally.js';

/** How one client's connection ended. */
export interface ClientOutcome {
  /** The listener that answered, or null. */
  listener: number | null;
  /** The client's source port (0 when it never connected). */
  localPort: number;
  /** 'answered'; 'reset' (ECONNRESET or the peer closed without an answer); 'timeout'; 'failed' (no connection). */
  end: 'answered' | 'reset' | 'timeout' | 'failed';
}

export interface ClientOptions {
  host: string;
  port: number;
  /** Connect from this source address (the hash check), else the one the kernel picks. */
  localAddress?: string;
  /** And from this source port (with localAddress), else one the kernel picks. */
  localPort?: number;
  timeoutMs: number;
  /** Called once the handshake is done (the kernel may still hold the connection in a listener's queue). */
  onConnect?: () => void;
  signal?: AbortSignal;
}

/** One connection: connect, read the answer line, reset. */
export function askListener(options: ClientOptions): Promise<ClientOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({
      host: options.host,
      port: options.port,
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      ...(options.localAddress && options.localPort ? { localPort: options.localPort } : {}),
    });
    let text = '';
    let localPort = 0;
    let settled = false;
    const finish = (listener: number | null, end: ClientOutcome['end']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Resolved once the socket is closed, so its source port is free for the next try.
      socket.once('close', () => resolve({ listener, localPort, end }));
      if (!socket.destroyed) {
        if (socket.readyState === 'open') socket.resetAndDestroy();
        else socket.destroy();
      } else resolve({ listener, localPort, end });
    };
    const onAbort = () => finish(null, 'timeout');
    const timer = setTimeout(() => finish(null, 'timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      localPort = socket.localPort ?? 0;
      options.onConnect?.();
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\n')) finish(listenerOfAnswer(text.slice(0, text.indexOf('\n'))), 'answered');
    });
    socket.on('end', () => finish(null, 'reset'));
    socket.on('error', () => finish(null, localPort ? 'reset' : 'failed'));
  });
}

/** `count` connections, at most `parallel` at a time; outcomes in the order the connections were started. */
export async function askMany(
  count: number,
  parallel: number,
  options: Omit<ClientOptions, 'localAddress' | 'localPort' | 'onConnect'>,
): Promise<ClientOutcome[]> {
  const outcomes: ClientOutcome[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count && !options.signal?.aborted) {
      const i = next++;
      outcomes[i] = await askListener(options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  for (let i = 0; i < count; i++) outcomes[i] ??= { listener: null, localPort: 0, end: 'failed' };
  return outcomes;
}
