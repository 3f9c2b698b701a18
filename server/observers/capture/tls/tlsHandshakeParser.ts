// Reassembles TLS handshake messages from handshake record fragments (a message may span records, a record may hold
// several) and reads the two hellos: ClientHello (SNI, ALPN, versions, suites, key shares) and ServerHello (chosen
// version and suite; HelloRetryRequest recognised by its fixed random); pure.
import {
  EXTENSION,
  HANDSHAKE_TYPE,
  cipherSuiteName,
  extensionName,
  groupName,
  handshakeTypeName,
  isGrease,
  versionName,
} from './tlsNames.js';

/** A handshake message body cannot be longer than 2^24 - 1; the lab holds at most this much while reassembling. */
export const MAX_HANDSHAKE_MESSAGE = 256 * 1024;

export interface HandshakeMessage {
  type: number;
  typeName: string;
  /** The body (after the 4-byte type + length header). */
  body: Uint8Array;
  /** Header and body, as the transcript hash sees them. */
  raw: Uint8Array;
}

export interface ClientHelloInfo {
  /** Hex of the 32-byte random: the key log names a session by it. */
  random: string;
  legacyVersion: string;
  sessionIdLength: number;
  cipherSuites: string[];
  /** server_name (SNI), null when absent. */
  serverName: string | null;
  alpn: string[];
  /** supported_versions, GREASE left out; empty when the extension is absent (a TLS 1.2-only client). */
  supportedVersions: string[];
  supportedGroups: string[];
  /** Groups the client sent a key share for (TLS 1.3). */
  keyShareGroups: string[];
  extensions: string[];
}

export interface ServerHelloInfo {
  random: string;
  helloRetryRequest: boolean;
  /** The version chosen: supported_versions when present (TLS 1.3), else the legacy field. */
  version: string;
  cipherSuite: string;
  cipherSuiteId: number;
  /** The group of the server's key share (TLS 1.3), or the group a HelloRetryRequest asks for. */
  keyShareGroup: string | null;
  /** The ALPN protocol chosen (TLS 1.2 puts it here; TLS 1.3 in EncryptedExtensions, encrypted). */
  alpn: string | null;
  extensions: string[];
}

export class TlsMalformedError extends Error {
  readonly code = 'E_TLS_MALFORMED' as const;
}

/** SHA-256("HelloRetryRequest"): RFC 8446 §4.1.3, a ServerHello with this random is a HelloRetryRequest. */
export const HELLO_RETRY_REQUEST_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** Joins handshake fragments into whole messages. */
export class HandshakeAssembler {
  private pending: Uint8Array = new Uint8Array(0);

  /** Bytes of an unfinished message held over to the next record. */
  get buffered(): number {
    return this.pending.length;
  }

  push(fragment: Uint8Array): HandshakeMessage[] {
    const data = this.pending.length === 0 ? fragment : concat(this.pending, fragment);
    const out: HandshakeMessage[] = [];
    let at = 0;
    while (data.length - at >= 4) {
      const length = (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
      if (length > MAX_HANDSHAKE_MESSAGE) throw new TlsMalformedError(`handshake message of ${length} bytes`);
      if (data.length - at < 4 + length) break;
      const raw = data.slice(at, at + 4 + length);
      const type = raw[0]!;
      out.push({ type, typeName: handshakeTypeName(type), body: raw.subarray(4), raw });
      at += 4 + length;
    }
    this.pending = data.slice(at);
    return out;
  }
}

/** Reads big-endian fields with bounds checks; every overrun is a TlsMalformedError. */
class Cursor {
  constructor(
    private readonly b: Uint8Array,
    public at = 0,
    private readonly end = b.length,
  ) {}
  get left(): number {
    return this.end - this.at;
  }
  need(n: number): void {
    if (this.at + n > this.end) throw new TlsMalformedError(`needs ${n} bytes at ${this.at}, has ${this.left}`);
  }
  u8(): number {
    this.need(1);
    return this.b[this.at++]!;
  }
  u16(): number {
    this.need(2);
    const v = (this.b[this.at]! << 8) | this.b[this.at + 1]!;
    this.at += 2;
    return v;
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  /** A vector with a 1- or 2-byte length prefix, as its own cursor. */
  vector(prefix: 1 | 2): Cursor {
    const n = prefix === 1 ? this.u8() : this.u16();
    this.need(n);
    const c = new Cursor(this.b, this.at, this.at + n);
    this.at += n;
    return c;
  }
}

interface Extension {
  type: number;
  data: Cursor;
}

function readExtensions(c: Cursor): Extension[] {
  if (c.left === 0) return []; // extensions are optional before TLS 1.3
  const list = c.vector(2);
  const out: Extension[] = [];
  while (list.left > 0) out.push({ type: list.u16(), data: list.vector(2) });
  return out;
}

function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

export function parseClientHello(body: Uint8Array): ClientHelloInfo {
  const c = new Cursor(body);
  const legacyVersion = versionName(c.u16());
  const random = hexOf(c.bytes(32));
  const sessionIdLength = c.vector(1).left;
  const suites = c.vector(2);
  const cipherSuites: string[] = [];
  while (suites.left > 0) {
    const id = suites.u16();
    if (!isGrease(id)) cipherSuites.push(cipherSuiteName(id));
  }
  c.vector(1); // compression methods
  const info: ClientHelloInfo = {
    random,
    legacyVersion,
    sessionIdLength,
    cipherSuites,
    serverName: null,
    alpn: [],
    supportedVersions: [],
    supportedGroups: [],
    keyShareGroups: [],
    extensions: [],
  };
  for (const ext of readExtensions(c)) {
    if (!isGrease(ext.type)) info.extensions.push(extensionName(ext.type));
    const d = ext.data;
    switch (ext.type) {
      case EXTENSION.SERVER_NAME: {
        const list = d.vector(2);
        while (list.left > 0) {
          const nameType = list.u8();
          const name = list.vector(2);
          if (nameType === 0) info.serverName = ascii(name.bytes(name.left));
        }
        break;
      }
      case EXTENSION.ALPN: {
        const list = d.vector(2);
        while (list.left > 0) {
          const p = list.vector(1);
          info.alpn.push(ascii(p.bytes(p.left)));
        }
        break;
      }
      case EXTENSION.SUPPORTED_VERSIONS: {
        const list = d.vector(1);
        while (list.left > 0) {
          const v = list.u16();
          if (!isGrease(v)) info.supportedVersions.push(versionName(v));
        }
        break;
      }
      case EXTENSION.SUPPORTED_GROUPS: {
        const list = d.vector(2);
        while (list.left > 0) {
          const g = list.u16();
          if (!isGrease(g)) info.supportedGroups.push(groupName(g));
        }
        break;
      }
      case EXTENSION.KEY_SHARE: {
        const list = d.vector(2);
        while (list.left > 0) {
          const g = list.u16();
          list.vector(2); // the public key itself
          if (!isGrease(g)) info.keyShareGroups.push(groupName(g));
        }
        break;
      }
    }
  }
  return info;
}

export function parseServerHello(body: Uint8Array): ServerHelloInfo {
  const c = new Cursor(body);
  const legacy = c.u16();
  const random = hexOf(c.bytes(32));
  c.vector(1); // legacy_session_id_echo
  const suite = c.u16();
  c.u8(); // compression method
  const helloRetryRequest = random === HELLO_RETRY_REQUEST_RANDOM;
  const info: ServerHelloInfo = {
    random,
    helloRetryRequest,
    version: versionName(legacy),
    cipherSuite: cipherSuiteName(suite),
    cipherSuiteId: suite,
    keyShareGroup: null,
    alpn: null,
    extensions: [],
  };
  for (const ext of readExtensions(c)) {
    info.extensions.push(extensionName(ext.type));
    const d = ext.data;
    if (ext.type === EXTENSION.SUPPORTED_VERSIONS) info.version = versionName(d.u16());
    // A ServerHello's key_share holds one entry; a HelloRetryRequest's holds only the group it wants.
    else if (ext.type === EXTENSION.KEY_SHARE) info.keyShareGroup = groupName(d.u16());
    else if (ext.type === EXTENSION.ALPN) {
      const list = d.vector(2);
      const p = list.vector(1);
      info.alpn = ascii(p.bytes(p.left));
    }
  }
  return info;
}

export { HANDSHAKE_TYPE };

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
