// Commands the browser sends to the TLS demo (lesson 27): a session with the lab's TLS echo server (TLS 1.2 or 1.3,
// optionally forcing a HelloRetryRequest), the lesson's Go client against a bad certificate, and garbage on the
// TLS port; and their replies. The records themselves arrive as tls.* events decoded from the capture.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';
import type { WireError } from '../errors.js';

export const TLS_DEMO = 'tls';

export const TLS_VERSIONS = ['1.2', '1.3'] as const;
export const BAD_CERTIFICATE_KINDS = ['wrong-name', 'unknown-ca', 'expired'] as const;
export type BadCertificateKind = (typeof BAD_CERTIFICATE_KINDS)[number];

const WireErrorSchema = z.custom<WireError>((v) => typeof v === 'object' && v !== null && 'code' in v);

export const TlsSessionArgs = z.object({
  version: z.enum(TLS_VERSIONS).default('1.3'),
  /** The line the client sends; the server echoes it back (encrypted both ways). */
  message: z.string().min(1).max(200).default('hello over TLS'),
  /** TLS 1.3: the client offers a key share the server does not take, so the server answers HelloRetryRequest. */
  helloRetry: z.boolean().default(false),
});

export const TlsSessionResult = z.object({
  run: z.literal('session'),
  /** The client's end, `ip:port`: its records in the capture are this connection's. */
  client: z.string(),
  /** What the client's TLS library reports: the negotiated version and suite. */
  version: z.string(),
  cipherSuite: z.string(),
  echoed: z.string(),
  /** The NSS key log file (load it into Wireshark: Preferences → Protocols → TLS → (Pre)-Master-Secret log). */
  keyLogFile: z.string(),
  /** Whether the capture is on (when off, no record can be shown: the lab says so). */
  captured: z.boolean(),
});
export type TlsSessionResult = z.infer<typeof TlsSessionResult>;

export const TlsBadCertArgs = z.object({ kind: z.enum(BAD_CERTIFICATE_KINDS) });

export const TlsBadCertResult = z.object({
  run: z.literal('badCert'),
  kind: z.enum(BAD_CERTIFICATE_KINDS),
  /** Who dialled: the lesson's Go program (`go`), or Node's TLS client when Go is not here (`node`, labelled). */
  dialer: z.enum(['go', 'node']),
  /** The error exactly as the dialer reported it (Go's `tls.Dial` error text). */
  error: z.string(),
  /** The client's end, `ip:port`, when known (find its alert in the records). */
  client: z.string().nullable(),
  /** The server the client dialled, `ip:port`. */
  server: z.string(),
  /** Why Go was not used, when it was not. */
  note: WireErrorSchema.optional(),
});
export type TlsBadCertResult = z.infer<typeof TlsBadCertResult>;

/**
 * A handshake record whose ClientHello says it is 1 byte long and holds 0x00: the record layer is fine, the message
 * is not, so the server answers with an alert (decode_error) before closing.
 */
export const BROKEN_HELLO_HEX = '16030100050100000100';

export const TlsGarbageArgs = z.object({
  /** Text sent as it is (UTF-8) to the TLS port: not TLS, so the server refuses it. */
  text: z.string().min(1).max(512).default('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'),
  /** Bytes to send instead of the text, as hex (e.g. BROKEN_HELLO_HEX). */
  hex: z
    .string()
    .regex(/^([0-9a-fA-F]{2}){1,512}$/)
    .optional(),
});

export const TlsGarbageResult = z.object({
  run: z.literal('garbage'),
  client: z.string(),
  sent: z.number().int(),
  /** What the server sent back before closing, hex (an alert record, or nothing). */
  replyHex: z.string(),
  /** The reply read as a TLS alert, when it is one. */
  alert: z.object({ level: z.string(), description: z.string() }).nullable(),
  /** True when the server closed the connection. */
  closed: z.boolean(),
});
export type TlsGarbageResult = z.infer<typeof TlsGarbageResult>;

export type TlsRunResult = TlsSessionResult | TlsBadCertResult | TlsGarbageResult;

export const TLS_COMMANDS = defineCommands({
  /** One TLS session with the echo server: handshake, one line each way, close. */
  session: { args: TlsSessionArgs, result: TlsSessionResult },
  /** Runs the lesson's Go client against a server with a bad certificate; reports Go's error. */
  badCert: { args: TlsBadCertArgs, result: TlsBadCertResult },
  /** Sends bytes that are not TLS to the TLS port and reports the server's answer. */
  garbage: { args: TlsGarbageArgs, result: TlsGarbageResult },
});
