// Handshake reassembly across fragments of any size, the hellos' fields from a real Node ClientHello, and malformed
// lengths refused with E_TLS_MALFORMED instead of read past.
import net from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  HELLO_RETRY_REQUEST_RANDOM,
  HandshakeAssembler,
  TlsMalformedError,
  parseClientHello,
  parseServerHello,
} from './tlsHandshakeParser.js';
import { isGrease } from './tlsNames.js';

/** The first record Node's TLS client sends with these options, caught by a plain TCP listener. */
async function clientHelloRecord(options: tls.ConnectionOptions): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const got = new Promise<Buffer>((resolve) =>
    server.once('connection', (s) =>
      s.once('data', (d: Buffer) => {
        resolve(d);
        s.destroy();
      }),
    ),
  );
  const c = tls.connect({ host: '127.0.0.1', port, ...options });
  c.on('error', () => {});
  const bytes = await got;
  c.destroy();
  server.close();
  return bytes;
}

function serverHelloBody(random: string, extensions: number[]): Uint8Array {
  return Uint8Array.from([
    3, 3, ...Buffer.from(random, 'hex'), 0, 0x13, 0x01, 0,
    extensions.length >> 8, extensions.length & 0xff, ...extensions,
  ]); // prettier-ignore
}

describe('HandshakeAssembler', () => {
  it('joins a message cut at every place and splits records holding two messages', () => {
    const a = [1, 0, 0, 3, 9, 8, 7];
    const b = [2, 0, 0, 1, 5];
    const both = Uint8Array.from([...a, ...b]);
    for (let cut = 0; cut <= both.length; cut++) {
      const h = new HandshakeAssembler();
      const got = [...h.push(both.slice(0, cut)), ...h.push(both.slice(cut))];
      expect(got.map((m) => [m.typeName, [...m.body]])).toEqual([
        ['client_hello', [9, 8, 7]],
        ['server_hello', [5]],
      ]);
      expect(h.buffered).toBe(0);
    }
  });

  it('refuses a message longer than it will hold', () => {
    expect(() => new HandshakeAssembler().push(Uint8Array.of(1, 0xff, 0xff, 0xff))).toThrow(TlsMalformedError);
  });
});

describe('parseClientHello on what Node sends', () => {
  it('reads SNI, ALPN, versions, suites by name and the key share groups', async () => {
    const record = await clientHelloRecord({ servername: 'lab.example', ALPNProtocols: ['h2', 'echo/1'] });
    const [message] = new HandshakeAssembler().push(record.subarray(5));
    expect(message!.typeName).toBe('client_hello');
    const hello = parseClientHello(message!.body);
    expect(hello.serverName).toBe('lab.example');
    expect(hello.alpn).toEqual(['h2', 'echo/1']);
    expect(hello.supportedVersions).toEqual(expect.arrayContaining(['TLS 1.3', 'TLS 1.2']));
    expect(hello.cipherSuites).toEqual(expect.arrayContaining(['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256']));
    // Node 20 (OpenSSL 3.0) offers one share, x25519; Node 22 and 24 (OpenSSL 3.5) put X25519MLKEM768 first.
    expect(hello.keyShareGroups).toContain('x25519');
    expect(hello.supportedGroups).toContain('x25519');
    expect(hello.supportedGroups.slice(0, hello.keyShareGroups.length)).toEqual(hello.keyShareGroups);
    expect(hello.random).toMatch(/^[0-9a-f]{64}$/);
    expect(hello.extensions).toEqual(expect.arrayContaining(['server_name', 'key_share', 'supported_versions']));
  });

  it('a TLS 1.2-only client sends no supported_versions', async () => {
    const record = await clientHelloRecord({ servername: 'localhost', maxVersion: 'TLSv1.2' });
    const hello = parseClientHello(new HandshakeAssembler().push(record.subarray(5))[0]!.body);
    expect(hello.supportedVersions).toEqual([]);
    expect(hello.keyShareGroups).toEqual([]);
  });

  it('refuses a ClientHello whose suite list runs past its end', async () => {
    const record = await clientHelloRecord({ servername: 'localhost' });
    const body = new HandshakeAssembler().push(record.subarray(5))[0]!.body.slice();
    // Byte 34 is the session id length; the suites' length follows it: make it larger than the message.
    const at = 35 + body[34]!;
    body[at] = 0xff;
    expect(() => parseClientHello(body)).toThrow(TlsMalformedError);
    expect(() => parseClientHello(body.subarray(0, 20))).toThrow(TlsMalformedError);
  });
});

describe('parseServerHello', () => {
  it('takes the version from supported_versions and the group from key_share', () => {
    const random = 'ab'.repeat(32);
    // supported_versions (43) = 0x0304; key_share (51) = x25519 with a 32-byte key
    const ext = [0, 43, 0, 2, 3, 4, 0, 51, 0, 36, 0, 0x1d, 0, 32, ...new Array<number>(32).fill(1)];
    expect(parseServerHello(serverHelloBody(random, ext))).toMatchObject({
      version: 'TLS 1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      keyShareGroup: 'x25519',
      helloRetryRequest: false,
    });
  });

  it('recognises a HelloRetryRequest by its fixed random; its key_share names only the group wanted', () => {
    const ext = [0, 43, 0, 2, 3, 4, 0, 51, 0, 2, 0, 0x17];
    expect(parseServerHello(serverHelloBody(HELLO_RETRY_REQUEST_RANDOM, ext))).toMatchObject({
      helloRetryRequest: true,
      keyShareGroup: 'secp256r1',
    });
  });

  it('GREASE values are recognised', () => {
    expect(isGrease(0x0a0a)).toBe(true);
    expect(isGrease(0xfafa)).toBe(true);
    expect(isGrease(0x0a1a)).toBe(false);
    expect(isGrease(0x1301)).toBe(false);
  });
});
