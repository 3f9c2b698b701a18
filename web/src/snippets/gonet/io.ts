// Go's io package for snippets: EOF, ErrUnexpectedEOF, the Reader and Writer shapes, readFull and readAtLeast.
import { callerGoroutine, resumeAfter } from '@core/runtime/scheduler';
import { GoError } from './errors';

/** Returned by read() when the peer closed its side: `if (err === io.EOF)`. */
export const EOF: Error = new GoError('EOF');
export const ErrUnexpectedEOF: Error = new GoError('unexpected EOF');
export const ErrShortBuffer: Error = new GoError('short buffer');

export interface Reader {
  read(p: Uint8Array): Promise<[number, Error | null]>;
}

export interface Writer {
  write(p: Uint8Array): Promise<[number, Error | null]>;
}

async function readAtLeastImpl(r: Reader, buf: Uint8Array, min: number): Promise<[number, Error | null]> {
  if (buf.length < min) return [0, ErrShortBuffer];
  let n = 0;
  let err: Error | null = null;
  while (n < min && err === null) {
    const [nn, e] = await r.read(buf.subarray(n));
    n += nn;
    err = e;
  }
  if (n >= min) err = null;
  else if (n > 0 && err === EOF) err = ErrUnexpectedEOF;
  return [n, err];
}

/** `io.ReadAtLeast(r, buf, min)`. */
export function readAtLeast(r: Reader, buf: Uint8Array, min: number): Promise<[number, Error | null]> {
  return resumeAfter(callerGoroutine(), readAtLeastImpl(r, buf, min));
}

/**
 * `io.ReadFull(r, buf)`: reads exactly buf.length bytes. EOF if none came, ErrUnexpectedEOF if only some did.
 * @example const [n, err] = await io.readFull(conn, header); // header = new Uint8Array(4)
 */
export function readFull(r: Reader, buf: Uint8Array): Promise<[number, Error | null]> {
  return readAtLeast(r, buf, buf.length);
}

/** `io.WriteString(w, s)`. */
export function writeString(w: Writer, s: string): Promise<[number, Error | null]> {
  return w.write(new TextEncoder().encode(s));
}
