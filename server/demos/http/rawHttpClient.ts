// The lab's own HTTP client, on a plain TCP socket so every byte it sends is the one meant (well-formed requests from
// the page's builder, malformed ones on purpose). It knows a response is complete from the server's side (responses
// finished, bytes written), never by parsing them itself.
import net from 'node:net';
import { LabError } from '../../../core/protocol/errors.js';
import { endpointName } from '../../../core/protocol/events/tcpState.js';
import { connectionOwners } from '../../net/connectionOwners.js';
import type { HttpConnRecord, LabHttpServer } from './labHttpServer.js';

export interface RawExchange {
  conn: string | null;
  sent: number;
  received: Buffer;
  /** True when the server closed the connection. */
  closedByServer: boolean;
}

export interface RawSendPlan {
  /** Pieces written in order; `waitFor[i]` responses must be complete before piece i is written (keep-alive turns). */
  pieces: Buffer[];
  waitFor?: number[];
  pauseMs?: number;
  /** Responses to expect before the exchange is over (the server may close first). */
  responses: number;
  timeoutMs?: number;
  /** Close the connection after the exchange (false: Connection: close or the server ends it). */
  close?: boolean;
  /** Whose connection it is (connectionOwners): its events go to that page only. */
  owner?: string;
}

/** How long a closed connection stays its owner's, for the segments the capture reports late. */
const OWNER_KEPT_MS = 5000;

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Opens one connection to the lab's server, sends the plan's pieces and reads until the plan is over. */
export async function rawExchange(
  server: LabHttpServer,
  host: string,
  plan: RawSendPlan,
  sockets: Set<net.Socket>,
): Promise<RawExchange> {
  const socket = net.connect({ host, port: server.port, noDelay: true });
  sockets.add(socket);
  // The local port is known once connect() is issued, before the server accepts: claim it before then.
  await new Promise<void>((r) => process.nextTick(() => process.nextTick(r)));
  const localPort = socket.localPort;
  if (plan.owner && localPort !== undefined) {
    const owner = plan.owner;
    connectionOwners.claim(host, localPort, owner);
    socket.once('close', () =>
      setTimeout(() => connectionOwners.release(host, localPort, owner), OWNER_KEPT_MS).unref(),
    );
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let closedByServer = false;
  const closed = new Promise<void>((resolve) => {
    socket.once('close', () => {
      sockets.delete(socket);
      resolve();
    });
  });
  socket.on('data', (d: Buffer) => {
    chunks.push(d);
    received += d.length;
    socket.emit('progress');
  });
  socket.once('end', () => {
    closedByServer = true;
  });
  socket.on('error', () => {});
  const connected = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  if (!connected) throw new LabError('E_HTTP_NO_RESPONSE', 'could not connect to the lab’s HTTP server');
  const record = await server.connOf(endpointName(host, socket.localPort ?? 0));
  const deadline = Date.now() + (plan.timeoutMs ?? 15_000);
  let sent = 0;

  /** Resolves true once `done()` holds, false when the connection closes or the deadline passes first. */
  const until = (done: () => boolean) =>
    new Promise<boolean>((resolve) => {
      if (done()) return resolve(true);
      const check = () => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), Math.max(0, deadline - Date.now()));
      const onClose = () => finish(done());
      function finish(ok: boolean) {
        clearTimeout(timer);
        socket.off('progress', check);
        record?.changes.off('progress', check);
        socket.off('close', onClose);
        resolve(ok);
      }
      socket.on('progress', check);
      record?.changes.on('progress', check);
      socket.once('close', onClose);
    });
  const answered = (rec: HttpConnRecord | null, n: number) => () =>
    rec !== null && rec.responses >= n && received >= rec.written();

  for (let i = 0; i < plan.pieces.length; i++) {
    if (socket.destroyed || closedByServer) break;
    const want = plan.waitFor?.[i] ?? 0;
    if (want > 0 && !(await until(answered(record, want)))) break;
    if (i > 0 && plan.pauseMs) await delay(plan.pauseMs);
    if (socket.destroyed || !socket.writable) break;
    socket.write(plan.pieces[i]!);
    sent += plan.pieces[i]!.length;
  }
  // Over when the expected responses are in, or the server closed (a refusal, Connection: close, a timeout).
  const complete = await until(() => answered(record, plan.responses)() || closedByServer);
  if (plan.close !== false || !complete) socket.end();
  if (closedByServer || !complete) {
    // Whatever is still in flight from the server arrives before its FIN; give the close a moment to land.
    await Promise.race([closed, delay(1000)]);
  }
  socket.destroy();
  if (!complete && !closedByServer && received === 0) {
    throw new LabError('E_HTTP_NO_RESPONSE', `sent ${sent} bytes, got no answer`);
  }
  return { conn: record?.conn ?? null, sent, received: Buffer.concat(chunks), closedByServer };
}
