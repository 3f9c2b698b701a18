// One call of the lesson-18 callers: dial the upstream, send a request line, read one reply line, all under one
// deadline; the connection is closed either way. The result says how it ended and how long it took.
import net from 'node:net';
import { UPSTREAM_OK } from './upstreamServer.js';

export type CallOutcome = 'ok' | 'error-reply' | 'refused' | 'timeout' | 'reset';

export interface CallResult {
  outcome: CallOutcome;
  ms: number;
}

export function callUpstream(host: string, port: number, timeoutMs: number): Promise<CallResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let reply = '';
    const socket = net.connect({ host, port, noDelay: true }, () => socket.write('call\n'));
    const finish = (outcome: CallOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      reply += d;
      if (reply.includes('\n')) finish(reply === UPSTREAM_OK ? 'ok' : 'error-reply');
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? 'refused' : 'reset'));
    socket.on('close', () => finish('reset'));
  });
}
