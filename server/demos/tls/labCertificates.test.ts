// The lab's local CA and certificates: made once under <data>/tls with owner-only permissions, each with the flaw
// it is for (checked with node:crypto's X509Certificate), reused on the next start, and a clear error without openssl.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCertificates, type LabCertificates } from './labCertificates.js';

let dataDir: string;
let certs: LabCertificates;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lab-certs-'));
  certs = await labCertificates(dataDir);
}, 60_000);

afterAll(() => rm(dataDir, { recursive: true, force: true }));

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('labCertificates', () => {
  it('keeps them in <data>/tls: the folder 0700, every key and the key log 0600', async () => {
    expect(certs.dir).toBe(join(dataDir, 'tls'));
    expect(await mode(certs.dir)).toBe(0o700);
    for (const f of [certs.ca, ...Object.values(certs.certs)]) expect(await mode(f.keyPath)).toBe(0o600);
    expect(await mode(certs.keyLogPath)).toBe(0o600);
  });

  it('the server certificate: for localhost, 127.0.0.1 and ::1, signed by the lab CA, valid now', () => {
    const ca = new X509Certificate(certs.ca.cert);
    const server = new X509Certificate(certs.certs.server.cert);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBe('::1');
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(server.checkPrivateKey(createPrivateKey(certs.certs.server.key))).toBe(true);
  });

  it('the bad ones: a wrong name, a CA nobody trusts, and one that expired in 2020', () => {
    const ca = new X509Certificate(certs.ca.cert);
    const wrong = new X509Certificate(certs.certs['wrong-name'].cert);
    expect(wrong.verify(ca.publicKey)).toBe(true);
    expect(wrong.checkHost('localhost')).toBeUndefined();
    const self = new X509Certificate(certs.certs['self-signed'].cert);
    expect(self.verify(ca.publicKey)).toBe(false);
    expect(self.verify(self.publicKey)).toBe(true);
    expect(self.checkHost('localhost')).toBe('localhost');
    const expired = new X509Certificate(certs.certs.expired.cert);
    expect(expired.verify(ca.publicKey)).toBe(true);
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now());
    expect(expired.checkHost('localhost')).toBe('localhost');
  });

  it('reuses what it made, and puts loosened permissions back', async () => {
    const { chmod } = await import('node:fs/promises');
    await chmod(certs.certs.server.keyPath, 0o644);
    const again = await labCertificates(dataDir);
    expect(again.ca.cert).toBe(certs.ca.cert);
    expect(again.certs.server.key).toBe(certs.certs.server.key);
    expect(await mode(again.certs.server.keyPath)).toBe(0o600);
  });

  it('without openssl it says so with E_TLS_CERT_STORE (and makes nothing half-way)', async () => {
    const other = await mkdtemp(join(tmpdir(), 'lab-certs-'));
    try {
      await expect(labCertificates(other, '/nonexistent/openssl')).rejects.toMatchObject({ code: 'E_TLS_CERT_STORE' });
      await expect(stat(join(other, 'tls', 'ca.key'))).rejects.toThrow();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
