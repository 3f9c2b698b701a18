// Delimiter framing: each message is followed by a delimiter (default "\n"), as in line protocols read with `nc`.
//
// A message must not contain the delimiter. Two ways to live with that, chosen by `escape`:
// - off (default), the restriction: the encoder refuses such a message (E_DELIMITER_IN_MESSAGE). Fine for text
//   lines typed by people; wrong for arbitrary bytes.
// - on, byte stuffing (single-byte delimiters only): the escape byte E (default '\') is sent as E E, the delimiter
//   as E C (default C = 'n'), so "a\nb" goes out as `a\nb` + newline and the wire never carries a bare delimiter
//   inside a message. The decoder reverses it; E followed by anything else is E_BAD_ESCAPE. The cost is one
//   extra byte per escaped byte, and no zero-copy for lines that contain E.
// maxLine bounds the bytes of one line on the wire (before unescaping, without the delimiter); a longer line is
// E_LINE_TOO_LONG as soon as the decoder has seen more than that many bytes without a delimiter.
import {
  EncoderCounters,
  type DecoderState,
  type EncoderStats,
  type FrameDecoder,
  type FrameEncoder,
  type FrameSink,
} from './frameCodec.js';
import { FramingError } from './framingError.js';

/** 64 KiB, the default longest line (the same as Go's bufio.Scanner default token size). */
export const DEFAULT_MAX_LINE = 64 * 1024;
export const MAX_MAX_LINE = 16 * 1024 * 1024;
const BACKSLASH = 0x5c;
const LETTER_N = 0x6e;
const CR = 0x0d;

export interface EscapeOptions {
  /** The escape byte, '\' (0x5C) by default. */
  escapeByte?: number;
  /** The byte that stands for the delimiter after the escape byte, 'n' (0x6E) by default. */
  delimiterCode?: number;
}

export interface DelimiterOptions {
  /** One or more bytes; "\n" by default. */
  delimiter?: Uint8Array;
  maxLine?: number;
  /** Byte stuffing on (true or its bytes) or off (false, default). Needs a one-byte delimiter. */
  escape?: boolean | EscapeOptions;
  /** Drop one "\r" before the delimiter, as Go's bufio.ScanLines does, so CRLF clients (telnet, nc -C) work. */
  dropCR?: boolean;
}

interface ResolvedOptions {
  delimiter: Uint8Array;
  maxLine: number;
  escape: { escapeByte: number; delimiterCode: number } | null;
  dropCR: boolean;
}

function isByte(b: number): boolean {
  return Number.isInteger(b) && b >= 0 && b <= 255;
}

function resolve(options: DelimiterOptions): ResolvedOptions {
  const delimiter = options.delimiter ?? Uint8Array.of(0x0a);
  const maxLine = options.maxLine ?? DEFAULT_MAX_LINE;
  if (delimiter.length < 1 || delimiter.length > 16) throw new RangeError('delimiter must be 1 to 16 bytes');
  if (!Number.isSafeInteger(maxLine) || maxLine < 1 || maxLine > MAX_MAX_LINE) {
    throw new RangeError(`maxLine must be an integer in [1, ${MAX_MAX_LINE}], got ${maxLine}`);
  }
  let escape: ResolvedOptions['escape'] = null;
  if (options.escape) {
    const given = options.escape === true ? {} : options.escape;
    escape = { escapeByte: given.escapeByte ?? BACKSLASH, delimiterCode: given.delimiterCode ?? LETTER_N };
    if (delimiter.length !== 1) throw new RangeError('escaping needs a one-byte delimiter');
    const d = delimiter[0];
    const { escapeByte: e, delimiterCode: c } = escape;
    if (!isByte(e) || !isByte(c) || e === d || c === d || c === e) {
      throw new RangeError('escape byte, delimiter code and delimiter must be three different bytes');
    }
  }
  return { delimiter: delimiter.slice(), maxLine, escape, dropCR: options.dropCR ?? false };
}

function countByte(bytes: Uint8Array, b: number): number {
  let count = 0;
  for (let i = bytes.indexOf(b); i >= 0; i = bytes.indexOf(b, i + 1)) count++;
  return count;
}

/** Index of the first `needle` in hay at or after `from`, or -1. */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  if (needle.length === 1) return hay.indexOf(first, from);
  const last = hay.length - needle.length;
  let i = hay.indexOf(first, from);
  while (i >= 0 && i <= last) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

export class DelimiterEncoder implements FrameEncoder {
  readonly mode = 'delimiter' as const;
  private readonly options: ResolvedOptions;
  private readonly counters = new EncoderCounters();
  /** Bytes added by escaping so far (part of the overhead in stats()). */
  escapeBytes = 0;

  constructor(options: DelimiterOptions = {}) {
    this.options = resolve(options);
  }

  encode(message: Uint8Array): Uint8Array {
    const { delimiter, maxLine, escape } = this.options;
    if (escape === null) {
      if (indexOfBytes(message, delimiter, 0) >= 0) {
        throw new FramingError('E_DELIMITER_IN_MESSAGE', `message contains the delimiter; turn escaping on to send it`);
      }
      if (message.length > maxLine) {
        throw new FramingError(
          'E_LINE_TOO_LONG',
          `line of ${message.length} bytes exceeds the maximum line of ${maxLine}`,
        );
      }
      const out = new Uint8Array(message.length + delimiter.length);
      out.set(message, 0);
      out.set(delimiter, message.length);
      this.counters.count(message.length, out.length);
      return out;
    }
    const d = delimiter[0];
    const { escapeByte: e, delimiterCode: c } = escape;
    // indexOf scans natively; a per-byte loop in JS is several times slower on long messages.
    const extra = countByte(message, d) + countByte(message, e);
    const lineLength = message.length + extra;
    if (lineLength > maxLine) {
      throw new FramingError(
        'E_LINE_TOO_LONG',
        `escaped line of ${lineLength} bytes exceeds the maximum line of ${maxLine}`,
      );
    }
    const out = new Uint8Array(lineLength + 1);
    if (extra === 0) {
      out.set(message, 0);
    } else {
      let o = 0;
      let from = 0;
      let nextD = message.indexOf(d);
      let nextE = message.indexOf(e);
      while (nextD >= 0 || nextE >= 0) {
        const isD = nextE < 0 || (nextD >= 0 && nextD < nextE);
        const at = isD ? nextD : nextE;
        out.set(message.subarray(from, at), o);
        o += at - from;
        out[o++] = e;
        out[o++] = isD ? c : e;
        from = at + 1;
        if (isD) nextD = message.indexOf(d, from);
        else nextE = message.indexOf(e, from);
      }
      out.set(message.subarray(from), o);
    }
    out[lineLength] = d;
    this.escapeBytes += extra;
    this.counters.count(message.length, out.length);
    return out;
  }

  stats(): EncoderStats {
    return this.counters.snapshot();
  }
}

/**
 * A streaming delimiter decoder. Lines inside one chunk come out as views of it (unless they must be unescaped);
 * a line spread over chunks is gathered in a buffer that never grows past maxLine plus the delimiter.
 */
export class DelimiterDecoder implements FrameDecoder {
  readonly mode = 'delimiter' as const;
  private readonly options: ResolvedOptions;
  private pending = new Uint8Array(0);
  private pendingLength = 0;
  /** Stream offset of the first byte of the current line. */
  private lineStart = 0;
  private bytesIn = 0;
  private framesOut = 0;
  private zeroCopyFrames = 0;
  private failure: FramingError | null = null;
  private ended = false;

  constructor(options: DelimiterOptions = {}) {
    this.options = resolve(options);
  }

  push(chunk: Uint8Array, onFrame: FrameSink): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('push() after end()');
    const { delimiter } = this.options;
    const dl = delimiter.length;
    const n = chunk.length;
    const base = this.bytesIn;
    this.bytesIn += n;
    let p = 0;

    if (this.pendingLength > 0) {
      // The line started in an earlier chunk. Its delimiter may straddle the boundary (multi-byte delimiters).
      const straddle = dl > 1 ? this.findStraddlingDelimiter(chunk) : -1;
      if (straddle >= 0) {
        const lineLength = this.pendingLength - straddle;
        p = dl - straddle;
        this.emit(this.pending.slice(0, lineLength), false, onFrame, base + p);
      } else {
        const i = indexOfBytes(chunk, delimiter, 0);
        if (i < 0) {
          this.append(chunk);
          return;
        }
        const line = new Uint8Array(this.pendingLength + i);
        line.set(this.pending.subarray(0, this.pendingLength), 0);
        line.set(chunk.subarray(0, i), this.pendingLength);
        p = i + dl;
        this.emit(line, false, onFrame, base + p);
      }
      this.pendingLength = 0;
      this.lineStart = base + p;
    }

    for (;;) {
      const i = indexOfBytes(chunk, delimiter, p);
      if (i < 0) break;
      this.emit(chunk.subarray(p, i), true, onFrame, base + i + dl);
      p = i + dl;
      this.lineStart = base + p;
    }
    if (p < n) this.append(chunk.subarray(p));
  }

  end(): void {
    if (this.failure || this.ended) return;
    this.ended = true;
    if (this.pendingLength > 0) {
      // bufio.Scanner would return this as a last line; a framed protocol treats it as a cut-off frame.
      throw this.fail('E_TRUNCATED_FRAME', `stream ended with ${this.pendingLength} bytes and no delimiter`);
    }
  }

  state(): DecoderState {
    return {
      mode: this.mode,
      phase: this.failure ? 'failed' : this.ended ? 'ended' : 'line',
      bufferedBytes: this.pendingLength,
      expectedLength: null,
      headerBytes: 0,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      zeroCopyFrames: this.zeroCopyFrames,
      errorCode: this.failure ? this.failure.code : null,
    };
  }

  /**
   * If the pending bytes end with the first k bytes of the delimiter and the chunk begins with the rest,
   * returns k (the delimiter starts k bytes before the end of pending); else -1.
   */
  private findStraddlingDelimiter(chunk: Uint8Array): number {
    const { delimiter } = this.options;
    const dl = delimiter.length;
    const maxK = Math.min(dl - 1, this.pendingLength);
    // Longest candidate first: it starts earliest, so it is the first delimiter in the stream.
    for (let k = maxK; k >= 1; k--) {
      if (chunk.length < dl - k) continue;
      let ok = true;
      for (let j = 0; j < k && ok; j++) ok = this.pending[this.pendingLength - k + j] === delimiter[j];
      for (let j = k; j < dl && ok; j++) ok = chunk[j - k] === delimiter[j];
      if (ok) return k;
    }
    return -1;
  }

  private append(bytes: Uint8Array): void {
    const { maxLine, delimiter } = this.options;
    const needed = this.pendingLength + bytes.length;
    // Up to dl-1 held bytes may be the start of a delimiter, so they do not count against the line yet.
    if (needed - (delimiter.length - 1) > maxLine) {
      throw this.fail('E_LINE_TOO_LONG', `more than ${maxLine} bytes without a delimiter`);
    }
    if (needed > this.pending.length) {
      const grown = new Uint8Array(Math.min(Math.max(needed, this.pending.length * 2, 64), maxLine + delimiter.length));
      grown.set(this.pending.subarray(0, this.pendingLength), 0);
      this.pending = grown;
    }
    this.pending.set(bytes, this.pendingLength);
    this.pendingLength = needed;
  }

  private emit(raw: Uint8Array, isView: boolean, onFrame: FrameSink, wireEnd: number): void {
    const { maxLine, escape, dropCR } = this.options;
    if (raw.length > maxLine)
      throw this.fail('E_LINE_TOO_LONG', `line of ${raw.length} bytes exceeds the maximum line of ${maxLine}`);
    let line = raw;
    if (dropCR && line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    if (escape !== null && line.indexOf(escape.escapeByte) >= 0) {
      line = this.unescape(line);
      isView = false;
    }
    this.framesOut++;
    if (isView) this.zeroCopyFrames++;
    onFrame(line, wireEnd);
  }

  private unescape(line: Uint8Array): Uint8Array {
    const { escapeByte: e, delimiterCode: c } = this.options.escape!;
    const d = this.options.delimiter[0];
    const out = new Uint8Array(line.length);
    let o = 0;
    for (let i = 0; i < line.length; i++) {
      const b = line[i];
      if (b !== e) {
        out[o++] = b;
        continue;
      }
      const next = i + 1 < line.length ? line[i + 1] : -1;
      if (next === e) out[o++] = e;
      else if (next === c) out[o++] = d;
      else {
        const what = next < 0 ? 'ends the line' : `is followed by 0x${next.toString(16).padStart(2, '0')}`;
        throw this.fail('E_BAD_ESCAPE', `escape byte at line offset ${i} ${what}`);
      }
      i++;
    }
    return out.subarray(0, o);
  }

  private fail(code: FramingError['code'], detail: string): FramingError {
    this.failure = new FramingError(code, detail, this.lineStart);
    this.pendingLength = 0;
    return this.failure;
  }
}
