// Socket-API events: what node:net told the lab (connect, data, pause, close), source 'observed'. For a Go program the
// lab runs (server/gorun), the same events describe the program's sockets: listen/open/close seen in the kernel's
// socket table ('polled') or, for connections shorter than a poll, in the capture ('captured'); data from captured
// segments' payload ('captured').

/** One end of a TCP or UDP socket. */
export interface Endpoint {
  host: string;
  port: number;
}

export type SocketEvent =
  | { kind: 'socket.listen'; source: 'observed' | 'polled'; listener: string; local: Endpoint }
  | {
      kind: 'socket.open';
      source: 'observed' | 'polled' | 'captured';
      conn: string;
      /** Which side of the connection the lab holds this socket on. */
      side: 'server' | 'client';
      local: Endpoint;
      remote: Endpoint;
      /** For a client the lab opened on a browser's behalf: that browser's label for it (e.g. "client-2"). */
      label?: string;
    }
  | {
      kind: 'socket.data';
      source: 'observed' | 'captured';
      conn: string;
      /** 'in' = read from the socket, 'out' = written to it. */
      dir: 'in' | 'out';
      /** Bytes in this read or write. */
      len: number;
      /** The first bytes (at most 256), base64. */
      b64: string;
      /** True when len is larger than the bytes in b64. */
      clipped: boolean;
    }
  | { kind: 'socket.pause'; source: 'observed'; conn: string; buffered: number; reason: string }
  | { kind: 'socket.resume'; source: 'observed'; conn: string }
  | {
      kind: 'socket.close';
      source: 'observed' | 'polled' | 'captured';
      conn: string;
      /** eof: the peer closed; local: the lab closed it; error: an I/O error (see error). */
      reason: 'eof' | 'local' | 'error';
      error?: string;
      bytesIn: number;
      bytesOut: number;
    }
  | {
      /** Authoritative per-connection counters, sent a few times a second while they change. */
      kind: 'socket.stats';
      source: 'observed';
      conns: ConnCounters[];
    };

export interface ConnCounters {
  conn: string;
  bytesIn: number;
  bytesOut: number;
  readsIn: number;
  writesOut: number;
  /** Reads and writes not reported as socket.data events because the connection was busier than the event budget. */
  unreported: number;
}
