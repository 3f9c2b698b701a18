// Lesson 25's onion: logging, recovery, request id, auth and timeout wrapped around the handler, in that order. Each
// layer reports its span (when it was entered, when it returned, the status then, and whether it answered instead of
// calling the next layer) through one hook, so the onion view draws what happened rather than a model of it.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareLayer } from '../../../core/protocol/events/http.js';
import { HTTP_HANDLER_TIMEOUT_MS, HTTP_LAB_TOKEN } from '../../../core/protocol/demos/http.js';
import { wallClockNow } from '../../observers/wallClock.js';

/** One request on its way through the layers. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  conn: string;
  id: string;
  path: string;
  query: URLSearchParams;
  /** Set by the timeout layer when it answered 503: the handler's later writes are dropped (Go: ErrHandlerTimeout). */
  timedOut: boolean;
  /** Aborted when the timeout fires or the client leaves: a slow handler stops waiting. */
  signal: AbortSignal;
}

export interface SpanReport {
  layer: MiddlewareLayer;
  depth: number;
  start: number;
  end: number;
  status: number;
  stopped: boolean;
  note?: string;
}

type Next = () => Promise<void>;
type Layer = (x: Exchange, next: Next, note: (text: string) => void) => Promise<void>;

/** Writes a whole response unless the timeout layer already answered. */
export function reply(x: Exchange, status: number, body: string, headers: Record<string, string> = {}): void {
  if (x.timedOut || x.res.headersSent || x.res.destroyed) return;
  const bytes = Buffer.from(body);
  x.res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': bytes.length, ...headers });
  x.res.end(bytes);
}

const logging: Layer = async (x, next, note) => {
  await next();
  note(`${x.req.method} ${x.path} → ${x.res.statusCode}`);
};

const recovery: Layer = async (x, next, note) => {
  try {
    await next();
  } catch (err) {
    if (err instanceof Stopped) throw err;
    // Go's net/http recovers a panicking handler by closing the connection; the recovery middleware answers 500.
    note(`recovered: ${err instanceof Error ? err.message : String(err)}`);
    if (!x.res.headersSent) reply(x, 500, 'internal server error\n');
    else x.res.destroy();
    throw new Stopped();
  }
};

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

const requestId: Layer = async (x, next) => {
  const given = x.req.headers['x-request-id'];
  if (typeof given === 'string' && ID_PATTERN.test(given)) x.id = given;
  x.res.setHeader('X-Request-Id', x.id);
  await next();
};

const auth: Layer = async (x, next, note) => {
  if (x.path.startsWith('/admin') && x.req.headers.authorization !== `Bearer ${HTTP_LAB_TOKEN}`) {
    note(x.req.headers.authorization ? 'wrong token' : 'no Authorization header');
    reply(x, 401, 'unauthorized\n', { 'WWW-Authenticate': 'Bearer' });
    throw new Stopped();
  }
  await next();
};

function timeout(ms: number, abort: AbortController): Layer {
  return async (x, next, note) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), ms);
    });
    // The handler keeps running after the timeout (as in Go), but its failure is no longer anyone's answer.
    const handled = next().then(
      () => 'done' as const,
      (err: unknown) => ({ err }),
    );
    const outcome = await Promise.race([handled, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      note(`handler still busy after ${ms} ms`);
      if (!x.res.headersSent) reply(x, 503, 'timeout\n');
      x.timedOut = true;
      abort.abort();
      throw new Stopped();
    }
    if (outcome !== 'done') throw outcome.err;
  };
}

/** Thrown by a layer that answered instead of calling the next one; the first span it passes is the one stopped. */
class Stopped extends Error {
  owner: number | null = null;
}

const LAYERS: { name: Exclude<MiddlewareLayer, 'handler'>; make: (abort: AbortController) => Layer }[] = [
  { name: 'logging', make: () => logging },
  { name: 'recovery', make: () => recovery },
  { name: 'request-id', make: () => requestId },
  { name: 'auth', make: () => auth },
  { name: 'timeout', make: (abort) => timeout(HTTP_HANDLER_TIMEOUT_MS, abort) },
];

let counter = 0;

/** A new request id: short, unique in this lab run, always 13 characters (so same responses have the same size). */
export function newRequestId(): string {
  counter = (counter + 1) % 1_000_000;
  return `${randomBytes(3).toString('hex')}-${String(counter).padStart(6, '0')}`;
}

/**
 * Runs one request through the onion. `span` gets each layer's report as the layer returns (innermost first);
 * null when nobody watches (the benchmark's observer-off run).
 */
export async function runOnion(
  x: Omit<Exchange, 'signal' | 'timedOut'>,
  handler: (x: Exchange) => Promise<void>,
  span: ((report: SpanReport) => void) | null,
): Promise<void> {
  const abort = new AbortController();
  x.res.once('close', () => abort.abort());
  const exchange: Exchange = { ...x, timedOut: false, signal: abort.signal };
  const chain: { name: MiddlewareLayer; layer: Layer }[] = [
    ...LAYERS.map((l) => ({ name: l.name, layer: l.make(abort) })),
    { name: 'handler', layer: (e) => handler(e) },
  ];
  const call = async (depth: number): Promise<void> => {
    const { name, layer } = chain[depth]!;
    const start = span ? wallClockNow() : 0;
    let note: string | undefined;
    let stopped = false;
    try {
      await layer(
        exchange,
        () => call(depth + 1),
        (text) => {
          note = text;
        },
      );
    } catch (err) {
      // A stop passes through the outer layers; the layer that threw it is the first to see it.
      if (err instanceof Stopped && err.owner === null) {
        err.owner = depth;
        stopped = true;
      }
      throw err;
    } finally {
      span?.({
        layer: name,
        depth,
        start,
        end: wallClockNow(),
        status: exchange.res.headersSent || exchange.res.writableEnded ? exchange.res.statusCode : 0,
        stopped,
        ...(note !== undefined ? { note } : {}),
      });
    }
  };
  try {
    await call(0);
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
  }
}
