// HTTP/1.1 on a plain connection, for snippets: format a request, read a response (head up to the empty line, then
// the body its headers describe: Content-Length, chunks, or up to EOF), and one request per connection. The lab's
// runtime has no net/http; lessons 23–25's TypeScript twins use this against the lab's HTTP server.
import type { Reader as BufReader } from './bufio';
import { newReader } from './bufio';
import { EOF, readFull, type Writer } from './io';
import { dial } from './net';

export interface Request {
  method: string;
  /** Origin-form target: "/items/3". */
  target: string;
  /** "host:port", sent as the Host header. */
  host: string;
  /** More header lines, in order. Content-Length is added for a body. */
  header?: [string, string][];
  body?: string;
}

export interface Response {
  /** The status line without CRLF: "HTTP/1.1 201 Created". */
  statusLine: string;
  statusCode: number;
  /** Header fields in the order they came, names as sent. */
  header: [string, string][];
  /** The body, decoded as UTF-8 (Go: io.ReadAll(resp.Body)). */
  body: string;
}

/** A piece of a response as it is read, for a snippet that shows the framing (lesson 23). */
export type ResponsePart =
  | { kind: 'head'; line: string }
  | { kind: 'body'; text: string; length: number }
  | { kind: 'chunk'; sizeLine: string; size: number; text: string };

/** A header's value (first of that name, any case), or '' as Go's Header.Get. */
export function headerValue(header: [string, string][], name: string): string {
  const want = name.toLowerCase();
  return header.find(([n]) => n.toLowerCase() === want)?.[1] ?? '';
}

/** The request's bytes: request line, Host, the given headers, Content-Length when there is a body, empty line, body. */
export function formatRequest(req: Request): string {
  const body = req.body ?? '';
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `Host: ${req.host}`];
  for (const [name, value] of req.header ?? []) lines.push(`${name}: ${value}`);
  if (body !== '' || req.method === 'POST' || req.method === 'PUT') {
    lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Writes a request (Go: req.Write(w)). */
export function writeRequest(w: Writer, req: Request): Promise<[number, Error | null]> {
  return w.write(new TextEncoder().encode(formatRequest(req)));
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/**
 * Reads one response to a request other than HEAD (Go: http.ReadResponse). `onPart`, if given, sees each head line,
 * body and chunk as it arrives.
 */
export async function readResponse(
  r: BufReader,
  onPart?: (part: ResponsePart) => void,
): Promise<[Response, null] | [null, Error]> {
  const head: string[] = [];
  for (;;) {
    const [line, err] = await r.readString('\n');
    if (err !== null) return [null, err];
    onPart?.({ kind: 'head', line });
    if (line === '\r\n' || line === '\n') break;
    head.push(line.replace(/\r?\n$/, ''));
  }
  const statusLine = head.shift() ?? '';
  const statusCode = Number(/^HTTP\/\d\.\d (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  if (Number.isNaN(statusCode)) return [null, new Error(`malformed HTTP status line ${JSON.stringify(statusLine)}`)];
  const header = head.map((l): [string, string] => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  const response = (body: string): [Response, null] => [{ statusLine, statusCode, header, body }, null];
  if (/\bchunked\b/i.test(headerValue(header, 'Transfer-Encoding'))) {
    let body = '';
    for (;;) {
      // Each chunk: its size in hex on a line, that many bytes, CRLF. Size 0 ends the body.
      const [sizeLine, err] = await r.readString('\n');
      if (err !== null) return [null, err];
      const size = parseInt(sizeLine, 16);
      if (Number.isNaN(size)) return [null, new Error(`malformed chunk size ${JSON.stringify(sizeLine)}`)];
      const data = new Uint8Array(size + 2);
      const [, derr] = await readFull(r, data);
      if (derr !== null) return [null, derr];
      const chunk = text(data.subarray(0, size));
      onPart?.({ kind: 'chunk', sizeLine, size, text: chunk });
      if (size === 0) return response(body);
      body += chunk;
    }
  }
  // 1xx, 204 and 304 never have a body.
  if (statusCode < 200 || statusCode === 204 || statusCode === 304) return response('');
  const declared = headerValue(header, 'Content-Length');
  let data: Uint8Array;
  if (declared !== '') {
    data = new Uint8Array(Number(declared));
    const [, err] = await readFull(r, data);
    if (err !== null) return [null, err];
  } else {
    // Neither length nor chunks: the body ends when the server closes the connection.
    const parts: number[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const [n, err] = await r.read(buf);
      parts.push(...buf.subarray(0, n));
      if (err === EOF) break;
      if (err !== null) return [null, err];
    }
    data = Uint8Array.from(parts);
  }
  onPart?.({ kind: 'body', text: text(data), length: data.length });
  return response(text(data));
}

/**
 * One request on a new connection to addr, with `Connection: close` (Go: a Client with DisableKeepAlives): dial,
 * write, read the response, close.
 */
export async function roundTrip(
  addr: string,
  req: Omit<Request, 'host'> & { host?: string },
): Promise<[Response, null] | [null, Error]> {
  const [conn, err] = await dial('tcp', addr);
  if (err !== null) return [null, err];
  try {
    const header: [string, string][] = [...(req.header ?? []), ['Connection', 'close']];
    const [, werr] = await writeRequest(conn, { host: addr, ...req, header });
    if (werr !== null) return [null, werr];
    return await readResponse(newReader(conn));
  } finally {
    conn.close();
  }
}
