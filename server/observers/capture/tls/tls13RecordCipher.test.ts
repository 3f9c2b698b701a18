// RFC 8448 §3 (the simple 1-RTT handshake) vectors: HKDF-Expand-Label, traffic keys, and opening the client's first
// application-data record; plus what a wrong key or a damaged record gives.
import { describe, expect, it } from 'vitest';
import {
  hkdfExpandLabel,
  nextTrafficSecret,
  openRecord,
  recordNonce,
  tls13Suite,
  trafficKeys,
} from './tls13RecordCipher.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const AES128 = tls13Suite(0x1301)!;

const HANDSHAKE_SECRET = hex(
  '1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac',
);
const HELLO_HASH = hex(
  '86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8',
);
const SERVER_HS_SECRET = hex(
  'b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38',
);
const CLIENT_AP_SECRET = hex(
  '9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5',
);
const CLIENT_AP_RECORD = hex(`17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55
    cb ef ac ea 42 f9 14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39
    5b d5 4a 9a 20 44 1e 2b 62 97 4e 1f 5a 62 92 a2 97 70 14 bd
    1e 3d ea e6 3a ee bb 21 69 49 15 e4`);

describe('TLS 1.3 key schedule pieces (RFC 8448 §3)', () => {
  it('derives the server handshake traffic secret with a transcript-hash context', () => {
    expect(hkdfExpandLabel('sha256', HANDSHAKE_SECRET, 's hs traffic', HELLO_HASH, 32)).toEqual(SERVER_HS_SECRET);
  });

  it('derives key and iv from traffic secrets', () => {
    expect(trafficKeys(AES128, SERVER_HS_SECRET)).toEqual({
      key: hex('3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc'),
      iv: hex('5d 31 3e b2 67 12 76 ee 13 00 0b 30'),
    });
    expect(trafficKeys(AES128, CLIENT_AP_SECRET)).toEqual({
      key: hex('17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51'),
      iv: hex('5b 78 92 3d ee 08 57 90 33 e5 23 d9'),
    });
  });

  it('XORs the sequence number into the low bytes of the iv', () => {
    const iv = hex('5b 78 92 3d ee 08 57 90 33 e5 23 d9');
    expect(recordNonce(iv, 0n)).toEqual(iv);
    expect(recordNonce(iv, 1n).toString('hex')).toBe('5b78923dee08579033e523d8');
    expect(recordNonce(iv, 0x0102n).toString('hex')).toBe('5b78923dee08579033e522db');
  });

  it("opens the client's first application-data record: 50 bytes 00..31, inner type application_data", () => {
    const keys = trafficKeys(AES128, CLIENT_AP_SECRET);
    const opened = openRecord(AES128, keys, 0n, CLIENT_AP_RECORD.subarray(0, 5), CLIENT_AP_RECORD.subarray(5));
    expect(opened).not.toBeNull();
    expect(opened!.innerType).toBe(23);
    expect([...opened!.content]).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(opened!.padding).toBe(0);
  });

  it('gives null for the wrong sequence number, a flipped bit or a changed header (the tag fails)', () => {
    const keys = trafficKeys(AES128, CLIENT_AP_SECRET);
    const header = CLIENT_AP_RECORD.subarray(0, 5);
    const body = CLIENT_AP_RECORD.subarray(5);
    expect(openRecord(AES128, keys, 1n, header, body)).toBeNull();
    const flipped = Buffer.from(body);
    flipped[3]! ^= 1;
    expect(openRecord(AES128, keys, 0n, header, flipped)).toBeNull();
    expect(openRecord(AES128, keys, 0n, hex('17 03 01 00 43'), body)).toBeNull();
    expect(openRecord(AES128, keys, 0n, header, body.subarray(0, 10))).toBeNull();
  });

  it('knows the three common suites and derives a KeyUpdate secret of the hash length', () => {
    expect(tls13Suite(0x1302)?.cipher).toBe('aes-256-gcm');
    expect(tls13Suite(0x1303)?.cipher).toBe('chacha20-poly1305');
    expect(tls13Suite(0xc02f)).toBeNull();
    const next = nextTrafficSecret(AES128, CLIENT_AP_SECRET);
    expect(next).toHaveLength(32);
    expect(next).not.toEqual(CLIENT_AP_SECRET);
  });
});
