// The record reader fed every split of a stream, the 2^14 + 256 bound, and bytes that are not TLS.
import { describe, expect, it } from 'vitest';
import { MAX_RECORD_LENGTH, TlsRecordReader, type TlsReaderItem } from './tlsRecordReader.js';

function record(type: number, body: number[], version = 0x0303): number[] {
  return [type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff, ...body];
}

const STREAM = Uint8Array.from([
  ...record(22, [1, 0, 0, 2, 3, 3]),
  ...record(20, [1]),
  ...record(
    23,
    Array.from({ length: 40 }, (_, i) => i),
  ),
  ...record(21, [2, 40]),
]);

function summary(items: TlsReaderItem[]): string[] {
  return items.map((i) =>
    i.kind === 'record'
      ? `${i.record.type}@${i.record.streamOffset}:${[...i.record.fragment].join(',')}`
      : `error ${i.error.code}@${i.error.streamOffset}`,
  );
}

describe('TlsRecordReader', () => {
  it('gives the same records for every way of cutting the stream into two or three chunks', () => {
    const whole = summary(new TlsRecordReader().push(STREAM));
    expect(whole).toHaveLength(4);
    expect(whole[3]).toBe(`21@${STREAM.length - 7}:2,40`);
    for (let a = 0; a <= STREAM.length; a++) {
      for (let b = a; b <= STREAM.length; b += 7) {
        const r = new TlsRecordReader();
        const got = [
          ...summary(r.push(STREAM.slice(0, a))),
          ...summary(r.push(STREAM.slice(a, b))),
          ...summary(r.push(STREAM.slice(b))),
        ];
        expect(got).toEqual(whole);
        expect(r.buffered).toBe(0);
      }
    }
  });

  it('reads a byte at a time', () => {
    const r = new TlsRecordReader();
    const got: string[] = [];
    for (const byte of STREAM) got.push(...summary(r.push(Uint8Array.of(byte))));
    expect(got).toEqual(summary(new TlsRecordReader().push(STREAM)));
  });

  it('refuses a length over 2^14 + 256 with E_TLS_RECORD_TOO_LARGE and then ignores the direction', () => {
    const r = new TlsRecordReader();
    const ok = record(23, [9]);
    const items = r.push(
      Uint8Array.from([...ok, 23, 3, 3, (MAX_RECORD_LENGTH + 1) >> 8, (MAX_RECORD_LENGTH + 1) & 0xff]),
    );
    expect(summary(items)).toEqual(['23@0:9', `error E_TLS_RECORD_TOO_LARGE@${ok.length}`]);
    expect(r.hasFailed).toBe(true);
    expect(r.push(Uint8Array.from(ok))).toEqual([]);
  });

  it('accepts exactly 2^14 + 256', () => {
    const body = new Array<number>(MAX_RECORD_LENGTH).fill(7);
    const items = new TlsRecordReader().push(Uint8Array.from(record(23, body)));
    expect(items[0]?.kind).toBe('record');
  });

  it('refuses text that is not TLS at its first byte, keeping the bytes for the view', () => {
    const r = new TlsRecordReader();
    const items = r.push(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(items).toHaveLength(1);
    const item = items[0]!;
    expect(item.kind).toBe('error');
    if (item.kind !== 'error') return;
    expect(item.error.code).toBe('E_TLS_NOT_TLS');
    expect(new TextDecoder().decode(item.error.bytes)).toBe('GET / HTTP/1.1\r\n');
  });

  it('refuses a one-byte start that no record has, and a wrong major version', () => {
    expect(summary(new TlsRecordReader().push(Uint8Array.of(0x47)))).toEqual(['error E_TLS_NOT_TLS@0']);
    expect(summary(new TlsRecordReader().push(Uint8Array.of(22, 2, 0, 0, 1, 1)))).toEqual(['error E_TLS_NOT_TLS@0']);
    // A plausible first byte waits for more.
    expect(new TlsRecordReader().push(Uint8Array.of(22))).toEqual([]);
  });
});
