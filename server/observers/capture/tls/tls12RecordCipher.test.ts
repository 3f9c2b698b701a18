// TLS 1.2's PRF against the P_SHA256 test vector published for RFC 5246 implementers, the key block's layout, and
// opening a record sealed the way RFC 5288 says (AES-GCM, explicit nonce, seq/type/version/length as AAD).
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openRecord12, tls12Keys, tls12Suite, tlsPrf } from './tls12RecordCipher.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS 1.2 record protection', () => {
  it('PRF (P_SHA256) gives the published test output', () => {
    const out = tlsPrf(
      'sha256',
      hex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      hex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(out.toString('hex')).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66',
    );
  });

  it('cuts the key block into client key, server key, client iv, server iv', () => {
    const suite = tls12Suite(0xc02f)!;
    const master = Buffer.alloc(48, 7);
    const cr = Buffer.alloc(32, 1);
    const sr = Buffer.alloc(32, 2);
    const keys = tls12Keys(suite, master, cr, sr);
    const block = tlsPrf('sha256', master, 'key expansion', Buffer.concat([sr, cr]), 40);
    expect(keys.client.key).toEqual(block.subarray(0, 16));
    expect(keys.server.key).toEqual(block.subarray(16, 32));
    expect(keys.client.iv).toEqual(block.subarray(32, 36));
    expect(keys.server.iv).toEqual(block.subarray(36, 40));
    expect(tls12Suite(0x002f)).toBeNull(); // CBC: not opened
  });

  it('opens an AES-GCM record and refuses one with the wrong sequence number', () => {
    const suite = tls12Suite(0xc02f)!;
    const keys = { key: Buffer.alloc(16, 3), iv: Buffer.from('01020304', 'hex') };
    const explicit = Buffer.from('0000000000000005', 'hex');
    const plain = Buffer.from('hello over TLS 1.2\n');
    const aad = Buffer.alloc(13);
    aad.writeBigUInt64BE(5n, 0);
    aad[8] = 23;
    aad.writeUInt16BE(0x0303, 9);
    aad.writeUInt16BE(plain.length, 11);
    const c = createCipheriv('aes-128-gcm', keys.key, Buffer.concat([keys.iv, explicit]));
    c.setAAD(aad);
    const fragment = Buffer.concat([explicit, c.update(plain), c.final(), c.getAuthTag()]);
    expect(openRecord12(suite, keys, 5n, 23, 0x0303, fragment)?.toString()).toBe('hello over TLS 1.2\n');
    expect(openRecord12(suite, keys, 6n, 23, 0x0303, fragment)).toBeNull();
    expect(openRecord12(suite, keys, 5n, 23, 0x0303, fragment.subarray(0, 10))).toBeNull();
  });
});
