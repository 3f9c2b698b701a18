// TLS 1.3 record protection (RFC 8446 §5.2–5.3, §7.1–7.3): traffic keys from a traffic secret with HKDF-Expand-Label,
// the per-record nonce (iv XOR sequence number), AES-GCM / ChaCha20-Poly1305 opening with node:crypto, and the inner
// plaintext's real content type; plus the next secret of a KeyUpdate.
import { createDecipheriv, createHmac } from 'node:crypto';

export interface Tls13Suite {
  /** IANA id, e.g. 0x1301. */
  id: number;
  hash: 'sha256' | 'sha384';
  hashLength: number;
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  keyLength: number;
}

const SUITES: Record<number, Tls13Suite> = {
  0x1301: { id: 0x1301, hash: 'sha256', hashLength: 32, cipher: 'aes-128-gcm', keyLength: 16 },
  0x1302: { id: 0x1302, hash: 'sha384', hashLength: 48, cipher: 'aes-256-gcm', keyLength: 32 },
  0x1303: { id: 0x1303, hash: 'sha256', hashLength: 32, cipher: 'chacha20-poly1305', keyLength: 32 },
};

/** The TLS 1.3 suites the lab can open (the three every implementation offers; CCM ones are left out). */
export function tls13Suite(id: number): Tls13Suite | null {
  return SUITES[id] ?? null;
}

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** RFC 5869 HKDF-Expand: T(1) | T(2) | ... with T(i) = HMAC(prk, T(i-1) | info | i). */
export function hkdfExpand(hash: string, prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    previous = createHmac(hash, prk).update(previous).update(info).update(Uint8Array.of(i)).digest();
    blocks.push(previous);
    total += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** RFC 8446 §7.1: HKDF-Expand(secret, HkdfLabel{length, "tls13 " + label, context}, length). */
export function hkdfExpandLabel(
  hash: string,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    Buffer.from([context.length]),
    Buffer.from(context),
  ]);
  return hkdfExpand(hash, secret, info, length);
}

export interface TrafficKeys {
  key: Buffer;
  iv: Buffer;
}

/** RFC 8446 §7.3: the write key and iv from a traffic secret. */
export function trafficKeys(suite: Tls13Suite, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', new Uint8Array(0), suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', new Uint8Array(0), IV_LENGTH),
  };
}

/** RFC 8446 §7.2: the secret after a KeyUpdate. */
export function nextTrafficSecret(suite: Tls13Suite, secret: Uint8Array): Buffer {
  return hkdfExpandLabel(suite.hash, secret, 'traffic upd', new Uint8Array(0), suite.hashLength);
}

/** RFC 8446 §5.3: the iv XOR the 64-bit record sequence number, left-padded to the iv's length. */
export function recordNonce(iv: Uint8Array, sequence: bigint): Buffer {
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 8; i++) nonce[IV_LENGTH - 1 - i]! ^= Number((sequence >> BigInt(8 * i)) & 0xffn);
  return nonce;
}

export interface OpenedRecord {
  /** The real content type, from the end of TLSInnerPlaintext. */
  innerType: number;
  content: Buffer;
  /** Zero bytes of padding the sender added after the content type. */
  padding: number;
}

/** Opens one protected record (header = its 5 bytes, the AEAD's additional data); null when the tag does not match. */
export function openRecord(
  suite: Tls13Suite,
  keys: TrafficKeys,
  sequence: bigint,
  header: Uint8Array,
  fragment: Uint8Array,
): OpenedRecord | null {
  if (fragment.length < TAG_LENGTH + 1) return null;
  // Both AEADs have the same shape here; the GCM overload's type stands for the two.
  const decipher = createDecipheriv(suite.cipher as 'aes-128-gcm', keys.key, recordNonce(keys.iv, sequence), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(header, { plaintextLength: fragment.length - TAG_LENGTH });
  decipher.setAuthTag(fragment.subarray(fragment.length - TAG_LENGTH));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(fragment.subarray(0, fragment.length - TAG_LENGTH)), decipher.final()]);
  } catch {
    return null;
  }
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  if (end === 0) return null; // all padding: no content type, which RFC 8446 calls an unexpected_message
  return { innerType: plain[end - 1]!, content: plain.subarray(0, end - 1), padding: plain.length - end };
}
