// Reads TLS out of a capture's event stream: captured segments in, tls.* events out, decrypting with the secrets of
// a key log book (fed by the TLS server's 'keylog' event); pure.
import type { TlsEvent } from '../../../../core/protocol/events/tls.js';
import type { CaptureEventBody } from '../captureProcessor.js';
import { KeyLogBook, parseKeyLogLine } from './keyLog.js';
import { TlsFlowDecoder } from './tlsFlowDecoder.js';
import { TlsSegmentTap } from './tlsSegmentTap.js';

/** Whole frames: loopback's MTU is 65,536, and a record can only be read from all of its bytes. */
export const TLS_CAPTURE_HEX_BYTES = 65_536 + 64;

export class TlsCaptureReader {
  readonly keys: KeyLogBook;
  private readonly tap = new TlsSegmentTap();
  private readonly decoder: TlsFlowDecoder;

  constructor(keys = new KeyLogBook()) {
    this.keys = keys;
    this.decoder = new TlsFlowDecoder((random, label) => this.keys.secret(random, label));
  }

  /** One key log line from the TLS server; returns records that it lets the lab open now. */
  addKeyLogLine(text: string): TlsEvent[] {
    const line = parseKeyLogLine(text);
    if (!line) return [];
    this.keys.add(line);
    return this.decoder.keysArrived(line.clientRandom);
  }

  push(e: CaptureEventBody): TlsEvent[] {
    if (e.kind !== 'packet.segment') return [];
    // Both keep a bounded number of connections (oldest forgotten first), so nothing needs a close to be seen.
    const segment = this.tap.take(e);
    return segment ? this.decoder.push(segment) : [];
  }
}
