// The socket bridge's wire protocol: snippets in a browser worker open real loopback sockets on the lab server.
// Written once, imported by the server (server/bridge/), the snippet worker and the Node client of the tests.
//
// One WebSocket per snippet run at BRIDGE_PATH. Control messages are JSON text (validated with zod at the edge);
// bytes travel in binary messages with a 5-byte header, so a 64 KiB read costs 5 bytes of framing, not base64.
//
//   binary message:  [op u8][id u32 big-endian][payload]
//     DATA   (op 1) both ways: one real socket read (server→browser) or one write (browser→server) on conn `id`.
//     CREDIT (op 2) both ways, id 0: payload = entries of [conn u32][bytes u32][frames u32]:
//       server→browser: "these bytes/frames of yours reached the kernel" — frees the sender's window;
//       browser→server: "the snippet has read these bytes" — lets the server read more from the real socket.
//
// Flow control is end to end: a snippet that stops reading stops granting credit, the server stops reading the
// real socket, the kernel's receive buffer fills and the TCP window closes — as if the snippet ran on the server.
import { z } from 'zod';
import type { WireError } from './errors.js';
import type { Endpoint } from './events/socket.js';

/** Bumped whenever a bridge message changes shape. */
export const BRIDGE_PROTOCOL_VERSION = 1;

/** Under /ws so the Vite dev proxy, which forwards /ws, carries it too. */
export const BRIDGE_PATH = '/ws/bridge';

/** Every bridge session publishes its sockets' events under a demo id with this prefix ("snippet-3fa9c1"). */
export const SNIPPET_DEMO_PREFIX = 'snippet-';

export function isSnippetDemo(demo: string): boolean {
  return demo.startsWith(SNIPPET_DEMO_PREFIX);
}

export const FRAME_HEADER_BYTES = 5;
export const OP_DATA = 1;
export const OP_CREDIT = 2;
export const CREDIT_ENTRY_BYTES = 12;

/** A browser write is cut into DATA frames of at most this many bytes. */
export const MAX_DATA_PAYLOAD = 256 * 1024;
export { MAX_CONTROL_MESSAGE_BYTES } from './messageLimits.js';
/** The largest WebSocket message the server reads (a DATA frame, or a CREDIT frame for many conns). */
export const MAX_BRIDGE_MESSAGE_BYTES = FRAME_HEADER_BYTES + Math.max(MAX_DATA_PAYLOAD, 4096 * CREDIT_ENTRY_BYTES);

/** Quotas and windows of one bridge session, announced in the welcome so the browser can respect them. */
export interface BridgeLimits {
  /** Open connections (dialed and accepted) at once. */
  maxSockets: number;
  maxListeners: number;
  /** Bytes per second in each direction before the bridge slows the session down. */
  bytesPerSecond: number;
  /** Control messages (dial, listen, close…) per second, sustained. */
  controlPerSecond: number;
  /** Browser→server: bytes and frames the browser may have in flight per conn and per session. */
  sendWindow: { connBytes: number; connFrames: number; sessionBytes: number; sessionFrames: number };
  /** Server→browser: bytes the server relays per conn (and per session) before it waits for credit. */
  recvWindow: { connBytes: number; sessionBytes: number };
  maxDataPayload: number;
}

// ---------------------------------------------------------------- browser → server (text)

const requestId = z.number().int().nonnegative().max(0xffffffff);
const socketId = z.number().int().positive().max(0xffffffff);
/** Go's address form: "127.0.0.1:7401", "[::1]:0", "localhost:9000", ":0". */
const address = z.string().min(1).max(128);

export const BridgeHello = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
});
export const BridgeDial = z.object({ type: z.literal('dial'), req: requestId, address });
export const BridgeListen = z.object({ type: z.literal('listen'), req: requestId, address });
/** Closes a connection (after its queued writes) or a listener. */
export const BridgeClose = z.object({ type: z.literal('close'), id: socketId });
/** Half-close: sends FIN after the queued writes, keeps reading (Go's CloseWrite). */
export const BridgeCloseWrite = z.object({ type: z.literal('closeWrite'), id: socketId });
export const BridgeSetNoDelay = z.object({ type: z.literal('setNoDelay'), id: socketId, noDelay: z.boolean() });

export const BridgeClientMessage = z.discriminatedUnion('type', [
  BridgeHello,
  BridgeDial,
  BridgeListen,
  BridgeClose,
  BridgeCloseWrite,
  BridgeSetNoDelay,
]);
export type BridgeClientMessage = z.infer<typeof BridgeClientMessage>;

// ---------------------------------------------------------------- server → browser (text)

export type BridgeCloseReason = 'local' | 'eof' | 'error';

export type BridgeServerMessage =
  /** `demo` is the id the session's socket events are published under (subscribe to it to see them). */
  | { type: 'welcome'; demo: string; limits: BridgeLimits }
  | { type: 'dialed'; req: number; conn: number; local: Endpoint; remote: Endpoint }
  | { type: 'listening'; req: number; listener: number; local: Endpoint }
  /** A dial or listen was refused or failed. */
  | { type: 'failed'; req: number; error: WireError }
  | { type: 'accepted'; listener: number; conn: number; local: Endpoint; remote: Endpoint }
  /** The peer closed its sending side; sent after the conn's last DATA frame. */
  | { type: 'eof'; conn: number }
  /** A conn or listener is gone on the server (its id may not be used again). */
  | { type: 'closed'; id: number; reason: BridgeCloseReason; error?: WireError }
  /** Something the session should know that answers no request (a throttle, a refused accept). */
  | { type: 'notice'; error: WireError }
  /** The session broke the protocol or the lab is stopping; the socket closes after this. */
  | { type: 'fatal'; error: WireError };

// ---------------------------------------------------------------- binary frames

/** Builds a DATA frame: header + a copy of payload. */
export function encodeData(id: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frame[0] = OP_DATA;
  writeU32(frame, 1, id);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** Just the 5-byte header of a DATA frame, for senders that can send header and payload without a copy. */
export function encodeDataHeader(id: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  header[0] = OP_DATA;
  writeU32(header, 1, id);
  return header;
}

export interface CreditEntry {
  conn: number;
  bytes: number;
  frames: number;
}

export function encodeCredit(entries: readonly CreditEntry[]): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + entries.length * CREDIT_ENTRY_BYTES);
  frame[0] = OP_CREDIT;
  let at = FRAME_HEADER_BYTES;
  for (const e of entries) {
    writeU32(frame, at, e.conn);
    writeU32(frame, at + 4, e.bytes);
    writeU32(frame, at + 8, e.frames);
    at += CREDIT_ENTRY_BYTES;
  }
  return frame;
}

export type DecodedFrame =
  | { op: 'data'; id: number; payload: Uint8Array }
  | { op: 'credit'; entries: CreditEntry[] }
  | { op: 'bad'; reason: string };

/** Decodes one binary message. The DATA payload is a view into `frame` (no copy). Pure. */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  if (frame.length < FRAME_HEADER_BYTES)
    return { op: 'bad', reason: `a frame has at least ${FRAME_HEADER_BYTES} bytes, got ${frame.length}` };
  const op = frame[0];
  const id = readU32(frame, 1);
  if (op === OP_DATA) {
    if (id === 0) return { op: 'bad', reason: 'DATA frame for conn 0' };
    return { op: 'data', id, payload: frame.subarray(FRAME_HEADER_BYTES) };
  }
  if (op === OP_CREDIT) {
    const body = frame.length - FRAME_HEADER_BYTES;
    if (body % CREDIT_ENTRY_BYTES !== 0)
      return { op: 'bad', reason: `CREDIT payload of ${body} bytes is not a multiple of ${CREDIT_ENTRY_BYTES}` };
    const entries: CreditEntry[] = [];
    for (let at = FRAME_HEADER_BYTES; at < frame.length; at += CREDIT_ENTRY_BYTES) {
      entries.push({ conn: readU32(frame, at), bytes: readU32(frame, at + 4), frames: readU32(frame, at + 8) });
    }
    return { op: 'credit', entries };
  }
  return { op: 'bad', reason: `unknown frame op ${op}` };
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

// ---------------------------------------------------------------- addresses

export interface HostPort {
  host: string;
  port: number;
}

/**
 * Splits Go's "host:port" (IPv6 in brackets). An empty host (":0") stays empty. Returns null when it is not one.
 * @example parseHostPort('[::1]:7401') // { host: '::1', port: 7401 }
 */
export function parseHostPort(text: string): HostPort | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port > 65535) return null;
  return { host: m[1] ?? m[2] ?? '', port };
}

/** Go's net.JoinHostPort. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
