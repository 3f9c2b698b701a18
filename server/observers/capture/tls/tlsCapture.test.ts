// The TLS decoder on real captures this test makes: tcpdump on loopback while Node's TLS client talks to the lab's
// TLS echo server (TLS 1.3, TLS 1.2, a HelloRetryRequest), openssl s_client meets a certificate it refuses, and
// garbage reaches the TLS port. Needs root or a setcap'd tcpdump, and openssl, as the lab's CI has.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsEvent, TlsRecordFields } from '../../../../core/protocol/events/tls.js';
import { labCertificates, type LabCertificates } from '../../../demos/tls/labCertificates.js';
import { TlsEchoServer } from '../../../demos/tls/tlsEchoServer.js';
import { CaptureObserver } from '../captureObserver.js';
import type { CaptureEventBody } from '../captureProcessor.js';
import { TLS_CAPTURE_HEX_BYTES, TlsCaptureReader } from './tlsCaptureReader.js';

let dataDir: string;
let certs: LabCertificates;
let good: TlsEchoServer;
let wrongName: TlsEchoServer;
let capture: CaptureObserver;
const reader = new TlsCaptureReader();
const events: TlsEvent[] = [];
/** Everything the capture gave and every key log line, for replaying them in another order. */
const raw: CaptureEventBody[] = [];
const keyLines: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tls-capture-'));
  certs = await labCertificates(dataDir);
  const make = (name: 'server' | 'wrong-name') =>
    new TlsEchoServer({
      host: '127.0.0.1',
      port: 0,
      key: certs.certs[name].key,
      cert: certs.certs[name].cert,
      onKeyLog: (line) => {
        keyLines.push(line.toString('latin1'));
        events.push(...reader.addKeyLogLine(line.toString('latin1')));
      },
    });
  good = make('server');
  wrongName = make('wrong-name');
  await good.listen();
  await wrongName.listen();
  capture = new CaptureObserver({
    ports: [good.port, wrongName.port],
    inferStates: false,
    maxHexBytes: TLS_CAPTURE_HEX_BYTES,
    emit: (e) => {
      raw.push(e);
      events.push(...reader.push(e));
    },
  });
  const outcome = await capture.start();
  expect(outcome.status, JSON.stringify(outcome.error)).toBe('capturing');
}, 60_000);

afterAll(async () => {
  await capture?.stop();
  await good?.close();
  await wrongName?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** One session: handshake, one line echoed, close; the client's `ip:port`. */
async function session(
  options: tls.ConnectionOptions,
  text: string,
): Promise<{ client: string; socket: tls.TLSSocket }> {
  const socket = tls.connect({
    host: '127.0.0.1',
    port: good.port,
    servername: 'localhost',
    ca: certs.ca.cert,
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const client = `127.0.0.1:${socket.localPort}`;
  socket.write(`${text}\n`);
  let got = '';
  await new Promise<void>((resolve) =>
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.endsWith('\n')) resolve();
    }),
  );
  expect(got).toBe(`${text}\n`);
  socket.end();
  await new Promise((r) => socket.once('close', r));
  return { client, socket };
}

/** Waits (the capture hands packets over a moment later) until `match` holds for the events seen so far. */
async function until<T>(find: () => T | undefined | false, ms = 8000): Promise<T> {
  const stop = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > stop) {
      console.log(
        JSON.stringify(
          events.map((e) =>
            e.kind === 'tls.record'
              ? [
                  e.record.client,
                  e.record.from,
                  e.record.contentType,
                  e.record.messages,
                  e.record.notDecrypted,
                  e.record.decrypted?.innerType,
                  e.record.decrypted?.text,
                ]
              : e.kind,
          ),
        ),
      );
      throw new Error('the capture did not show it in time');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The client's records, the latest word on each (a record opened later, once its keys came, replaces the first). */
function recordsOf(client: string): TlsRecordFields[] {
  const byPlace = new Map<string, TlsRecordFields>();
  for (const e of events)
    if (e.kind === 'tls.record' && e.record.client === client)
      byPlace.set(`${e.record.from}${e.record.index}`, e.record);
  return [...byPlace.values()];
}

describe('TLS decoded from a real capture', () => {
  it('TLS 1.3: the hellos, everything after ServerHello encrypted, and the echoed line decrypted both ways', async () => {
    const { client } = await session({ minVersion: 'TLSv1.3', ALPNProtocols: ['echo/1'] }, 'secret line');
    const records = await until(() => {
      const r = recordsOf(client);
      return r.filter((x) => x.decrypted?.text === 'secret line\n').length >= 2 && r;
    });
    const hello = records.find((r) => r.clientHello)!;
    expect(hello.from).toBe('client');
    expect(hello.index).toBe(0);
    expect(hello.clientHello).toMatchObject({ serverName: 'localhost', alpn: ['echo/1'] });
    expect(hello.clientHello!.supportedVersions).toContain('TLS 1.3');
    expect(hello.clientHello!.cipherSuites).toContain('TLS_AES_128_GCM_SHA256');
    // x25519 on Node 20; Node 22 and 24 also offer (and pick) X25519MLKEM768: the server picks one the client sent.
    expect(hello.clientHello!.keyShareGroups).toContain('x25519');
    const serverHello = records.find((r) => r.serverHello)!;
    expect(serverHello.serverHello).toMatchObject({ version: 'TLS 1.3', helloRetryRequest: false });
    expect(hello.clientHello!.keyShareGroups).toContain(serverHello.serverHello!.keyShareGroup);
    // After the ServerHello the server's handshake is encrypted: EncryptedExtensions ... Finished, opened with its keys.
    const serverInner = records.filter((r) => r.from === 'server' && r.decrypted).flatMap((r) => r.decrypted!.messages);
    expect(serverInner).toEqual(
      expect.arrayContaining(['encrypted_extensions', 'certificate', 'certificate_verify', 'finished']),
    );
    const data = records.filter((r) => r.decrypted?.text === 'secret line\n');
    expect(data.map((r) => r.from).sort()).toEqual(['client', 'server']);
    for (const r of data) {
      expect(r.contentType).toBe('application_data');
      expect(r.decrypted).toMatchObject({ innerType: 'application_data', keys: 'application' });
      // The wire shows ciphertext, not the line.
      expect(Buffer.from(r.ciphertextHex!, 'hex').toString('latin1')).not.toContain('secret');
    }
    const rtt = await until(() => events.find((e) => e.kind === 'tls.roundTrips' && e.client === client));
    expect(rtt).toMatchObject({ roundTrips: 1, version: 'TLS 1.3', helloRetry: false });
  });

  it('TLS 1.2: two round trips, change_cipher_spec, then records opened with the master secret', async () => {
    const { client } = await session({ maxVersion: 'TLSv1.2' }, 'old line');
    const rtt = await until(() => events.find((e) => e.kind === 'tls.roundTrips' && e.client === client));
    expect(rtt).toMatchObject({ roundTrips: 2, version: 'TLS 1.2' });
    const records = await until(() => {
      const r = recordsOf(client);
      return r.filter((x) => x.decrypted?.text === 'old line\n').length >= 2 && r;
    });
    expect(records.find((r) => r.serverHello)!.serverHello!.version).toBe('TLS 1.2');
    // TLS 1.2 sends the certificate in the clear.
    expect(records.filter((r) => r.from === 'server').flatMap((r) => r.messages)).toEqual(
      expect.arrayContaining(['server_hello', 'certificate', 'server_key_exchange', 'server_hello_done']),
    );
    expect(records.some((r) => r.contentType === 'change_cipher_spec')).toBe(true);
    // After each side's change_cipher_spec: its Finished (a handshake record), then the data, all encrypted.
    const finished = records.filter((r) => r.contentType === 'handshake' && r.encrypted);
    expect(finished.map((r) => r.decrypted?.messages)).toEqual([['finished'], ['finished']]);
    for (const r of records.filter((x) => x.decrypted?.text === 'old line\n')) {
      expect(r).toMatchObject({ contentType: 'application_data', decrypted: { keys: 'master' } });
      expect(Buffer.from(r.ciphertextHex!, 'hex').toString('latin1')).not.toContain('old line');
    }
  });

  it('a client offering only a P-384 key share gets a HelloRetryRequest asking for another group: two round trips', async () => {
    const { client } = await session({ minVersion: 'TLSv1.3', ecdhCurve: 'P-384:P-256' }, 'retry');
    const rtt = await until(() => events.find((e) => e.kind === 'tls.roundTrips' && e.client === client));
    expect(rtt).toMatchObject({ roundTrips: 2, helloRetry: true });
    const records = recordsOf(client);
    const hellos = records.filter((r) => r.clientHello);
    expect(hellos.map((r) => r.clientHello!.keyShareGroups)).toEqual([['secp384r1'], ['secp256r1']]);
    const hrr = records.find((r) => r.serverHello?.helloRetryRequest)!;
    expect(hrr.messages).toEqual(['hello_retry_request']);
    expect(hrr.serverHello!.keyShareGroup).toBe('secp256r1');
    await until(() => recordsOf(client).some((r) => r.decrypted?.text === 'retry\n'));
  });

  it('a record split across TCP segments is read whole', async () => {
    // A real ClientHello, sent in 3 writes with pauses so each travels in its own segment.
    const hello = await firstClientBytes();
    const sock = net.connect(good.port, '127.0.0.1');
    sock.setNoDelay(true);
    await new Promise((r) => sock.once('connect', r));
    const client = `127.0.0.1:${sock.localPort}`;
    const cuts = [0, 3, 40, hello.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      sock.write(hello.subarray(cuts[i], cuts[i + 1]));
      await new Promise((r) => setTimeout(r, 30));
    }
    const records = await until(() => recordsOf(client).find((r) => r.serverHello) && recordsOf(client));
    expect(records[0]!.clientHello?.serverName).toBe('localhost');
    sock.destroy();
  });

  it('garbage on the TLS port: the decoder says it is not TLS and reads the bytes; the server answers', async () => {
    const sock = net.connect(good.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const client = `127.0.0.1:${sock.localPort}`;
    sock.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((r) => sock.once('close', r));
    const err = await until(() => events.find((e) => e.kind === 'tls.streamError' && e.client === client));
    expect(err).toMatchObject({ from: 'client', error: { code: 'E_TLS_NOT_TLS' }, streamOffset: 0 });
    expect(err.kind === 'tls.streamError' && err.text).toContain('GET / HTTP/1.1');
  });

  it("a certificate for the wrong name: openssl's client refuses it and the capture shows its fatal alert", async () => {
    const out = await new Promise<string>((resolve) => {
      const child = execFile(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${wrongName.port}`, '-servername', 'localhost', '-verify_hostname', 'localhost',
          '-CAfile', certs.ca.certPath, '-verify_return_error', '-tls1_3'],
        { timeout: 10_000 },
        (_err, stdout, stderr) => resolve(`${stdout}${stderr}`),
      ); // prettier-ignore
      child.stdin?.end();
    });
    expect(out).toMatch(/hostname mismatch/i);
    const server = `127.0.0.1:${wrongName.port}`;
    const alert = await until(() =>
      events.find(
        (e) =>
          e.kind === 'tls.record' &&
          e.record.server === server &&
          e.record.from === 'client' &&
          (e.record.alert ?? e.record.decrypted?.alert),
      ),
    );
    if (alert.kind !== 'tls.record') throw new Error('not a record');
    // OpenSSL sends it before switching its writes to the handshake keys, so it is in the clear here (Go's is encrypted).
    expect(alert.record.alert ?? alert.record.decrypted?.alert).toEqual({
      level: 'fatal',
      description: 'bad_certificate',
    });
  });

  it('records whose keys the key log gives only later wait, and are opened in order when the keys come', () => {
    const late = new TlsCaptureReader();
    const before = raw.flatMap((e) => late.push(e));
    const closed = before.filter((e) => e.kind === 'tls.record' && e.record.encrypted);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((e) => e.kind === 'tls.record' && e.record.notDecrypted !== null)).toBe(true);
    const after = keyLines.flatMap((l) => late.addKeyLogLine(l));
    const texts = after.flatMap((e) =>
      e.kind === 'tls.record' && e.record.decrypted?.text ? [e.record.decrypted.text] : [],
    );
    expect(texts).toContain('secret line\n');
    expect(texts).toContain('retry\n');
  });
});

/** The first bytes Node's TLS client sends (its ClientHello), caught by a plain TCP listener. */
async function firstClientBytes(): Promise<Buffer> {
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
  const c = tls.connect({ host: '127.0.0.1', port, servername: 'localhost' });
  c.on('error', () => {});
  const bytes = await got;
  c.destroy();
  server.close();
  return bytes;
}
