// Unsigned varints as Go's encoding/binary writes them (PutUvarint; also protobuf's base-128): 7 bits a byte, low first.

/** Go's binary.MaxVarintLen64: a uint64 never needs more than 10 bytes. */
export const MAX_UVARINT_BYTES = 10;

/** Bytes needed to write n (a non-negative safe integer). */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes n at out[offset..] and returns the number of bytes written. Same bytes as Go's binary.PutUvarint. */
export function putUvarint(out: Uint8Array, offset: number, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint must be a non-negative safe integer, got ${n}`);
  let i = offset;
  while (n >= 0x80) {
    out[i++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[i++] = n;
  return i - offset;
}
