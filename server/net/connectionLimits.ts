// Caps and idle timeouts of the demo servers: a connection past a server's cap, or one that moves no byte for the
// idle time, is told why in one line (readable in nc) and closed, so idle or piled-up clients cannot lock a server.
import type net from 'node:net';
import { WORKER_POOL_LIMITS } from '../../core/protocol/demos/workerPool.js';
import { ERROR_MESSAGES, type ErrorCode } from '../../core/protocol/errors.js';

export interface ConnectionLimits {
  /** Connections a server holds at once; the next one is refused with E_DEMO_FULL. */
  maxConnections: number;
  /** Milliseconds without a byte either way before the server closes a connection with E_DEMO_IDLE. */
  idleMs: number;
}

/** The framing servers' limits: each connection may hold a whole frame (up to 1 MiB). */
export const DEMO_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 256, idleMs: 5 * 60_000 };
/**
 * The echo server's: a connection costs one 64 KiB buffer, and the cap stays above the 1,100 sockets one snippet run
 * may hold, so a single run dialling in a loop cannot lock the other students out.
 */
export const ECHO_CONNECTION_LIMITS: ConnectionLimits = { maxConnections: 2048, idleMs: 5 * 60_000 };

/** The worker pool's: a load run's own connections (up to WORKER_POOL_LIMITS.connections) plus room for students' nc clients. */
export const WORKER_POOL_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: WORKER_POOL_LIMITS.connections + 256,
  idleMs: 5 * 60_000,
};

/** The line a refused or idle client reads before the close: the code and the English text. Pure. */
export function refusalLine(code: ErrorCode, detail: string): string {
  return `lab: ${code}: ${ERROR_MESSAGES[code].en} (${detail})\n`;
}

/**
 * Admits `socket` when fewer than maxConnections are open (`open` counts the others); otherwise writes why and closes
 * it. An admitted socket is closed the same way once it has been idle for idleMs.
 */
export function admitConnection(socket: net.Socket, open: number, limits: ConnectionLimits): boolean {
  if (open >= limits.maxConnections) {
    socket.on('error', () => {});
    socket.end(refusalLine('E_DEMO_FULL', `${open} connections open, the limit is ${limits.maxConnections}`));
    return false;
  }
  socket.setTimeout(limits.idleMs, () => {
    socket.end(refusalLine('E_DEMO_IDLE', `no byte for ${Math.round(limits.idleMs / 1000)} s`));
    // A peer that never reads would keep the socket half-open: it goes after a grace period.
    setTimeout(() => socket.destroy(), 2000).unref();
  });
  return true;
}
