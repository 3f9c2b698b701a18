// TLS 1.2 record protection for the AEAD suites (RFC 5246 §5–6.3, RFC 5288 AES-GCM, RFC 7905 ChaCha20-Poly1305):
// the key block from the master secret (the key log's CLIENT_RANDOM line) with the TLS PRF, and opening one record.
import { createDecipheriv, createHmac } from 'node:crypto';

export interface Tls12Suite {
  id: number;
  hash: 'sha256' | 'sha384';
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  keyLength: number;
  /** The implicit part of the nonce: 4 bytes for GCM (plus 8 sent with each record), 12 for ChaCha20. */
  ivLength: 4 | 12;
}

const GCM128 = { cipher: 'aes-128-gcm', keyLength: 16, ivLength: 4, hash: 'sha256' } as const;
const GCM256 = { cipher: 'aes-256-gcm', keyLength: 32, ivLength: 4, hash: 'sha384' } as const;
const CHACHA = { cipher: 'chacha20-poly1305', keyLength: 32, ivLength: 12, hash: 'sha256' } as const;

const SUITES: Record<number, Tls12Suite> = {
  0x009c: { id: 0x009c, ...GCM128 },
  0x009d: { id: 0x009d, ...GCM256 },
  0x009e: { id: 0x009e, ...GCM128 },
  0x009f: { id: 0x009f, ...GCM256 },
  0xc02b: { id: 0xc02b, ...GCM128 },
  0xc02c: { id: 0xc02c, ...GCM256 },
  0xc02f: { id: 0xc02f, ...GCM128 },
  0xc030: { id: 0xc030, ...GCM256 },
  0xcca8: { id: 0xcca8, ...CHACHA },
  0xcca9: { id: 0xcca9, ...CHACHA },
  0xccaa: { id: 0xccaa, ...CHACHA },
};

/** The TLS 1.2 suites the lab can open: the AEAD ones (CBC suites are left out). */
export function tls12Suite(id: number): Tls12Suite | null {
  return SUITES[id] ?? null;
}

/** RFC 5246 §5: P_hash(secret, label + seed), cut to length. */
export function tlsPrf(hash: string, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const labelSeed = Buffer.concat([Buffer.from(label, 'ascii'), seed]);
  const out: Buffer[] = [];
  let a: Buffer = labelSeed;
  let total = 0;
  while (total < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(labelSeed).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

export interface Tls12Keys {
  client: { key: Buffer; iv: Buffer };
  server: { key: Buffer; iv: Buffer };
}

/** RFC 5246 §6.3: the key block, in the order client key, server key, client iv, server iv (AEAD: no MAC keys). */
export function tls12Keys(
  suite: Tls12Suite,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Tls12Keys {
  const n = suite.keyLength;
  const iv = suite.ivLength;
  const block = tlsPrf(
    suite.hash,
    master,
    'key expansion',
    Buffer.concat([serverRandom, clientRandom]),
    2 * n + 2 * iv,
  );
  return {
    client: { key: block.subarray(0, n), iv: block.subarray(2 * n, 2 * n + iv) },
    server: { key: block.subarray(n, 2 * n), iv: block.subarray(2 * n + iv, 2 * n + 2 * iv) },
  };
}

const TAG = 16;

/** Opens one TLS 1.2 AEAD record; null when the tag does not match. */
export function openRecord12(
  suite: Tls12Suite,
  keys: { key: Buffer; iv: Buffer },
  sequence: bigint,
  type: number,
  version: number,
  fragment: Uint8Array,
): Buffer | null {
  const explicit = suite.ivLength === 4 ? 8 : 0;
  if (fragment.length < explicit + TAG) return null;
  let nonce: Buffer;
  if (explicit) nonce = Buffer.concat([keys.iv, fragment.subarray(0, 8)]);
  else {
    nonce = Buffer.from(keys.iv);
    for (let i = 0; i < 8; i++) nonce[11 - i]! ^= Number((sequence >> BigInt(8 * i)) & 0xffn);
  }
  const body = fragment.subarray(explicit, fragment.length - TAG);
  // The additional data: seq_num, type, version, and the plaintext's length.
  const aad = Buffer.alloc(13);
  aad.writeBigUInt64BE(sequence, 0);
  aad[8] = type;
  aad.writeUInt16BE(version, 9);
  aad.writeUInt16BE(body.length, 11);
  const decipher = createDecipheriv(suite.cipher as 'aes-128-gcm', keys.key, nonce, { authTagLength: TAG });
  decipher.setAAD(aad, { plaintextLength: body.length });
  decipher.setAuthTag(fragment.subarray(fragment.length - TAG));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}
