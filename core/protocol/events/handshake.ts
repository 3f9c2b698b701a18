// Handshake-demo events (lesson 4): a scenario run's start and end, and each socket call its client and server made. Shared by server and web.
import type { WireError } from '../errors.js';
import type { HandshakeCaptureInfo, HandshakeScenario } from '../demos/handshake.js';

/** A socket-API call the demo made, named as Go names it (Dial, Accept, Write, Read, CloseWrite, Close). */
export type HandshakeCall =
  'dial' | 'connected' | 'accept' | 'write' | 'read' | 'eof' | 'closeWrite' | 'close' | 'error';

/** What the capture showed about a run, worked out when it ends. */
export interface HandshakeRunSummary {
  /** Captured segments of the run's connections (0 without capture). */
  segments: number;
  /** True when SYN-ACK's ack = SYN's seq + 1 and the third segment's ack = SYN-ACK's seq + 1, for every connection. */
  handshakeNumbersMatch: boolean | null;
  /** Segments from the first FIN on that carry a FIN or only acknowledge one: 3 when an ACK rode on a FIN, 4 when not. */
  teardownSegments: number[];
  /** Connections ended by a reset. */
  resets: number;
  /** Sockets the poller saw in TIME_WAIT at the end, with the kernel's 2MSL timer then. */
  timeWait: Array<{ socket: string; timerMs?: number }>;
  /** Server sockets the poller saw in CLOSE_WAIT at the end. */
  closeWait: number;
}

export type HandshakeEvent =
  | {
      kind: 'handshake.runStart';
      source: 'observed';
      run: number;
      scenario: HandshakeScenario;
      /** The listener, `127.0.0.1:7405`. */
      server: string;
      /** The port nobody listens on. */
      closedPort: number;
      stepDelayMs: number;
      capture: HandshakeCaptureInfo;
      polling: boolean;
    }
  | {
      kind: 'handshake.step';
      source: 'observed';
      run: number;
      side: 'client' | 'server';
      /** The client's endpoint of the connection (its identity in the capture too). */
      client: string;
      call: HandshakeCall;
      bytes?: number;
      error?: WireError;
      /** Wall-clock ms when the call was made or returned. */
      at: number;
    }
  | {
      kind: 'handshake.runEnd';
      source: 'observed';
      run: number;
      scenario: HandshakeScenario;
      /** Client endpoints of every connection the run made. */
      clients: string[];
      summary: HandshakeRunSummary;
      /** Set when the run could not finish. */
      error?: WireError;
    };
