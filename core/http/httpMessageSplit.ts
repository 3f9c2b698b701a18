// Splits the raw bytes of an HTTP/1.1 connection (one direction) into messages for display: start line, header
// lines, the blank line, and the body (Content-Length, or chunked with each chunk's size line marked). Pure.
// It only marks byte ranges; whether a request was valid is llhttp's verdict (the server's http.request and
// http.rejected events). Where the bytes stop making sense it stops and says so, rather than guessing.
import type { HttpBodyFraming } from '../protocol/events/http.js';

/** [start, end) offsets in the stream. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface HeaderLine extends ByteRange {
  name: string;
  value: string;
}

export interface BodyChunk {
  /** The hex size line with its CRLF ("1a\r\n"). */
  sizeLine: ByteRange;
  /** Declared size in bytes (0 = the last chunk). */
  size: number;
  data: ByteRange;
  /** The CRLF after the data. */
  end: ByteRange;
}

export interface HttpMessageParts extends ByteRange {
  startLine: ByteRange;
  /** The start line as text, e.g. "GET /items HTTP/1.1" or "HTTP/1.1 200 OK". */
  firstLine: string;
  headers: HeaderLine[];
  /** The empty line (CRLF) that ends the head. */
  blank: ByteRange;
  framing: HttpBodyFraming;
  body: ByteRange;
  /** For chunked bodies: each chunk, the last (size 0) included; trailers and the final CRLF are in `trailer`. */
  chunks: BodyChunk[];
  trailer: ByteRange | null;
  /** False when the stream ends before the message does. */
  complete: boolean;
}

export interface HttpStreamSplit {
  messages: HttpMessageParts[];
  /** Bytes after the last message that do not (yet) form one: why, and where they start. */
  rest: (ByteRange & { why: 'incomplete' | 'unparsed' }) | null;
}

export interface SplitOptions {
  /** Responses only: the methods of the requests answered, in order (a response to HEAD has no body). */
  requestMethods?: readonly string[];
  /** True when the connection has closed: a response framed "until close" ends at the stream's end. */
  closed?: boolean;
}

const CR = 13;
const LF = 10;

function indexOfCrlf(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === CR && b[i + 1] === LF) return i;
  return -1;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Splits one direction of a connection, from offset 0. `kind` says which direction it is. */
export function splitHttpStream(
  bytes: Uint8Array,
  kind: 'request' | 'response',
  options: SplitOptions = {},
): HttpStreamSplit {
  const messages: HttpMessageParts[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const message = splitOne(bytes, pos, kind, messages.length, options);
    if ('why' in message) return { messages, rest: { start: pos, end: bytes.length, why: message.why } };
    messages.push(message);
    if (!message.complete || message.end === pos) break;
    pos = message.end;
  }
  return { messages, rest: null };
}

function splitOne(
  b: Uint8Array,
  from: number,
  kind: 'request' | 'response',
  index: number,
  options: SplitOptions,
): HttpMessageParts | { why: 'incomplete' | 'unparsed' } {
  const lineEnd = indexOfCrlf(b, from);
  if (lineEnd < 0) return { why: b.length - from > 8192 ? 'unparsed' : 'incomplete' };
  const firstLine = latin1(b, from, lineEnd);
  const looksRight =
    kind === 'request' ? /^[A-Z]+ \S+ HTTP\/\d\.\d$/.test(firstLine) : /^HTTP\/\d\.\d \d{3}( .*)?$/.test(firstLine);
  if (!looksRight) return { why: 'unparsed' };
  const headers: HeaderLine[] = [];
  let pos = lineEnd + 2;
  for (;;) {
    const end = indexOfCrlf(b, pos);
    if (end < 0) return { why: 'incomplete' };
    if (end === pos) break;
    const line = latin1(b, pos, end);
    const colon = line.indexOf(':');
    if (colon <= 0) return { why: 'unparsed' };
    headers.push({ start: pos, end: end + 2, name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    pos = end + 2;
  }
  const blank = { start: pos, end: pos + 2 };
  const bodyStart = pos + 2;
  const header = (name: string) => headers.filter((h) => h.name.toLowerCase() === name);
  const chunked = header('transfer-encoding').some((h) => /(^|,)\s*chunked\s*$/i.test(h.value));
  const lengths = header('content-length').map((h) => h.value);
  const status = kind === 'response' ? Number(firstLine.slice(9, 12)) : 0;
  const method = options.requestMethods?.[index];
  const noBody =
    kind === 'response' && (method === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304);
  const base = { start: from, startLine: { start: from, end: lineEnd + 2 }, firstLine, headers, blank };

  if (noBody) return finish(base, 'none', bodyStart, bodyStart, [], null, true);
  if (chunked) return splitChunked(b, base, bodyStart);
  if (lengths.length > 0) {
    // Several different lengths are a framing error (a smuggling attempt): llhttp refuses them, and so does this.
    if (new Set(lengths).size !== 1 || !/^\d+$/.test(lengths[0]!)) return { why: 'unparsed' };
    const want = Number(lengths[0]);
    const end = Math.min(b.length, bodyStart + want);
    return finish(base, 'content-length', bodyStart, end, [], null, end === bodyStart + want);
  }
  if (kind === 'request') return finish(base, 'none', bodyStart, bodyStart, [], null, true);
  return finish(base, 'until-close', bodyStart, b.length, [], null, options.closed === true);
}

function finish(
  base: Pick<HttpMessageParts, 'start' | 'startLine' | 'firstLine' | 'headers' | 'blank'>,
  framing: HttpBodyFraming,
  bodyStart: number,
  bodyEnd: number,
  chunks: BodyChunk[],
  trailer: ByteRange | null,
  complete: boolean,
): HttpMessageParts {
  const end = trailer ? trailer.end : (chunks.at(-1)?.end.end ?? bodyEnd);
  return { ...base, end, framing, body: { start: bodyStart, end }, chunks, trailer, complete };
}

function splitChunked(
  b: Uint8Array,
  base: Pick<HttpMessageParts, 'start' | 'startLine' | 'firstLine' | 'headers' | 'blank'>,
  bodyStart: number,
): HttpMessageParts | { why: 'unparsed' } {
  const chunks: BodyChunk[] = [];
  let pos = bodyStart;
  for (;;) {
    const lineEnd = indexOfCrlf(b, pos);
    if (lineEnd < 0) return finish(base, 'chunked', bodyStart, b.length, chunks, null, false);
    // A size may carry extensions after ";" (rare; shown as part of the size line).
    const sizeText = latin1(b, pos, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return { why: 'unparsed' };
    const size = parseInt(sizeText, 16);
    const sizeLine = { start: pos, end: lineEnd + 2 };
    if (size === 0) {
      // Trailers (usually none), then the CRLF that ends the message.
      let t = lineEnd + 2;
      for (;;) {
        const e = indexOfCrlf(b, t);
        if (e < 0) {
          chunks.push({ sizeLine, size, data: { start: t, end: t }, end: { start: t, end: t } });
          return finish(base, 'chunked', bodyStart, b.length, chunks, null, false);
        }
        if (e === t) break;
        t = e + 2;
      }
      const dataAt = lineEnd + 2;
      chunks.push({ sizeLine, size, data: { start: dataAt, end: dataAt }, end: { start: dataAt, end: dataAt } });
      return finish(base, 'chunked', bodyStart, t + 2, chunks, { start: dataAt, end: t + 2 }, true);
    }
    const dataEnd = lineEnd + 2 + size;
    if (dataEnd + 2 > b.length) {
      const data = { start: lineEnd + 2, end: Math.min(dataEnd, b.length) };
      chunks.push({ sizeLine, size, data, end: { start: data.end, end: data.end } });
      return finish(base, 'chunked', bodyStart, b.length, chunks, null, false);
    }
    if (b[dataEnd] !== CR || b[dataEnd + 1] !== LF) return { why: 'unparsed' };
    chunks.push({
      sizeLine,
      size,
      data: { start: lineEnd + 2, end: dataEnd },
      end: { start: dataEnd, end: dataEnd + 2 },
    });
    pos = dataEnd + 2;
  }
}
