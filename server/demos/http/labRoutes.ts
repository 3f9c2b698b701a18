// The lab HTTP server's handler, under the middleware: hello, a chunked stream, a slow answer, a panic, an admin page
// behind auth, and lesson 24's REST resource (/items) with JSON, status codes and a body limit.
import type { Exchange } from './middleware.js';
import { reply } from './middleware.js';
import { ItemStore, itemInput } from './itemStore.js';
import { HTTP_MAX_BODY_BYTES } from '../../../core/protocol/demos/http.js';

/** Longest /slow may take, ms: a pipelining demo needs seconds, not minutes. */
export const SLOW_MAX_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function json(x: Exchange, status: number, value: unknown, headers: Record<string, string> = {}): void {
  // The Go program's json.NewEncoder(w).Encode(v): the JSON, then a newline.
  reply(x, status, `${JSON.stringify(value)}\n`, { 'Content-Type': 'application/json', ...headers });
}

function problem(x: Exchange, status: number, message: string, headers: Record<string, string> = {}): void {
  json(x, status, { error: message }, headers);
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; message: string };

/** Reads a JSON body of at most HTTP_MAX_BODY_BYTES (Go: http.MaxBytesReader, then json.Decoder). */
async function readJson(x: Exchange): Promise<BodyResult> {
  const type = x.req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { ok: false, status: 415, message: 'send Content-Type: application/json' };
  }
  const declared = Number(x.req.headers['content-length'] ?? NaN);
  if (declared > HTTP_MAX_BODY_BYTES) {
    // Refused before reading a byte of it; the connection closes, since the rest of the body is never read.
    x.res.setHeader('Connection', 'close');
    return { ok: false, status: 413, message: `body larger than ${HTTP_MAX_BODY_BYTES} bytes` };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of x.req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > HTTP_MAX_BODY_BYTES) {
      x.res.setHeader('Connection', 'close');
      return { ok: false, status: 413, message: `body larger than ${HTTP_MAX_BODY_BYTES} bytes` };
    }
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, status: 400, message: `bad JSON: ${(err as Error).message}` };
  }
}

export function labRoutes(items: ItemStore): (x: Exchange) => Promise<void> {
  return async (x) => {
    const method = x.req.method ?? 'GET';
    const path = x.path;
    if (path === '/' || path === '/hello') {
      if (method !== 'GET' && method !== 'HEAD') return reply(x, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
      return reply(x, 200, 'hello\n');
    }
    if (path === '/chunked') {
      // No Content-Length: Node (like Go once a handler flushes) frames the body as chunks, one per write.
      const n = Math.min(10, Math.max(1, Number(x.query.get('n') ?? 3) || 3));
      const ms = Math.min(1000, Math.max(0, Number(x.query.get('ms') ?? 200) || 0));
      x.res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      for (let i = 1; i <= n && !x.signal.aborted; i++) {
        x.res.write(`part ${i} of ${n}\n`);
        if (i < n) await sleep(ms, x.signal);
      }
      x.res.end();
      return;
    }
    if (path === '/slow') {
      const ms = Math.min(SLOW_MAX_MS, Math.max(0, Number(x.query.get('ms') ?? 1000) || 0));
      await sleep(ms, x.signal);
      return reply(x, 200, `slept ${ms} ms\n`);
    }
    if (path === '/panic') throw new Error('handler panicked on purpose');
    if (path.startsWith('/admin')) return json(x, 200, { items: items.size, note: 'only with the token' });
    if (path === '/items') {
      if (method === 'GET') return json(x, 200, items.list());
      if (method === 'POST') {
        const body = await readJson(x);
        if (!body.ok) return problem(x, body.status, body.message);
        const input = itemInput(body.value);
        if (!input.ok) return problem(x, 422, input.problem);
        const item = items.create(input.value);
        if (!item) return problem(x, 507, 'the store is full (100 items)');
        return json(x, 201, item, { Location: `/items/${item.id}` });
      }
      return problem(x, 405, 'method not allowed', { Allow: 'GET, POST' });
    }
    const match = /^\/items\/([^/]+)$/.exec(path);
    if (match) {
      const id = /^\d{1,9}$/.test(match[1]!) ? Number(match[1]) : NaN;
      if (Number.isNaN(id)) return problem(x, 400, 'the id must be a number');
      if (method === 'GET') {
        const item = items.get(id);
        return item ? json(x, 200, item) : problem(x, 404, `no item ${id}`);
      }
      if (method === 'PUT') {
        const body = await readJson(x);
        if (!body.ok) return problem(x, body.status, body.message);
        const input = itemInput(body.value);
        if (!input.ok) return problem(x, 422, input.problem);
        const item = items.update(id, input.value);
        return item ? json(x, 200, item) : problem(x, 404, `no item ${id}`);
      }
      if (method === 'DELETE') {
        if (!items.delete(id)) return problem(x, 404, `no item ${id}`);
        if (!x.timedOut && !x.res.headersSent) x.res.writeHead(204).end();
        return;
      }
      return problem(x, 405, 'method not allowed', { Allow: 'GET, PUT, DELETE' });
    }
    return reply(x, 404, '404 page not found\n');
  };
}
