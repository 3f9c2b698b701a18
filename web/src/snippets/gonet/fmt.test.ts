// Go's fmt verbs and the small encoding/binary and errors packages of the snippet library.
import { describe, expect, it } from 'vitest';
import { GoPanic } from '@core/runtime/panic';
import { bigEndian, littleEndian } from './binary';
import * as errors from './errors';
import { errorf, formatValue, sprint, sprintf, sprintln } from './fmt';

describe('sprintf', () => {
  it('formats Go’s common verbs', () => {
    expect(sprintf('%d %s %v %t', 42, 'go', [1, 2, 3], true)).toBe('42 go [1 2 3] true');
    expect(sprintf('%q %x %X %c', 'a"b', 255, 'hi', 0x4e16)).toBe('"a\\"b" ff 6869 世');
    expect(sprintf('%5d|%-5s|%05d|%.2f|%8.3f', 42, 'ab', 42, Math.PI, Math.E)).toBe('   42|ab   |00042|3.14|   2.718');
    expect(sprintf('%v %v %v', null, new Error('boom'), new Map([['a', 1]]))).toBe('<nil> boom map[a:1]');
    expect(sprintf('%+v %v', { a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe('{a:1 b:x} {1 x}');
    expect(sprintf('%x', new Uint8Array([0, 171]))).toBe('00ab');
    expect(sprintf('%T %T %T', 1, 1.5, 'x')).toBe('int float64 string');
    expect(sprintf('100%%')).toBe('100%');
  });

  it('reports missing, extra and mismatched arguments as Go does', () => {
    expect(sprintf('%d %d', 1)).toBe('1 %!d(MISSING)');
    expect(sprintf('%d', 1, 'x')).toBe('1%!(EXTRA string=x)');
    expect(sprintf('%d', 'x')).toBe('%!d(string=x)');
  });

  it('joins operands like Sprint and Sprintln', () => {
    expect(sprint('a', 1, 2, 'b')).toBe('a1 2b');
    expect(sprintln('a', 1, 2, 'b')).toBe('a 1 2 b\n');
    expect(formatValue(new Uint8Array([104, 105]))).toBe('[104 105]');
  });
});

describe('errors', () => {
  it('wraps with %w so errors.is finds the cause, and errors.as finds the type', () => {
    const base = errors.newError('queue full');
    const wrapped = errorf('enqueue job %d: %w', 7, base);
    expect(wrapped.message).toBe('enqueue job 7: queue full');
    expect(errors.is(wrapped, base)).toBe(true);
    expect(errors.is(errorf('plain %v', base), base)).toBe(false);
    expect(errors.unwrap(wrapped)).toBe(base);
    expect(errors.as(wrapped, errors.GoError)).toBe(wrapped);
    expect(errors.as(wrapped, RangeError)).toBeNull();
  });
});

describe('binary byte orders', () => {
  it('reads and writes both orders, and panics like Go on short input', () => {
    const b = new Uint8Array(4);
    bigEndian.putUint32(b, 0x01020304);
    expect([...b]).toEqual([1, 2, 3, 4]);
    expect(bigEndian.uint32(b)).toBe(0x01020304);
    expect(littleEndian.uint32(b)).toBe(0x04030201);
    bigEndian.putUint32(b, 0xffffffff);
    expect(bigEndian.uint32(b)).toBe(4294967295);
    expect([...bigEndian.appendUint32(Uint8Array.of(9), 258)]).toEqual([9, 0, 0, 1, 2]);
    expect(() => bigEndian.uint32(new Uint8Array(3))).toThrow(GoPanic);
    expect(() => bigEndian.uint32(new Uint8Array(3))).toThrow('index out of range [3] with length 3');
  });
});
