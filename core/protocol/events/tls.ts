// TLS demo events: each TLS record decoded from the capture (with the hellos' fields, alerts, and — with the
// session's keys — the decrypted content beside the ciphertext), round trips counted, and the runs' outcomes.
import type { TlsRunResult } from '../demos/tls.js';
import type { WireError } from '../errors.js';

export interface TlsClientHelloFields {
  /** Hex of the 32-byte random (the key log names the session by it). */
  random: string;
  legacyVersion: string;
  sessionIdLength: number;
  cipherSuites: string[];
  serverName: string | null;
  alpn: string[];
  supportedVersions: string[];
  supportedGroups: string[];
  keyShareGroups: string[];
  extensions: string[];
}

export interface TlsServerHelloFields {
  random: string;
  helloRetryRequest: boolean;
  version: string;
  cipherSuite: string;
  cipherSuiteId: number;
  keyShareGroup: string | null;
  alpn: string | null;
  extensions: string[];
}

export interface TlsAlertFields {
  level: 'warning' | 'fatal' | 'unknown';
  description: string;
}

/** What the lab read inside an encrypted record with the session's keys. */
export interface TlsDecryptedFields {
  /** The real content type (TLS 1.3 hides it inside the encryption). */
  innerType: string;
  /**
   * Which secret opened it. TLS 1.3: the handshake keys, or the application keys (generation counts KeyUpdates);
   * TLS 1.2: the keys made from the master secret, for everything after change_cipher_spec.
   */
  keys: 'handshake' | 'application' | 'master';
  generation: number;
  /** The record sequence number used in the nonce. */
  sequence: number;
  /** Handshake messages that ended in this record (EncryptedExtensions, Certificate, Finished, ...). */
  messages: string[];
  alert: TlsAlertFields | null;
  /** The first bytes of the content, hex (at most 256). */
  plaintextHex: string;
  /** The content as text when it is printable UTF-8, else null. */
  text: string | null;
  contentLength: number;
}

export interface TlsRecordFields {
  connection: number;
  client: string;
  server: string;
  from: 'client' | 'server';
  /** 0, 1, 2... per direction. */
  index: number;
  streamOffset: number;
  contentType: string;
  version: string;
  length: number;
  encrypted: boolean;
  /** Plaintext handshake messages that ended in this record (client_hello, server_hello, ...). */
  messages: string[];
  clientHello: TlsClientHelloFields | null;
  serverHello: TlsServerHelloFields | null;
  alert: TlsAlertFields | null;
  /** The first bytes of an encrypted fragment, hex (at most 64). */
  ciphertextHex: string | null;
  decrypted: TlsDecryptedFields | null;
  /** Why an encrypted record was not opened: no keys, a TLS 1.2 CBC suite or a TLS 1.3 suite the lab cannot open, a bad tag. */
  notDecrypted: 'no-keys' | 'tls12' | 'suite' | 'failed' | null;
  /** A handshake message in this record could not be read (E_TLS_MALFORMED). */
  error: WireError | null;
  /** Capture time, ms since the epoch. */
  at: number;
}

export type TlsEvent =
  | { kind: 'tls.record'; source: 'captured'; record: TlsRecordFields }
  | {
      /** A direction of a connection stopped being readable as TLS (garbage, or a length over 2^14 + 256). */
      kind: 'tls.streamError';
      source: 'captured';
      connection: number;
      client: string;
      server: string;
      from: 'client' | 'server';
      error: WireError;
      streamOffset: number;
      /** The first bytes that could not be read, hex, and as text where printable. */
      bytesHex: string;
      text: string | null;
    }
  | {
      /** Round trips the TLS handshake took before the client could send data, counted from the capture. */
      kind: 'tls.roundTrips';
      source: 'captured';
      connection: number;
      client: string;
      server: string;
      version: string;
      roundTrips: number;
      helloRetry: boolean;
    }
  | { kind: 'tls.runEnd'; source: 'observed'; result: TlsRunResult };
