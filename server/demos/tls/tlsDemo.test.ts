// The TLS demo on real sockets and a real capture: a session's echoed line decrypted beside its ciphertext, the key
// log file (0600) holding its secrets, garbage answered with an alert or a bare close, a bad certificate refused; and
// the fallback when tcpdump may not capture (run as nobody): the demo still works and says capture is off.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_HELLO_HEX } from '../../../core/protocol/demos/tls.js';
import type { LabEventBody } from '../../../core/protocol/events.js';
import type { TlsRecordFields } from '../../../core/protocol/events/tls.js';
import type { Capability } from '../../../core/protocol/wire.js';
import { TlsDemo, type TlsDemoOptions } from './tlsDemo.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function startDemo(options: TlsDemoOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'tls-demo-'));
  const events: LabEventBody[] = [];
  const capabilities = new Map<string, Capability>();
  const demo = new TlsDemo({ dataDir, goRunner: null, ...options });
  await demo.start({
    host: '127.0.0.1',
    port: () => 0,
    emit: (e) => events.push(e),
    setCapability: (name, c) => capabilities.set(name, c),
  });
  cleanups.push(
    () => demo.stop(),
    () => rm(dataDir, { recursive: true, force: true }),
  );
  return { demo, events, capabilities, dataDir };
}

async function until<T>(find: () => T | undefined | false, ms = 8000): Promise<T> {
  const stop = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > stop) throw new Error('not seen in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const caller = { session: 'test-page' };

describe('TlsDemo', () => {
  it('a TLS 1.3 session: the line comes back, the capture shows it encrypted and the lab opens it', async () => {
    const { demo, events, capabilities } = await startDemo();
    expect(capabilities.get('packet capture')?.available).toBe(true);
    const result = await demo.commands.session.run(
      { version: '1.3', message: 'tls demo line', helloRetry: false },
      caller,
    );
    expect(result).toMatchObject({ run: 'session', version: 'TLSv1.3', echoed: 'tls demo line', captured: true });
    const { client } = result as { client: string };
    const opened = await until(() =>
      events
        .flatMap((e) => (e.kind === 'tls.record' && e.record.client === client ? [e.record] : []))
        .filter((r: TlsRecordFields) => r.decrypted?.text === 'tls demo line\n'),
    );
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened[0]!.ciphertextHex).toMatch(/^[0-9a-f]+$/);
    // Appended a moment after the server logs it.
    let keyLog = '';
    for (let i = 0; i < 200 && !/^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]+$/m.test(keyLog); i++) {
      await new Promise((r) => setTimeout(r, 25));
      keyLog = await readFile(demo.keyLogPath!, 'utf8');
    }
    expect(keyLog).toMatch(/^CLIENT_TRAFFIC_SECRET_0 [0-9a-f]{64} [0-9a-f]+$/m);
    expect((await stat(demo.keyLogPath!)).mode & 0o777).toBe(0o600);
    expect(demo.endpoints().map((e) => e.name)).toEqual(['echo', 'wrong name', 'unknown CA', 'expired']);
    expect(demo.endpoints()[0]!.tryWith).toMatch(/^openssl s_client -connect 127\.0\.0\.1:\d+ -servername localhost/);
  });

  it('garbage: plain text gets a bare close, a broken ClientHello a decode_error alert the capture also shows', async () => {
    const { demo, events } = await startDemo();
    const text = await demo.commands.garbage.run({ text: 'GET / HTTP/1.1\r\n\r\n' }, caller);
    expect(text).toMatchObject({ run: 'garbage', closed: true, alert: null, replyHex: '' });
    const broken = await demo.commands.garbage.run({ text: 'x', hex: BROKEN_HELLO_HEX }, caller);
    expect(broken).toMatchObject({ closed: true, alert: { level: 'fatal', description: 'decode_error' } });
    const client = (broken as { client: string }).client;
    const alert = await until(() =>
      events.find((e) => e.kind === 'tls.record' && e.record.client === client && e.record.from === 'server'),
    );
    expect(alert.kind === 'tls.record' && alert.record.alert).toEqual({ level: 'fatal', description: 'decode_error' });
    const notTls = await until(() =>
      events.find((e) => e.kind === 'tls.streamError' && e.client === (text as { client: string }).client),
    );
    expect(notTls).toMatchObject({ error: { code: 'E_TLS_NOT_TLS' }, text: 'GET / HTTP/1.1\r\n\r\n' });
  });

  it("a bad certificate without Go: Node's client reports the error (labelled as Node's)", async () => {
    const { demo } = await startDemo();
    const expired = await demo.commands.badCert.run({ kind: 'expired' }, caller);
    expect(expired).toMatchObject({ run: 'badCert', dialer: 'node', error: expect.stringMatching(/CERT_HAS_EXPIRED/) });
    const wrong = await demo.commands.badCert.run({ kind: 'wrong-name' }, caller);
    expect(wrong).toMatchObject({ error: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID/) });
    const unknown = await demo.commands.badCert.run({ kind: 'unknown-ca' }, caller);
    expect(unknown).toMatchObject({ error: expect.stringMatching(/SELF_SIGNED/) });
  });

  it('when tcpdump may not capture (run as nobody) the demo says so and still answers, with captured: false', async () => {
    const { demo, capabilities, events } = await startDemo({ captureAsUser: 'nobody' });
    expect(capabilities.get('packet capture')).toMatchObject({ available: false });
    const result = await demo.commands.session.run(
      { version: '1.2', message: 'no capture', helloRetry: false },
      caller,
    );
    expect(result).toMatchObject({ echoed: 'no capture', captured: false });
    expect(events.some((e) => e.kind === 'tls.record')).toBe(false);
  });
});
