// Reads the TLS in captured TCP payloads, per connection and direction: records, the hellos, alerts, which records
// are encrypted, TLS 1.3 records opened with the session's keys (looked up by the ClientHello random), and the
// handshake's round trips counted from who sent what when; pure (the keys come through a lookup function).
import { wireError } from '../../../../core/protocol/errors.js';
import type {
  TlsAlertFields,
  TlsDecryptedFields,
  TlsEvent,
  TlsRecordFields,
} from '../../../../core/protocol/events/tls.js';
import type { KeyLogLabel } from './keyLog.js';
import { openRecord12, tls12Keys, tls12Suite } from './tls12RecordCipher.js';
import {
  nextTrafficSecret,
  openRecord,
  tls13Suite,
  trafficKeys,
  type Tls13Suite,
  type TrafficKeys,
} from './tls13RecordCipher.js';
import {
  HANDSHAKE_TYPE,
  HandshakeAssembler,
  TlsMalformedError,
  parseClientHello,
  parseServerHello,
  type ClientHelloInfo,
  type HandshakeMessage,
  type ServerHelloInfo,
} from './tlsHandshakeParser.js';
import { CONTENT_TYPE, alertDescriptionName, alertLevelName, contentTypeName, versionName } from './tlsNames.js';
import { TlsRecordReader, type TlsRecord } from './tlsRecordReader.js';

export type SecretLookup = (clientRandom: string, label: KeyLogLabel) => Uint8Array | null;

export interface TlsSegment {
  connection: number;
  client: string;
  server: string;
  from: 'client' | 'server';
  payload: Uint8Array;
  /** Capture time, ms since the epoch. */
  at: number;
}

const CIPHERTEXT_SHOWN = 64;
const PLAINTEXT_SHOWN = 256;
/** Connections remembered at once (oldest forgotten first): the decoder stays bounded in a long-running lab. */
const MAX_CONNECTIONS = 512;

interface DirectionCipher {
  suite: Tls13Suite;
  /** Null when the key log lacks the secret this phase needs (the records are then shown as not decrypted). */
  keys: TrafficKeys | null;
  secret: Uint8Array;
  phase: 'handshake' | 'application';
  generation: number;
  sequence: bigint;
}

interface Direction {
  reader: TlsRecordReader;
  plainHandshake: HandshakeAssembler;
  innerHandshake: HandshakeAssembler;
  records: number;
  /** TLS 1.2: a change_cipher_spec was sent, so what follows in this direction is encrypted. */
  changedCipher: boolean;
  cipher: DirectionCipher | null;
  /**
   * Encrypted records waiting for a secret the key log has not delivered yet (the server logs some secrets only when
   * it starts using them, which can be after the capture handed the record over); opened in order once it comes.
   */
  held: Array<{ record: TlsRecord; fields: TlsRecordFields }>;
  /** TLS 1.2: this direction's key and implicit iv from the key block, and its record sequence number. */
  tls12: { keys: { key: Buffer; iv: Buffer }; sequence: bigint } | null;
  failed: boolean;
}

/** Records held per direction while their keys are awaited. */
const MAX_HELD = 64;

interface Connection {
  id: number;
  client: string;
  server: string;
  dirs: Record<'client' | 'server', Direction>;
  clientRandom: string | null;
  clientHello: ClientHelloInfo | null;
  serverHello: ServerHelloInfo | null;
  helloRetry: boolean;
  lastSender: 'client' | 'server' | null;
  clientFlights: number;
  roundTripsSent: boolean;
}

function newDirection(): Direction {
  return {
    reader: new TlsRecordReader(),
    plainHandshake: new HandshakeAssembler(),
    innerHandshake: new HandshakeAssembler(),
    records: 0,
    changedCipher: false,
    cipher: null,
    held: [],
    tls12: null,
    failed: false,
  };
}

export class TlsFlowDecoder {
  private readonly connections = new Map<number, Connection>();

  constructor(private readonly secrets: SecretLookup = () => null) {}

  /** How many connections it is following. */
  get size(): number {
    return this.connections.size;
  }

  forget(connection: number): void {
    this.connections.delete(connection);
  }

  push(segment: TlsSegment): TlsEvent[] {
    if (segment.payload.length === 0) return [];
    const conn = this.connection(segment);
    const dir = conn.dirs[segment.from];
    if (dir.failed) return [];
    const out: TlsEvent[] = [];
    for (const item of dir.reader.push(segment.payload)) {
      if (item.kind === 'error') {
        dir.failed = true;
        out.push({
          kind: 'tls.streamError',
          source: 'captured',
          connection: conn.id,
          client: conn.client,
          server: conn.server,
          from: segment.from,
          error: wireError(item.error.code, item.error.detail),
          streamOffset: item.error.streamOffset,
          bytesHex: Buffer.from(item.error.bytes).toString('hex'),
          text: printable(item.error.bytes),
        });
        continue;
      }
      this.countFlight(conn, segment.from, item.record, out);
      out.push({
        kind: 'tls.record',
        source: 'captured',
        record: this.record(conn, segment.from, item.record, segment.at),
      });
    }
    return out;
  }

  private connection(s: TlsSegment): Connection {
    let conn = this.connections.get(s.connection);
    if (!conn) {
      if (this.connections.size >= MAX_CONNECTIONS) this.connections.delete(this.connections.keys().next().value!);
      conn = {
        id: s.connection,
        client: s.client,
        server: s.server,
        dirs: { client: newDirection(), server: newDirection() },
        clientRandom: null,
        clientHello: null,
        serverHello: null,
        helloRetry: false,
        lastSender: null,
        clientFlights: 0,
        roundTripsSent: false,
      };
      this.connections.set(s.connection, conn);
    }
    return conn;
  }

  /**
   * A flight is a run of records from one side. The client can send data in its n-th flight after n - 1 round
   * trips: TLS 1.3 in its 2nd (1 RTT: its Finished and data go together), TLS 1.2 in its 3rd (2 RTT).
   */
  private countFlight(conn: Connection, from: 'client' | 'server', record: TlsRecord, out: TlsEvent[]): void {
    if (from === 'client' && conn.lastSender !== 'client') conn.clientFlights++;
    conn.lastSender = from;
    if (conn.roundTripsSent || from !== 'client' || record.type !== CONTENT_TYPE.APPLICATION_DATA) return;
    conn.roundTripsSent = true;
    out.push({
      kind: 'tls.roundTrips',
      source: 'captured',
      connection: conn.id,
      client: conn.client,
      server: conn.server,
      version: conn.serverHello?.version ?? 'unknown',
      roundTrips: conn.clientFlights - 1,
      helloRetry: conn.helloRetry,
    });
  }

  private record(conn: Connection, from: 'client' | 'server', record: TlsRecord, at: number): TlsRecordFields {
    const dir = conn.dirs[from];
    const fields: TlsRecordFields = {
      connection: conn.id,
      client: conn.client,
      server: conn.server,
      from,
      index: dir.records++,
      streamOffset: record.streamOffset,
      contentType: contentTypeName(record.type) ?? `unknown(${record.type})`,
      version: versionName(record.version),
      length: record.length,
      encrypted: false,
      messages: [],
      clientHello: null,
      serverHello: null,
      alert: null,
      ciphertextHex: null,
      decrypted: null,
      notDecrypted: null,
      error: null,
      at,
    };
    const encrypted =
      record.type === CONTENT_TYPE.APPLICATION_DATA ||
      (dir.changedCipher && (record.type === CONTENT_TYPE.HANDSHAKE || record.type === CONTENT_TYPE.ALERT));
    if (encrypted) {
      fields.encrypted = true;
      fields.ciphertextHex = Buffer.from(record.fragment.subarray(0, CIPHERTEXT_SHOWN)).toString('hex');
      this.decrypt(conn, from, record, fields);
      return fields;
    }
    if (record.type === CONTENT_TYPE.CHANGE_CIPHER_SPEC) {
      // TLS 1.3 sends one only for middleboxes' sake; in TLS 1.2 it switches this direction to encryption.
      if (conn.serverHello && !this.isTls13(conn) && !conn.helloRetry) dir.changedCipher = true;
    } else if (record.type === CONTENT_TYPE.ALERT) {
      fields.alert = readAlert(record.fragment);
    } else if (record.type === CONTENT_TYPE.HANDSHAKE) {
      try {
        for (const m of dir.plainHandshake.push(record.fragment)) this.plainMessage(conn, m, fields);
      } catch (err) {
        if (!(err instanceof TlsMalformedError)) throw err;
        fields.error = wireError('E_TLS_MALFORMED', err.message);
        dir.plainHandshake = new HandshakeAssembler();
      }
    }
    return fields;
  }

  private plainMessage(conn: Connection, m: HandshakeMessage, fields: TlsRecordFields): void {
    fields.messages.push(m.typeName);
    if (m.type === HANDSHAKE_TYPE.CLIENT_HELLO) {
      const hello = parseClientHello(m.body);
      conn.clientHello = hello;
      conn.clientRandom = hello.random;
      fields.clientHello = hello;
    } else if (m.type === HANDSHAKE_TYPE.SERVER_HELLO) {
      const hello = parseServerHello(m.body);
      if (hello.helloRetryRequest) conn.helloRetry = true;
      else conn.serverHello = hello;
      fields.serverHello = hello;
      if (hello.helloRetryRequest) fields.messages[fields.messages.length - 1] = 'hello_retry_request';
    }
  }

  private isTls13(conn: Connection): boolean {
    return conn.serverHello?.version === 'TLS 1.3';
  }

  /** The key log has new secrets for the session with this ClientHello random: opens the records held for them. */
  keysArrived(clientRandom: string): TlsEvent[] {
    const out: TlsEvent[] = [];
    for (const conn of this.connections.values()) {
      if (conn.clientRandom !== clientRandom) continue;
      for (const from of ['client', 'server'] as const) {
        const dir = conn.dirs[from];
        while (dir.held.length > 0) {
          const { record, fields } = dir.held[0]!;
          const retry: TlsRecordFields = { ...fields, notDecrypted: null };
          if (!this.open(conn, from, record, retry)) break;
          dir.held.shift();
          out.push({ kind: 'tls.record', source: 'captured', record: retry });
        }
      }
    }
    return out;
  }

  private decrypt(conn: Connection, from: 'client' | 'server', record: TlsRecord, fields: TlsRecordFields): void {
    if (!conn.serverHello) {
      fields.notDecrypted = 'no-keys';
      return;
    }
    const known = this.isTls13(conn)
      ? tls13Suite(conn.serverHello.cipherSuiteId)
      : tls12Suite(conn.serverHello.cipherSuiteId);
    if (!known) {
      fields.notDecrypted = this.isTls13(conn) ? 'suite' : 'tls12';
      return;
    }
    const dir = conn.dirs[from];
    // Records are opened in order (the sequence number is each one's place): once one waits, the rest wait behind it.
    if (dir.held.length > 0 || !this.open(conn, from, record, fields)) {
      fields.notDecrypted = 'no-keys';
      if (dir.held.length < MAX_HELD) {
        const copy = { ...record, header: record.header.slice(), fragment: record.fragment.slice() };
        dir.held.push({ record: copy, fields: { ...fields } });
      }
    }
  }

  private open(conn: Connection, from: 'client' | 'server', record: TlsRecord, fields: TlsRecordFields): boolean {
    return this.isTls13(conn) ? this.open13(conn, from, record, fields) : this.open12(conn, from, record, fields);
  }

  /** Opens one TLS 1.2 AEAD record with the key block of the session's master secret; false while it is unknown. */
  private open12(conn: Connection, from: 'client' | 'server', record: TlsRecord, fields: TlsRecordFields): boolean {
    const dir = conn.dirs[from];
    const suite = tls12Suite(conn.serverHello!.cipherSuiteId)!;
    if (!dir.tls12) {
      const master = conn.clientRandom ? this.secrets(conn.clientRandom, 'CLIENT_RANDOM') : null;
      if (!master) return false;
      const keys = tls12Keys(
        suite,
        master,
        Buffer.from(conn.clientRandom!, 'hex'),
        Buffer.from(conn.serverHello!.random, 'hex'),
      );
      dir.tls12 = { keys: keys[from], sequence: 0n };
    }
    const state = dir.tls12;
    const plain = openRecord12(suite, state.keys, state.sequence, record.type, record.version, record.fragment);
    if (!plain) {
      fields.notDecrypted = 'failed';
      fields.error = wireError('E_TLS_DECRYPT_FAILED', `${from} record ${fields.index}, sequence ${state.sequence}`);
      return true;
    }
    const decrypted: TlsDecryptedFields = {
      innerType: contentTypeName(record.type) ?? `unknown(${record.type})`,
      keys: 'master',
      generation: 0,
      sequence: Number(state.sequence),
      messages: [],
      alert: record.type === CONTENT_TYPE.ALERT ? readAlert(plain) : null,
      plaintextHex: plain.subarray(0, PLAINTEXT_SHOWN).toString('hex'),
      text: printable(plain),
      contentLength: plain.length,
    };
    fields.decrypted = decrypted;
    state.sequence++;
    if (record.type === CONTENT_TYPE.HANDSHAKE) {
      try {
        for (const m of dir.innerHandshake.push(plain)) decrypted.messages.push(m.typeName);
      } catch (err) {
        if (!(err instanceof TlsMalformedError)) throw err;
        fields.error = wireError('E_TLS_MALFORMED', err.message);
      }
    }
    return true;
  }

  /** Opens one TLS 1.3 record into `fields`; false (nothing changed) when the secret it needs is not known yet. */
  private open13(conn: Connection, from: 'client' | 'server', record: TlsRecord, fields: TlsRecordFields): boolean {
    const dir = conn.dirs[from];
    const suite = tls13Suite(conn.serverHello!.cipherSuiteId)!;
    if (!dir.cipher) {
      const label = from === 'client' ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
      const secret = conn.clientRandom ? this.secrets(conn.clientRandom, label) : null;
      if (!secret) return false;
      dir.cipher = { suite, secret, keys: trafficKeys(suite, secret), phase: 'handshake', generation: 0, sequence: 0n };
    }
    const cipher = dir.cipher;
    if (!cipher.keys) {
      // After its Finished a side writes with its application traffic secret, from sequence 0.
      const secret = this.secrets(
        conn.clientRandom!,
        from === 'client' ? 'CLIENT_TRAFFIC_SECRET_0' : 'SERVER_TRAFFIC_SECRET_0',
      );
      if (!secret) return false;
      cipher.secret = secret;
      cipher.keys = trafficKeys(suite, secret);
    }
    const opened = openRecord(suite, cipher.keys, cipher.sequence, record.header, record.fragment);
    if (!opened) {
      fields.notDecrypted = 'failed';
      fields.error = wireError('E_TLS_DECRYPT_FAILED', `${from} record ${fields.index}, sequence ${cipher.sequence}`);
      return true;
    }
    const decrypted: TlsDecryptedFields = {
      innerType: contentTypeName(opened.innerType) ?? `unknown(${opened.innerType})`,
      keys: cipher.phase,
      generation: cipher.generation,
      sequence: Number(cipher.sequence),
      messages: [],
      alert: null,
      plaintextHex: opened.content.subarray(0, PLAINTEXT_SHOWN).toString('hex'),
      text: printable(opened.content),
      contentLength: opened.content.length,
    };
    fields.decrypted = decrypted;
    cipher.sequence++;
    if (opened.innerType === CONTENT_TYPE.ALERT) decrypted.alert = readAlert(opened.content);
    if (opened.innerType !== CONTENT_TYPE.HANDSHAKE) return true;
    let messages: HandshakeMessage[];
    try {
      messages = dir.innerHandshake.push(opened.content);
    } catch (err) {
      if (!(err instanceof TlsMalformedError)) throw err;
      fields.error = wireError('E_TLS_MALFORMED', err.message);
      return true;
    }
    for (const m of messages) {
      decrypted.messages.push(m.typeName);
      if (m.type === HANDSHAKE_TYPE.FINISHED && cipher.phase === 'handshake') {
        Object.assign(cipher, { keys: null, phase: 'application', sequence: 0n });
      } else if (m.type === HANDSHAKE_TYPE.KEY_UPDATE) {
        const secret = nextTrafficSecret(suite, cipher.secret);
        Object.assign(cipher, {
          secret,
          keys: trafficKeys(suite, secret),
          generation: cipher.generation + 1,
          sequence: 0n,
        });
      }
    }
    return true;
  }
}

function readAlert(b: Uint8Array): TlsAlertFields | null {
  if (b.length < 2) return null;
  return { level: alertLevelName(b[0]!), description: alertDescriptionName(b[1]!) };
}

/** The bytes as text when they are printable UTF-8 (tabs and newlines allowed), else null. */
export function printable(b: Uint8Array): string | null {
  if (b.length === 0) return '';
  const text = Buffer.from(b.buffer, b.byteOffset, Math.min(b.length, PLAINTEXT_SHOWN)).toString('utf8');
  // eslint-disable-next-line no-control-regex
  return /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]*$/.test(text) ? text : null;
}
