// The lab's own local CA and certificates, made once with `openssl` under the data folder (0700 folder, 0600 keys):
// the TLS demo's server certificate (localhost, 127.0.0.1, ::1) and the bad ones the lesson needs — a wrong name,
// an unknown CA (self-signed) and an expired one. Never a key from the internet.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '../../../core/protocol/errors.js';

const run = promisify(execFile);

export type CertificateName = 'server' | 'wrong-name' | 'self-signed' | 'expired';
export const BAD_CERTIFICATES = ['wrong-name', 'self-signed', 'expired'] as const;

export interface CertificateFiles {
  keyPath: string;
  certPath: string;
  key: string;
  cert: string;
}

export interface LabCertificates {
  /** The folder holding them: <data folder>/tls. */
  dir: string;
  ca: CertificateFiles;
  certs: Record<CertificateName, CertificateFiles>;
  /** Where the TLS demo appends its NSS key log lines (Wireshark reads this file). */
  keyLogPath: string;
}

const LAB_HOST_NAMES = 'DNS:localhost,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1';

interface Recipe {
  subject: string;
  subjectAltName: string;
  /** 'ca': signed by the lab's CA; 'self': self-signed (a CA nobody trusts); 'expired': the CA's, dated 2020. */
  signer: 'ca' | 'self' | 'expired';
}

const RECIPES: Record<CertificateName, Recipe> = {
  server: { subject: '/CN=localhost', subjectAltName: LAB_HOST_NAMES, signer: 'ca' },
  'wrong-name': { subject: '/CN=wrong.example', subjectAltName: 'DNS:wrong.example', signer: 'ca' },
  'self-signed': { subject: '/CN=localhost', subjectAltName: LAB_HOST_NAMES, signer: 'self' },
  expired: { subject: '/CN=localhost', subjectAltName: LAB_HOST_NAMES, signer: 'expired' },
};

const NAMES = Object.keys(RECIPES) as CertificateName[];
const pending = new Map<string, Promise<LabCertificates>>();

/** Makes what is missing (the whole set when the CA is new), checks permissions, and reads them. */
export function labCertificates(dataDir: string, openssl = 'openssl'): Promise<LabCertificates> {
  const dir = join(dataDir, 'tls');
  let p = pending.get(dir);
  if (!p) {
    p = ensure(dir, openssl).finally(() => pending.delete(dir));
    pending.set(dir, p);
  }
  return p;
}

function files(dir: string, name: string): { keyPath: string; certPath: string } {
  return { keyPath: join(dir, `${name}.key`), certPath: join(dir, `${name}.pem`) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function ensure(dir: string, openssl: string): Promise<LabCertificates> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const all = ['ca', ...NAMES].flatMap((n) => Object.values(files(dir, n)));
    const present = await Promise.all(all.map(exists));
    if (present.some((p) => !p)) await makeAll(dir, openssl);
    const read = async (name: string): Promise<CertificateFiles> => {
      const f = files(dir, name);
      await chmod(f.keyPath, 0o600);
      return { ...f, key: await readFile(f.keyPath, 'utf8'), cert: await readFile(f.certPath, 'utf8') };
    };
    const certs = {} as Record<CertificateName, CertificateFiles>;
    for (const name of NAMES) certs[name] = await read(name);
    const keyLogPath = join(dir, 'keylog.txt');
    if (!(await exists(keyLogPath))) await writeFile(keyLogPath, '', { mode: 0o600 });
    await chmod(keyLogPath, 0o600);
    return { dir, ca: await read('ca'), certs, keyLogPath };
  } catch (err) {
    if (err instanceof LabError) throw err;
    throw new LabError('E_TLS_CERT_STORE', `${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Makes a fresh CA and every certificate in a scratch folder, then moves them in (no half-made set is left). */
async function makeAll(dir: string, openssl: string): Promise<void> {
  const work = await mkdtemp(join(dir, '.make-'));
  try {
    const ossl = (args: string[]) => run(openssl, args, { cwd: work, timeout: 30_000 });
    const newKey = (path: string) =>
      ossl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
    const ca = files(work, 'ca');
    await newKey(ca.keyPath);
    await ossl([
      'req', '-x509', '-new', '-key', ca.keyPath, '-out', ca.certPath, '-days', '3650', '-sha256',
      '-subj', '/O=GoNet Lab/CN=GoNet Lab local CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]); // prettier-ignore
    for (const name of NAMES) {
      const recipe = RECIPES[name];
      const f = files(work, name);
      await newKey(f.keyPath);
      const ext = join(work, `${name}.ext`);
      await writeFile(
        ext,
        `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${recipe.subjectAltName}\n`,
      );
      if (recipe.signer === 'self') {
        await ossl([
          'req', '-x509', '-new', '-key', f.keyPath, '-out', f.certPath, '-days', '825', '-sha256',
          '-subj', `/O=Nobody you trust${recipe.subject}`, '-addext', `subjectAltName=${recipe.subjectAltName}`,
          '-addext', 'extendedKeyUsage=serverAuth',
        ]); // prettier-ignore
        continue;
      }
      const csr = join(work, `${name}.csr`);
      await ossl(['req', '-new', '-key', f.keyPath, '-out', csr, '-subj', `/O=GoNet Lab${recipe.subject}`]);
      if (recipe.signer === 'ca') {
        await ossl([
          'x509', '-req', '-in', csr, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-CAcreateserial',
          '-out', f.certPath, '-days', '825', '-sha256', '-extfile', ext,
        ]); // prettier-ignore
      } else {
        // OpenSSL 3.0's x509 cannot backdate; its `ca` command can, given a small database of its own.
        const config = join(work, 'ca.cnf');
        await writeFile(join(work, 'index.txt'), '');
        await writeFile(join(work, 'serial'), '1000\n');
        await writeFile(
          config,
          [
            '[ca]',
            'default_ca = lab',
            '[lab]',
            `database = ${join(work, 'index.txt')}`,
            `new_certs_dir = ${work}`,
            `serial = ${join(work, 'serial')}`,
            'default_md = sha256',
            'policy = any',
            'unique_subject = no',
            '[any]',
            'commonName = supplied',
            '',
          ].join('\n'),
        );
        await ossl([
          'ca', '-batch', '-notext', '-config', config, '-in', csr, '-out', f.certPath, '-cert', ca.certPath,
          '-keyfile', ca.keyPath, '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', ext,
        ]); // prettier-ignore
      }
    }
    for (const name of ['ca', ...NAMES]) {
      const from = files(work, name);
      const to = files(dir, name);
      await chmod(from.keyPath, 0o600);
      await chmod(from.certPath, 0o644);
      await rename(from.keyPath, to.keyPath);
      await rename(from.certPath, to.certPath);
    }
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr;
    throw new LabError(
      'E_TLS_CERT_STORE',
      `openssl failed: ${stderr?.trim().split('\n').slice(-2).join(' ') || (err instanceof Error ? err.message : err)}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
