// HTTP demo events (lessons 23–25): the raw bytes each connection carried as the socket saw them, what llhttp made of
// them (requests, responses, parse errors), and the middleware's spans. All observed. Shared by server and web.
import type { LocalizedText } from '../errors.js';

/** The middleware layers of the lab's HTTP server, outermost first (lesson 25's onion). */
export const MIDDLEWARE_LAYERS = ['logging', 'recovery', 'request-id', 'auth', 'timeout', 'handler'] as const;
export type MiddlewareLayer = (typeof MIDDLEWARE_LAYERS)[number];

/** How a message's body was delimited, as llhttp read it (requests) or as the server framed it (responses). */
export type HttpBodyFraming = 'content-length' | 'chunked' | 'none' | 'until-close';

export type HttpEvent =
  | {
      /** A TCP connection to the HTTP server opened or closed. */
      kind: 'http.conn';
      source: 'observed';
      conn: string;
      phase: 'open' | 'close';
      /** The client's end, as the capture names it ("127.0.0.1:41056"), to align with captured segments. */
      client: string;
      server: string;
      /** On close: requests the connection carried (traced or only counted). */
      requests?: number;
      at: number;
    }
  | {
      /**
       * Bytes exactly as one read from (in) or write to (out) the socket carried them: never re-serialised.
       * @example { kind: 'http.bytes', conn: 'h3', dir: 'in', offset: 0, len: 37, b64: 'R0VUIC8g…', clipped: false }
       */
      kind: 'http.bytes';
      source: 'observed';
      conn: string;
      dir: 'in' | 'out';
      /** Where these bytes start in the connection's stream in that direction. */
      offset: number;
      len: number;
      /** The bytes, base64; only the first ones when `clipped` (the lab keeps at most a few KiB per connection). */
      b64: string;
      clipped: boolean;
      at: number;
    }
  | {
      /** llhttp parsed a request's head. */
      kind: 'http.request';
      source: 'observed';
      conn: string;
      /** 1, 2, 3… per connection. */
      index: number;
      /** The request id the middleware gives it (X-Request-Id). */
      id: string;
      method: string;
      url: string;
      httpVersion: string;
      framing: HttpBodyFraming;
      at: number;
    }
  | {
      /** The response was handed to the socket in full. */
      kind: 'http.response';
      source: 'observed';
      conn: string;
      index: number;
      id: string;
      status: number;
      framing: HttpBodyFraming;
      /** Whether the server keeps the connection open after it. */
      keepAlive: boolean;
      at: number;
    }
  | {
      /** llhttp refused the bytes (or the client was too slow): the status Node's server answers, and why. */
      kind: 'http.rejected';
      source: 'observed';
      conn: string;
      /** Node's code for it, e.g. HPE_INVALID_METHOD, HPE_HEADER_OVERFLOW, ERR_HTTP_REQUEST_TIMEOUT. */
      parserCode: string;
      /** The parser's own words, e.g. "Duplicate Content-Length". */
      reason: string;
      /** 400, 408, 431; null when the connection is closed without an answer. */
      status: number | null;
      why: LocalizedText;
      /** Bytes of the request stream read when it was refused. */
      offset: number;
      at: number;
    }
  | {
      /**
       * One middleware layer's part in one request, when the layer returned.
       * @example { kind: 'http.span', id: 'r7', layer: 'auth', depth: 3, start: …, end: …, status: 401, stopped: true }
       */
      kind: 'http.span';
      source: 'observed';
      id: string;
      conn: string;
      method: string;
      path: string;
      layer: MiddlewareLayer;
      /** 0 = outermost. */
      depth: number;
      start: number;
      end: number;
      /** The status the response had when this layer returned (0: none written yet). */
      status: number;
      /** True for the layer that answered instead of calling the next one (401, 503, 500, 413…). */
      stopped: boolean;
      note?: string;
    };
