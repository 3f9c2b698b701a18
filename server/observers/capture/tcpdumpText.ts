// Reads tcpdump's own text output (`tcpdump -n -tt -S -l`) into segments, so tests can compare the lab's decoder with tcpdump's; pure.
import { endpointName } from '../../../core/protocol/events/tcpState.js';

export interface TcpdumpTextSegment {
  /** Seconds since the epoch, as printed with -tt. */
  time: number;
  from: string;
  to: string;
  /** Flag names as the lab spells them (SYN, ACK...), in the lab's order. */
  flags: string[];
  /** Printed only for SYN, FIN, RST and segments with data. */
  seq: number | null;
  /** Printed only when ACK is set. */
  ack: number | null;
  length: number;
}

const FLAG_LETTERS: Record<string, string> = {
  S: 'SYN',
  F: 'FIN',
  R: 'RST',
  P: 'PSH',
  '.': 'ACK',
  U: 'URG',
  E: 'ECE',
  W: 'CWR',
};
const ORDER = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];

const LINE =
  /^(\d+\.\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]+)\](?:, seq (\d+)(?::\d+)?)?(?:, ack (\d+))?.*?, length (\d+)/;

/** Parses every TCP line; other lines (headers, statistics, non-TCP) are skipped. */
export function parseTcpdumpText(text: string): TcpdumpTextSegment[] {
  const out: TcpdumpTextSegment[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const letters = m[6] === 'none' ? [] : [...m[6]!];
    const flags = ORDER.filter((f) => letters.some((l) => FLAG_LETTERS[l] === f));
    out.push({
      time: Number(m[1]),
      from: endpointName(m[2]!, Number(m[3])),
      to: endpointName(m[4]!, Number(m[5])),
      flags,
      seq: m[7] === undefined ? null : Number(m[7]),
      ack: m[8] === undefined ? null : Number(m[8]),
      length: Number(m[9]),
    });
  }
  return out;
}
