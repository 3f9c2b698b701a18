// Reads the kernel's protocol counters from /proc/net/snmp and /proc/net/netstat (pairs of lines: a header line of
// names, then a line of values, both starting with the group, e.g. `Tcp:`), and compares two readings. Pure.
import type { CounterDelta } from '../../../core/protocol/demos/tcpLoss.js';

/** The counters the loss lesson talks about, in the order the view lists them. */
export const LOSS_COUNTERS = [
  'Tcp:OutSegs',
  'Tcp:RetransSegs',
  'TcpExt:TCPTimeouts',
  'TcpExt:TCPLossProbes',
  'TcpExt:TCPFastRetrans',
  'TcpExt:TCPSackRecovery',
  'TcpExt:TCPSACKReorder',
  'TcpExt:TCPLostRetransmit',
  'TcpExt:TCPDSACKRecv',
  'TcpExt:TCPSpuriousRTOs',
] as const;

/** `Group:Name` → value, for every pair of lines in the text (several files may be concatenated). */
export function parseNetCounters(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  const lines = text.split('\n').filter((l) => l.trim());
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!.trim().split(/\s+/);
    const values = lines[i + 1]!.trim().split(/\s+/);
    if (head[0] !== values[0] || !head[0]!.endsWith(':') || head.length !== values.length) continue;
    // A header line's second word is a name; a value line's is a number.
    if (!Number.isNaN(Number(head[1]))) continue;
    const group = head[0]!.slice(0, -1);
    for (let k = 1; k < head.length; k++) {
      const v = Number(values[k]);
      if (Number.isFinite(v)) counters.set(`${group}:${head[k]}`, v);
    }
    i++;
  }
  return counters;
}

/** The named counters before and after (missing on this kernel: left out). */
export function counterDeltas(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  names: readonly string[] = LOSS_COUNTERS,
): CounterDelta[] {
  return names.flatMap((name) => {
    const a = before.get(name);
    const b = after.get(name);
    return a === undefined || b === undefined ? [] : [{ name, before: a, after: b }];
  });
}
