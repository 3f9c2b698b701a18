// Commands the browser sends to the HTTP demo (lessons 23–25): requests from the page's request builder, malformed
// requests from a raw client, a slowloris client, and the demo's status.
import { z } from 'zod';
import { defineCommands } from '../commandMap.js';

export const HTTP_DEMO = 'http';

/** The token the lab's auth middleware accepts (lesson 25): `Authorization: Bearer <token>`. */
export const HTTP_LAB_TOKEN = 'lab-secret';

/** Request bodies the lab's handlers read at most (http.MaxBytesReader in the Go program): larger gets 413. */
export const HTTP_MAX_BODY_BYTES = 4096;

/** The timeout middleware's budget (http.TimeoutHandler): a handler still busy after it gets 503. */
export const HTTP_HANDLER_TIMEOUT_MS = 2000;

/** How long a client may take to send a request's head (Go's ReadHeaderTimeout, Node's headersTimeout). */
export const HTTP_HEADER_TIMEOUT_MS = 3000;

/** How several requests share connections: one after another on one, one connection each, or all written at once. */
export const HTTP_SEND_MODES = ['keep-alive', 'close', 'pipeline'] as const;
export type HttpSendMode = (typeof HTTP_SEND_MODES)[number];

/** Origin-form request target: starts with "/", no spaces. */
const requestPath = z.string().regex(/^\/[\x21-\x7e]{0,511}$/, 'a path starts with / and has no spaces');
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/, 'a header name is letters, digits and -');
// A value may not hold CR or LF: the builder makes well-formed requests (malformed ones are the raw presets).
const headerValue = z
  .string()
  .max(1024)
  .regex(/^[^\r\n]*$/, 'a header value is one line');

export const HttpSendArgs = z
  .object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    path: requestPath,
    headers: z
      .array(z.tuple([headerName, headerValue]))
      .max(16)
      .default([]),
    body: z
      .string()
      .max(16 * 1024)
      .default(''),
    /** The same request this many times. */
    count: z.number().int().min(1).max(5).default(1),
    mode: z.enum(HTTP_SEND_MODES).default('keep-alive'),
    /** More requests after those, same method, other paths (e.g. a slow one first, then quick ones). */
    then: z.array(requestPath).max(4).default([]),
  })
  .strict();
export type HttpSendArgs = z.infer<typeof HttpSendArgs>;

export const HttpExchangeResult = z.object({
  /** The server's ids of the connections used, in order. */
  conns: z.array(z.string()),
  /** Status line of each response the client read, in order ("HTTP/1.1 200 OK"). */
  statusLines: z.array(z.string()),
  bytesSent: z.number().int(),
  bytesReceived: z.number().int(),
});
export type HttpExchangeResult = z.infer<typeof HttpExchangeResult>;

/** Requests a real server must refuse, sent byte for byte by a raw client. */
export const HTTP_RAW_PRESETS = [
  'bad-start-line',
  'header-too-large',
  'cl-and-te',
  'duplicate-content-length',
  'obfuscated-transfer-encoding',
  'huge-body',
  'slowloris',
] as const;
export type HttpRawPreset = (typeof HTTP_RAW_PRESETS)[number];

export const HttpRawArgs = z.object({ preset: z.enum(HTTP_RAW_PRESETS) }).strict();

export const HttpStatusResult = z.object({
  port: z.number().int(),
  openConnections: z.number().int(),
  requests: z.number().int(),
  items: z.number().int(),
});

export const HTTP_COMMANDS = defineCommands({
  send: { args: HttpSendArgs, result: HttpExchangeResult },
  raw: { args: HttpRawArgs, result: HttpExchangeResult },
  status: { args: z.object({}).strict(), result: HttpStatusResult },
});
