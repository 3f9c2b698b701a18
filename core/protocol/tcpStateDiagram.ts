// The TCP state diagram (RFC 793 / RFC 9293 §3.3.2) as data: states, labelled transitions, a layout, and paths between states. Shared by the server's state model and the web's state-machine view.
import type { LocalizedText } from './errors.js';
import type { TcpStateName } from './events/tcpState.js';

export interface StateTransition {
  from: TcpStateName;
  to: TcpStateName;
  /** What makes it happen, as the classic diagram labels it ("event / action"). */
  label: LocalizedText;
  /** Abortive or rare transitions are drawn fainter. */
  minor?: boolean;
}

export const TCP_TRANSITIONS: readonly StateTransition[] = [
  { from: 'CLOSED', to: 'LISTEN', label: { en: 'listen()', zh: 'listen()' } },
  { from: 'CLOSED', to: 'SYN_SENT', label: { en: 'connect() / send SYN', zh: 'connect() / 发送 SYN' } },
  { from: 'LISTEN', to: 'SYN_RECV', label: { en: 'recv SYN / send SYN-ACK', zh: '收到 SYN / 发送 SYN-ACK' } },
  { from: 'SYN_SENT', to: 'ESTABLISHED', label: { en: 'recv SYN-ACK / send ACK', zh: '收到 SYN-ACK / 发送 ACK' } },
  {
    from: 'SYN_SENT',
    to: 'SYN_RECV',
    label: { en: 'recv SYN (simultaneous open)', zh: '收到 SYN（同时打开）' },
    minor: true,
  },
  { from: 'SYN_SENT', to: 'CLOSED', label: { en: 'recv RST / timeout', zh: '收到 RST / 超时' } },
  { from: 'SYN_RECV', to: 'ESTABLISHED', label: { en: 'recv ACK', zh: '收到 ACK' } },
  { from: 'SYN_RECV', to: 'FIN_WAIT1', label: { en: 'close() / send FIN', zh: 'close() / 发送 FIN' }, minor: true },
  { from: 'ESTABLISHED', to: 'FIN_WAIT1', label: { en: 'close() / send FIN', zh: 'close() / 发送 FIN' } },
  { from: 'ESTABLISHED', to: 'CLOSE_WAIT', label: { en: 'recv FIN / send ACK', zh: '收到 FIN / 发送 ACK' } },
  { from: 'ESTABLISHED', to: 'CLOSED', label: { en: 'send or recv RST', zh: '发送或收到 RST' }, minor: true },
  { from: 'FIN_WAIT1', to: 'FIN_WAIT2', label: { en: 'recv ACK of FIN', zh: '收到对 FIN 的 ACK' } },
  { from: 'FIN_WAIT1', to: 'CLOSING', label: { en: 'recv FIN / send ACK', zh: '收到 FIN / 发送 ACK' }, minor: true },
  { from: 'FIN_WAIT1', to: 'TIME_WAIT', label: { en: 'recv FIN+ACK / send ACK', zh: '收到 FIN+ACK / 发送 ACK' } },
  { from: 'FIN_WAIT2', to: 'TIME_WAIT', label: { en: 'recv FIN / send ACK', zh: '收到 FIN / 发送 ACK' } },
  { from: 'CLOSING', to: 'TIME_WAIT', label: { en: 'recv ACK of FIN', zh: '收到对 FIN 的 ACK' }, minor: true },
  { from: 'CLOSE_WAIT', to: 'LAST_ACK', label: { en: 'close() / send FIN', zh: 'close() / 发送 FIN' } },
  { from: 'LAST_ACK', to: 'CLOSED', label: { en: 'recv ACK of FIN', zh: '收到对 FIN 的 ACK' } },
  { from: 'TIME_WAIT', to: 'CLOSED', label: { en: '2MSL timeout', zh: '2MSL 超时' } },
];

/** Grid positions (column, row) of the classic drawing: opening at the top, active close left, passive close right. */
export const TCP_STATE_LAYOUT: Readonly<Record<TcpStateName, { col: number; row: number }>> = {
  CLOSED: { col: 1, row: 0 },
  LISTEN: { col: 1, row: 1 },
  SYN_RECV: { col: 0, row: 2 },
  SYN_SENT: { col: 2, row: 2 },
  ESTABLISHED: { col: 1, row: 3 },
  FIN_WAIT1: { col: 0, row: 4 },
  CLOSE_WAIT: { col: 2, row: 4 },
  FIN_WAIT2: { col: 0, row: 5 },
  CLOSING: { col: 1, row: 5 },
  LAST_ACK: { col: 2, row: 5 },
  TIME_WAIT: { col: 0, row: 6 },
};

export function findTransition(from: TcpStateName, to: TcpStateName): StateTransition | undefined {
  return TCP_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** States one side of a connection never passes through: a client never listens, an accepted socket never sends the first SYN. */
export const STATES_OFF_ROLE: Readonly<Record<'client' | 'server', readonly TcpStateName[]>> = {
  client: ['LISTEN', 'SYN_RECV'],
  server: ['SYN_SENT'],
};

/**
 * The states passed through between two states along the diagram, ends included, preferring major transitions
 * and avoiding the given states; [from, to] when the diagram has no path (an abort). Used to fill in states a
 * poller was too slow to see.
 * @example statePath('CLOSED', 'ESTABLISHED') // ['CLOSED', 'SYN_SENT', 'ESTABLISHED']
 * @example statePath('CLOSED', 'ESTABLISHED', STATES_OFF_ROLE.server) // ['CLOSED', 'LISTEN', 'SYN_RECV', 'ESTABLISHED']
 */
export function statePath(from: TcpStateName, to: TcpStateName, avoid: readonly TcpStateName[] = []): TcpStateName[] {
  if (from === to) return [from];
  for (const allowMinor of [false, true]) {
    const previous = new Map<TcpStateName, TcpStateName>();
    const queue: TcpStateName[] = [from];
    while (queue.length > 0) {
      const s = queue.shift()!;
      if (s === to) {
        const path: TcpStateName[] = [to];
        for (let p = previous.get(to); p !== undefined; p = previous.get(p)) path.unshift(p);
        return path;
      }
      for (const t of TCP_TRANSITIONS) {
        if (t.from !== s || (t.minor && !allowMinor) || t.to === from || previous.has(t.to)) continue;
        // A socket never passes through CLOSED and comes back: that would be a new socket.
        if (t.to !== to && (t.to === 'CLOSED' || avoid.includes(t.to))) continue;
        previous.set(t.to, s);
        queue.push(t.to);
      }
    }
  }
  return [from, to];
}
