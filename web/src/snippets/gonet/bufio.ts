// Go's bufio.Reader for snippets: buffered reads over a conn, with readString('\n') for line protocols.
import { callerGoroutine, resumeAfter } from '@core/runtime/scheduler';
import { EOF, type Reader as IoReader } from './io';

const DEFAULT_SIZE = 4096;

export class Reader {
  private buf: Uint8Array;
  private r = 0;
  private w = 0;
  private err: Error | null = null;

  constructor(
    private readonly rd: IoReader,
    size = DEFAULT_SIZE,
  ) {
    this.buf = new Uint8Array(Math.max(16, size));
  }

  /** Bytes that can be read from the buffer without touching the underlying reader. */
  buffered(): number {
    return this.w - this.r;
  }

  private async fill(): Promise<void> {
    if (this.r > 0) {
      this.buf.copyWithin(0, this.r, this.w);
      this.w -= this.r;
      this.r = 0;
    }
    if (this.w === this.buf.length) {
      const bigger = new Uint8Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    const [n, err] = await this.rd.read(this.buf.subarray(this.w));
    this.w += n;
    if (err) this.err = err;
  }

  private takeErr(): Error | null {
    const e = this.err;
    this.err = null;
    return e;
  }

  private async readImpl(p: Uint8Array): Promise<[number, Error | null]> {
    if (p.length === 0) return [0, this.buffered() > 0 ? null : this.takeErr()];
    if (this.r === this.w) {
      if (this.err) return [0, this.takeErr()];
      await this.fill();
      if (this.r === this.w) return [0, this.takeErr()];
    }
    const n = Math.min(p.length, this.w - this.r);
    p.set(this.buf.subarray(this.r, this.r + n));
    this.r += n;
    return [n, null];
  }

  /** Reads into p from the buffer, or with one read of the underlying reader when the buffer is empty. */
  read(p: Uint8Array): Promise<[number, Error | null]> {
    return resumeAfter(callerGoroutine(), this.readImpl(p));
  }

  private async readSliceImpl(delim: number): Promise<[Uint8Array, Error | null]> {
    let from = this.r;
    for (;;) {
      const i = this.buf.subarray(from, this.w).indexOf(delim);
      if (i >= 0) {
        const end = from + i + 1;
        const line = this.buf.slice(this.r, end);
        this.r = end;
        return [line, null];
      }
      if (this.err) {
        const rest = this.buf.slice(this.r, this.w);
        this.r = this.w;
        return [rest, this.takeErr()];
      }
      const scanned = this.w - this.r;
      await this.fill();
      from = this.r + scanned;
    }
  }

  /** Reads until delim (included); at the end of input returns what is left with the error (often io.EOF). */
  readBytes(delim: number): Promise<[Uint8Array, Error | null]> {
    return resumeAfter(callerGoroutine(), this.readSliceImpl(delim));
  }

  /**
   * Reads until the first delim (a one-character string, e.g. '\n'), delim included.
   * @example const [line, err] = await reader.readString('\n');
   */
  readString(delim: string): Promise<[string, Error | null]> {
    const work = this.readSliceImpl(delim.charCodeAt(0)).then(([b, err]): [string, Error | null] => [
      new TextDecoder().decode(b),
      err,
    ]);
    return resumeAfter(callerGoroutine(), work);
  }

  /** Reads one byte. */
  readByte(): Promise<[number, Error | null]> {
    const work = (async (): Promise<[number, Error | null]> => {
      if (this.r === this.w) {
        if (!this.err) await this.fill();
        if (this.r === this.w) return [0, this.takeErr() ?? EOF];
      }
      return [this.buf[this.r++]!, null];
    })();
    return resumeAfter(callerGoroutine(), work);
  }
}

/** `bufio.NewReader(rd)`. */
export function newReader(rd: IoReader, size?: number): Reader {
  return new Reader(rd, size);
}
