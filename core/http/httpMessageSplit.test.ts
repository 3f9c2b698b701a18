// The display splitter on exchanges recorded from the lab's server and Go's net/http (lesson 23's runs), fed whole
// and in every split point's prefix; and on bytes llhttp refuses, where it must stop rather than guess.
import { describe, expect, it } from 'vitest';
import { splitHttpStream } from './httpMessageSplit.js';

const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));
const text = (b: Uint8Array, r: { start: number; end: number }) => String.fromCharCode(...b.subarray(r.start, r.end));

// Recorded from the lab's HTTP server (headless run): three requests kept alive on one connection.
const KEEP_ALIVE_IN = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1:46247\r\n\r\n'.repeat(3);
const LAB_RESPONSE =
  'HTTP/1.1 200 OK\r\nX-Request-Id: 39f698-1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n' +
  'Date: Sun, 06 Dec 2026 22:31:46 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nhello\n';
// Recorded from lesson 23's Go program: GET /chunked.
const GO_CHUNKED =
  'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Sun, 06 Dec 2026 22:35:15 GMT\r\n' +
  'Transfer-Encoding: chunked\r\n\r\nc\r\npart 1 of 3\n\r\nc\r\npart 2 of 3\n\r\nc\r\npart 3 of 3\n\r\n0\r\n\r\n';

describe('splitHttpStream', () => {
  it('splits kept-alive requests into start line, headers and the blank line', () => {
    const b = bytes(KEEP_ALIVE_IN);
    const { messages, rest } = splitHttpStream(b, 'request');
    expect(rest).toBeNull();
    expect(messages).toHaveLength(3);
    expect(messages.map((m) => [m.start, m.end])).toEqual([
      [0, 46],
      [46, 92],
      [92, 138],
    ]);
    const [m] = messages;
    expect(m!.firstLine).toBe('GET /hello HTTP/1.1');
    expect(m!.headers.map((h) => [h.name, h.value])).toEqual([['Host', '127.0.0.1:46247']]);
    expect(text(b, m!.blank)).toBe('\r\n');
    expect(m!.framing).toBe('none');
  });

  it('reads a Content-Length body exactly, and the next message after it', () => {
    const b = bytes(LAB_RESPONSE + LAB_RESPONSE);
    const { messages } = splitHttpStream(b, 'response', { requestMethods: ['GET', 'GET'] });
    expect(messages).toHaveLength(2);
    expect(messages[0]!.framing).toBe('content-length');
    expect(text(b, messages[0]!.body)).toBe('hello\n');
    expect(messages[1]!.start).toBe(LAB_RESPONSE.length);
  });

  it('marks every chunk of a chunked body with its size, and the last chunk', () => {
    const b = bytes(GO_CHUNKED);
    const { messages, rest } = splitHttpStream(b, 'response');
    expect(rest).toBeNull();
    const m = messages[0]!;
    expect(m.framing).toBe('chunked');
    expect(m.complete).toBe(true);
    expect(m.end).toBe(b.length);
    expect(m.chunks.map((c) => c.size)).toEqual([12, 12, 12, 0]);
    expect(m.chunks.map((c) => text(b, c.sizeLine))).toEqual(['c\r\n', 'c\r\n', 'c\r\n', '0\r\n']);
    expect(text(b, m.chunks[1]!.data)).toBe('part 2 of 3\n');
    expect(text(b, m.trailer!)).toBe('\r\n');
  });

  it('gives the same parts however much of the stream has arrived, marking the last message incomplete', () => {
    const whole = bytes(LAB_RESPONSE + GO_CHUNKED);
    const full = splitHttpStream(whole, 'response');
    expect(full.messages).toHaveLength(2);
    for (let n = 1; n < whole.length; n++) {
      const part = splitHttpStream(whole.subarray(0, n), 'response');
      const done = part.messages.filter((m) => m.complete);
      // Complete messages are exactly the full split's, and nothing is claimed past the bytes there are.
      expect(done).toEqual(full.messages.slice(0, done.length));
      for (const m of part.messages) expect(m.end).toBeLessThanOrEqual(n);
      expect(done.length).toBe(n >= LAB_RESPONSE.length ? (n === whole.length ? 2 : 1) : 0);
    }
  });

  it('knows that a response to HEAD, a 204 and a 304 have no body', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n';
    const after = 'HTTP/1.1 204 No Content\r\n\r\n';
    const b = bytes(head + after);
    const { messages } = splitHttpStream(b, 'response', { requestMethods: ['HEAD', 'DELETE'] });
    expect(messages.map((m) => [m.framing, m.body.end - m.body.start])).toEqual([
      ['none', 0],
      ['none', 0],
    ]);
  });

  it('reads a body without length to the close, and only then calls it complete', () => {
    const b = bytes('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello');
    expect(splitHttpStream(b, 'response').messages[0]!.complete).toBe(false);
    const closed = splitHttpStream(b, 'response', { closed: true }).messages[0]!;
    expect([closed.framing, closed.complete, text(b, closed.body)]).toEqual(['until-close', true, 'hello']);
  });

  it('stops at bytes llhttp refuses instead of guessing', () => {
    const cases = [
      'HELLO there, server\r\n\r\n',
      'POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde',
      'POST /items HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n',
      'GET / HTTP/1.1\r\nno colon here\r\n\r\n',
    ];
    for (const c of cases) {
      const { messages, rest } = splitHttpStream(bytes(c), 'request');
      expect(messages, c).toHaveLength(0);
      expect(rest, c).toEqual({ start: 0, end: c.length, why: 'unparsed' });
    }
  });

  it('reads a request that says chunked last as chunked, whatever Content-Length says', () => {
    const b = bytes('POST /items HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG');
    const { messages, rest } = splitHttpStream(b, 'request');
    expect(messages[0]!.framing).toBe('chunked');
    // The smuggled "G" is what is left: the start of a request that never completes.
    expect(rest).toEqual({ start: b.length - 1, end: b.length, why: 'incomplete' });
  });
});
