// Query bytes the demo sends on purpose: a valid query for shop.lab.test (the flood's), and malformed ones that
// the server's codec must refuse (a pointer loop, a forward pointer, a 64-byte label, counts past the end).
import type { MalformedKind } from '../../../core/protocol/demos/dns.js';

const HEADER = (id: number, qd: number): number[] => [id >> 8, id & 0xff, 0x01, 0x00, 0, qd, 0, 0, 0, 0, 0, 0];
const SHOP = [4, ...bytes('shop'), 3, ...bytes('lab'), 4, ...bytes('test'), 0];
const A_IN = [0, 1, 0, 1];

function bytes(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

export function craftedQuery(kind: MalformedKind | 'valid', id: number): Uint8Array {
  switch (kind) {
    case 'valid':
      return Uint8Array.from([...HEADER(id, 1), ...SHOP, ...A_IN]);
    case 'pointerLoop':
      // Offset 12: label "a", then a pointer back to offset 12: "a.a.a..." forever, if followed.
      return Uint8Array.from([...HEADER(id, 1), 1, 0x61, 0xc0, 12, ...A_IN]);
    case 'pointerForward':
      // A pointer to offset 40, past the end of this 18-byte packet.
      return Uint8Array.from([...HEADER(id, 1), 0xc0, 40, ...A_IN]);
    case 'longLabel':
      return Uint8Array.from([...HEADER(id, 1), 64, ...Array<number>(64).fill(0x61), 0, ...A_IN]);
    case 'countsOverrun':
      // Says 200 questions; holds one.
      return Uint8Array.from([...HEADER(id, 200), ...SHOP, ...A_IN]);
  }
}
