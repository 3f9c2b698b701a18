// The lab's HTTP server on real loopback sockets: the bytes it reports are exactly the bytes that crossed (both ways),
// llhttp's refusals get Node's statuses, the onion's stops are reported by the layer that answered, pipelined
// answers leave in order, and with nobody watching it serves the same and reports nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type net from 'node:net';
import type { HttpEvent } from '../../../core/protocol/events/http.js';
import type { SocketEvent } from '../../../core/protocol/events/socket.js';
import { HTTP_RAW_PRESETS } from '../../../core/protocol/demos/http.js';
import { LabHttpServer } from './labHttpServer.js';
import { rawExchange } from './rawHttpClient.js';
import { malformedRequest } from './malformedRequests.js';

type Ev = HttpEvent | SocketEvent;
let server: LabHttpServer | null = null;
const sockets = new Set<net.Socket>();

async function start(watch = true): Promise<Ev[]> {
  const events: Ev[] = [];
  server = new LabHttpServer({ host: '127.0.0.1', port: 0, emit: watch ? (e) => events.push(e) : null });
  await server.listen();
  return events;
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await server?.close();
  server = null;
});

const get = (path: string, extra = '') => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: lab\r\n${extra}\r\n`, 'latin1');

function streamOf(events: Ev[], conn: string, dir: 'in' | 'out'): Buffer {
  const parts = events.filter(
    (e): e is Extract<HttpEvent, { kind: 'http.bytes' }> => e.kind === 'http.bytes' && e.conn === conn && e.dir === dir,
  );
  parts.forEach((p, i) => expect(p.offset).toBe(i === 0 ? 0 : parts[i - 1]!.offset + parts[i - 1]!.len));
  return Buffer.concat(parts.map((p) => Buffer.from(p.b64, 'base64')));
}

describe('LabHttpServer', () => {
  it('reports the bytes of a kept-alive connection exactly as they crossed, both ways', async () => {
    const events = await start();
    const pieces = [get('/hello'), get('/hello'), get('/chunked?n=2&ms=10')];
    const r = await rawExchange(server!, '127.0.0.1', { pieces, waitFor: [0, 1, 2], responses: 3 }, sockets);
    expect(r.conn).toMatch(/^h\d+$/);
    expect(streamOf(events, r.conn!, 'in')).toEqual(Buffer.concat(pieces));
    expect(streamOf(events, r.conn!, 'out')).toEqual(r.received);
    const text = r.received.toString('latin1');
    expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3);
    expect(text).toContain('Transfer-Encoding: chunked\r\n');
    expect(text.endsWith('0\r\n\r\n')).toBe(true);
    const opens = events.filter((e) => e.kind === 'socket.open');
    expect(opens).toHaveLength(1);
    const requests = events.filter((e) => e.kind === 'http.request');
    expect(requests.map((e) => e.kind === 'http.request' && [e.index, e.url])).toEqual([
      [1, '/hello'],
      [2, '/hello'],
      [3, '/chunked?n=2&ms=10'],
    ]);
  });

  it("answers malformed requests as Node's server does, and says why", async () => {
    const events = await start();
    const expected: Record<string, [number, string | null]> = {
      'bad-start-line': [400, 'HPE_INVALID_METHOD'],
      'header-too-large': [431, 'HPE_HEADER_OVERFLOW'],
      'cl-and-te': [400, 'HPE_INVALID_TRANSFER_ENCODING'],
      'duplicate-content-length': [400, 'HPE_UNEXPECTED_CONTENT_LENGTH'],
      'obfuscated-transfer-encoding': [400, 'HPE_INVALID_TRANSFER_ENCODING'],
      'huge-body': [413, null],
    };
    for (const [preset, [status, code]] of Object.entries(expected)) {
      const req = malformedRequest(preset as (typeof HTTP_RAW_PRESETS)[number], 'lab');
      const r = await rawExchange(server!, '127.0.0.1', { pieces: req.pieces, responses: 1 }, sockets);
      expect(r.received.toString('latin1'), preset).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const rejected = events.find((e) => e.kind === 'http.rejected' && e.conn === r.conn);
      if (code) expect(rejected && rejected.kind === 'http.rejected' && rejected.parserCode, preset).toBe(code);
      else expect(rejected, preset).toBeUndefined();
    }
  }, 30_000);

  it('cuts off a slowloris client with 408 once its head is late', async () => {
    const events = await start();
    const req = malformedRequest('slowloris', 'lab');
    const r = await rawExchange(
      server!,
      '127.0.0.1',
      { pieces: req.pieces, pauseMs: req.pauseMs, responses: 1, timeoutMs: 15_000 },
      sockets,
    );
    expect(r.received.toString('latin1')).toMatch(/^HTTP\/1\.1 408 /);
    expect(r.closedByServer).toBe(true);
    // It was cut off before sending every piece.
    expect(r.sent).toBeLessThan(req.pieces.reduce((n, p) => n + p.length, 0));
    expect(events.some((e) => e.kind === 'http.rejected' && e.parserCode === 'ERR_HTTP_REQUEST_TIMEOUT')).toBe(true);
  }, 30_000);

  it('reports each stop of the onion from the layer that answered', async () => {
    const events = await start();
    const cases: [string, number, string | null][] = [
      ['/hello', 200, null],
      ['/admin', 401, 'auth'],
      ['/panic', 500, 'recovery'],
      ['/slow?ms=2600', 503, 'timeout'],
    ];
    for (const [path, status, stopper] of cases) {
      const r = await rawExchange(server!, '127.0.0.1', { pieces: [get(path)], responses: 1 }, sockets);
      expect(r.received.toString('latin1'), path).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const spans = events.filter((e) => e.kind === 'http.span' && e.conn === r.conn);
      const stopped = spans.filter((e) => e.kind === 'http.span' && e.stopped);
      expect(
        stopped.map((e) => e.kind === 'http.span' && e.layer),
        path,
      ).toEqual(stopper ? [stopper] : []);
      const outer = spans.find((e) => e.kind === 'http.span' && e.layer === 'logging');
      expect(outer && outer.kind === 'http.span' && outer.status, path).toBe(status);
    }
    // Auth answered: the layers inside it never ran.
    const admin = events.filter((e) => e.kind === 'http.span' && e.path === '/admin');
    expect(admin.map((e) => e.kind === 'http.span' && e.layer).sort()).toEqual(
      ['auth', 'logging', 'recovery', 'request-id'].sort(),
    );
  }, 30_000);

  it('sends pipelined answers in request order: quick ones wait behind a slow one', async () => {
    const events = await start();
    const pieces = [Buffer.concat([get('/slow?ms=300'), get('/hello'), get('/hello')])];
    const r = await rawExchange(server!, '127.0.0.1', { pieces, responses: 3 }, sockets);
    const bodies = r.received.toString('latin1').match(/\r\n\r\n([a-z0-9 ]+)\n/g);
    expect(bodies).toEqual(['\r\n\r\nslept 300 ms\n', '\r\n\r\nhello\n', '\r\n\r\nhello\n']);
    const responses = events.filter((e) => e.kind === 'http.response' && e.conn === r.conn);
    expect(responses.map((e) => e.kind === 'http.response' && e.index)).toEqual([1, 2, 3]);
    const at = responses.map((e) => (e.kind === 'http.response' ? e.at : 0));
    expect(at[1]).toBeGreaterThanOrEqual(at[0]!);
    expect(at[2]).toBeGreaterThanOrEqual(at[1]!);
  });

  it('serves the same with nobody watching, and reports nothing', async () => {
    const events = await start(false);
    const r = await rawExchange(
      server!,
      '127.0.0.1',
      { pieces: [get('/hello'), get('/hello')], waitFor: [0, 1], responses: 2 },
      sockets,
    );
    expect(r.received.toString('latin1').match(/hello\n/g)).toHaveLength(2);
    expect(events).toEqual([]);
  });
});
