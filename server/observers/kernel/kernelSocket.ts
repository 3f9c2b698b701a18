// The one shape every kernel socket-table reader (/proc/net/tcp, netstat) produces, so the state tracker does not care which ran.
import type { TcpStateName } from '../../../core/protocol/events/tcpState.js';

export interface KernelSocket {
  /** `ip:port`, `[ip]:port` for IPv6. */
  local: string;
  remote: string;
  localPort: number;
  remotePort: number;
  state: TcpStateName;
  /** Linux: the pending kernel timer in ms (TIME_WAIT's 2MSL, retransmission...), 0 when none. */
  timerMs?: number;
  /** Linux: which timer: 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe. */
  timerKind?: number;
  sendQueue: number;
  receiveQueue: number;
  /** Linux: the socket's inode (0 for TIME_WAIT and request sockets). */
  inode?: number;
}

/** What a reader returns: the sockets it understood and the lines it could not parse (never a throw). */
export interface SocketTableParse {
  sockets: KernelSocket[];
  badLines: string[];
}
