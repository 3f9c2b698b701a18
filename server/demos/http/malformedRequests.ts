// The raw client's malformed requests (lesson 23's bad input): each one byte for byte, and how it is sent. Pure.
import type { HttpRawPreset } from '../../../core/protocol/demos/http.js';

export interface RawRequest {
  /** Pieces written in order, with a pause before each one after the first. */
  pieces: Buffer[];
  pauseMs: number;
}

/** Bytes of a body sent after a huge Content-Length: enough to show the server answered without reading 1 GB. */
export const HUGE_BODY_SENT = 64 * 1024;

export function malformedRequest(preset: HttpRawPreset, host: string): RawRequest {
  const one = (text: string): RawRequest => ({ pieces: [Buffer.from(text, 'latin1')], pauseMs: 0 });
  switch (preset) {
    case 'bad-start-line':
      return one('HELLO there, server\r\n\r\n');
    case 'header-too-large':
      // Node reads at most 16 KiB of head (--max-http-header-size); 20 KiB of one header passes it.
      return one(`GET /hello HTTP/1.1\r\nHost: ${host}\r\nX-Padding: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    case 'cl-and-te':
      // The classic CL.TE smuggling request: a front end reading Content-Length forwards "0\r\n\r\nG" as one body;
      // a back end reading chunked sees an empty body and a request starting with "G".
      return one(
        `POST /items HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG`,
      );
    case 'duplicate-content-length':
      return one(`POST /items HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde`);
    case 'obfuscated-transfer-encoding':
      return one(
        `POST /items HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
      );
    case 'huge-body':
      return {
        pieces: [
          Buffer.from(
            `POST /items HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n`,
            'latin1',
          ),
          Buffer.alloc(HUGE_BODY_SENT, 0x20),
        ],
        pauseMs: 0,
      };
    case 'slowloris': {
      // A head that never ends: one short header line at a time, never the blank line.
      const pieces = [Buffer.from(`GET /hello HTTP/1.1\r\nHost: ${host}\r\n`, 'latin1')];
      for (let i = 0; i < 12; i++) pieces.push(Buffer.from(`X-Slow-${i}: ${i}\r\n`, 'latin1'));
      return { pieces, pauseMs: 500 };
    }
  }
}
