// gonet's HTTP/1.1 framing on recorded bytes: requests as written, and responses framed by Content-Length, chunks,
// no body (204) or the end of the connection, read in pieces as a socket delivers them.
import { describe, expect, it } from 'vitest';
import { newReader } from './bufio';
import { EOF, type Reader } from './io';
import { formatRequest, headerValue, readResponse, type ResponsePart } from './http';

/** A reader that hands out the bytes a few at a time, then EOF. */
function pieces(text: string, size = 7): Reader {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return {
    read(p) {
      if (at >= bytes.length) return Promise.resolve([0, EOF]);
      const n = Math.min(size, p.length, bytes.length - at);
      p.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve([n, null]);
    },
  };
}

describe('formatRequest', () => {
  it('writes the request line, Host, headers, a byte-counted Content-Length and the body', () => {
    const req = formatRequest({
      method: 'POST',
      target: '/items',
      host: '127.0.0.1:8080',
      header: [['Content-Type', 'application/json']],
      body: '{"name":"thé"}',
    });
    expect(req).toBe(
      'POST /items HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"name":"thé"}',
    );
  });

  it('adds no Content-Length to a GET without a body', () => {
    expect(formatRequest({ method: 'GET', target: '/', host: 'h' })).toBe('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
  });
});

describe('readResponse', () => {
  it('reads a Content-Length body and leaves the next response on the reader', async () => {
    const one = 'HTTP/1.1 201 Created\r\nLocation: /items/3\r\nContent-Length: 6\r\n\r\n{"a":1';
    const r = newReader(pieces(`${one}HTTP/1.1 204 No Content\r\n\r\n`));
    const [first, err] = await readResponse(r);
    expect(err).toBeNull();
    expect(first).toMatchObject({ statusLine: 'HTTP/1.1 201 Created', statusCode: 201, body: '{"a":1' });
    expect(headerValue(first!.header, 'location')).toBe('/items/3');
    const [second] = await readResponse(r);
    expect(second).toMatchObject({ statusCode: 204, body: '' });
  });

  it('joins chunks and reports each one with its size', async () => {
    const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nc\r\npart 1 of 2\n\r\n5\r\nend\r\n\r\n0\r\n\r\n';
    const parts: ResponsePart[] = [];
    const [resp, err] = await readResponse(newReader(pieces(wire, 3)), (p) => parts.push(p));
    expect(err).toBeNull();
    expect(resp!.body).toBe('part 1 of 2\nend\r\n');
    expect(parts.filter((p) => p.kind === 'chunk').map((p) => (p.kind === 'chunk' ? p.size : -1))).toEqual([12, 5, 0]);
    expect(parts.filter((p) => p.kind === 'head')).toHaveLength(3);
  });

  it('reads to EOF when there is neither a length nor chunks', async () => {
    const [resp, err] = await readResponse(newReader(pieces('HTTP/1.0 200 OK\r\n\r\nuntil close')));
    expect(err).toBeNull();
    expect(resp!.body).toBe('until close');
  });

  it('fails on a short body and on a line that is not a status line', async () => {
    const [, short] = await readResponse(newReader(pieces('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')));
    expect(short?.message).toBe('unexpected EOF');
    const [, bad] = await readResponse(newReader(pieces('SSH-2.0-OpenSSH\r\n\r\n')));
    expect(bad?.message).toMatch(/malformed HTTP status line/);
  });
});
