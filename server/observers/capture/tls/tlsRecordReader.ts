// Cuts one direction of a TCP byte stream into TLS records (type, version, length, fragment), fed chunks of any
// size; refuses a length over 2^14 + 256 and bytes that do not start a record, with a coded error; pure.
import type { ErrorCode } from '../../../../core/protocol/errors.js';

/** RFC 8446 §5.2: a TLSCiphertext fragment is at most 2^14 + 256 bytes (TLS 1.2 allows 2^14 + 2048 for
 * compressed-then-encrypted records, which nobody uses; the lab holds both to the tighter bound). */
export const MAX_RECORD_LENGTH = 2 ** 14 + 256;
export const RECORD_HEADER_LENGTH = 5;

export interface TlsRecord {
  /** The record's content type byte (20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data). */
  type: number;
  /** The record layer's legacy version (0x0303 in TLS 1.3 too, 0x0301 in many first ClientHellos). */
  version: number;
  /** The fragment's length as the header declares it. */
  length: number;
  /** The 5-byte header, kept because TLS 1.3 authenticates it as the AEAD's additional data. */
  header: Uint8Array;
  fragment: Uint8Array;
  /** Where the record starts in this direction's byte stream (0 = first byte after the TCP handshake). */
  streamOffset: number;
}

export interface TlsReaderError {
  code: Extract<ErrorCode, 'E_TLS_RECORD_TOO_LARGE' | 'E_TLS_NOT_TLS'>;
  detail: string;
  streamOffset: number;
  /** The first bytes that could not be read, for the view (at most 32). */
  bytes: Uint8Array;
}

export type TlsReaderItem = { kind: 'record'; record: TlsRecord } | { kind: 'error'; error: TlsReaderError };

/** A record header is plausible when its type is 20–24 and its version 3.x (SSL 3.0 to TLS 1.3). */
export function looksLikeRecordHeader(type: number, versionMajor: number): boolean {
  return type >= 20 && type <= 24 && versionMajor === 3;
}

export class TlsRecordReader {
  private pending: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private failed = false;

  /** True once the stream was refused: later bytes are ignored (there is no way to find the next record). */
  get hasFailed(): boolean {
    return this.failed;
  }

  /** Bytes held while waiting for the rest of a record. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): TlsReaderItem[] {
    if (this.failed || chunk.length === 0) return [];
    const data = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const out: TlsReaderItem[] = [];
    let at = 0;
    while (data.length - at >= RECORD_HEADER_LENGTH) {
      const type = data[at]!;
      const version = (data[at + 1]! << 8) | data[at + 2]!;
      const length = (data[at + 3]! << 8) | data[at + 4]!;
      if (!looksLikeRecordHeader(type, data[at + 1]!)) {
        out.push(this.fail('E_TLS_NOT_TLS', `content type ${type}, version 0x${hex(version)}`, data, at));
        return out;
      }
      if (length > MAX_RECORD_LENGTH) {
        out.push(this.fail('E_TLS_RECORD_TOO_LARGE', `length ${length} > ${MAX_RECORD_LENGTH}`, data, at));
        return out;
      }
      if (data.length - at < RECORD_HEADER_LENGTH + length) break;
      out.push({
        kind: 'record',
        record: {
          type,
          version,
          length,
          header: data.subarray(at, at + RECORD_HEADER_LENGTH),
          fragment: data.subarray(at + RECORD_HEADER_LENGTH, at + RECORD_HEADER_LENGTH + length),
          streamOffset: this.offset + at,
        },
      });
      at += RECORD_HEADER_LENGTH + length;
    }
    // A short first chunk that already cannot be TLS is refused at once (one byte is enough to know).
    if (at < data.length && data.length - at < RECORD_HEADER_LENGTH) {
      const type = data[at]!;
      const major = data.length - at > 1 ? data[at + 1]! : 3;
      if (!looksLikeRecordHeader(type, major)) {
        out.push(this.fail('E_TLS_NOT_TLS', `content type ${type}`, data, at));
        return out;
      }
    }
    this.offset += at;
    // Copy the tail: the caller may reuse its chunk's buffer.
    this.pending = at === data.length ? new Uint8Array(0) : data.slice(at);
    return out;
  }

  private fail(code: TlsReaderError['code'], detail: string, data: Uint8Array, at: number): TlsReaderItem {
    this.failed = true;
    this.pending = new Uint8Array(0);
    return {
      kind: 'error',
      error: { code, detail, streamOffset: this.offset + at, bytes: data.slice(at, at + 32) },
    };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function hex(v: number): string {
  return v.toString(16).padStart(4, '0');
}
