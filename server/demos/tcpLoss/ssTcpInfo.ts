// Parses `ss -tinH` output (one socket: a state/address line, then an indented line of TCP_INFO fields) into the
// figures the loss view plots: cwnd, ssthresh, rtt, rto, back-off and retransmissions. Pure.
export interface SsSocket {
  state: string;
  local: string;
  peer: string;
  congestion: string | null;
  cwnd: number | null;
  ssthresh: number | null;
  /** Smoothed RTT and its variation, ms (`rtt:srtt/rttvar`). */
  rttMs: number | null;
  rttVarMs: number | null;
  rtoMs: number | null;
  /** How many times the RTO has doubled for the segment now waiting (absent: 0). */
  backoff: number | null;
  /** `retrans:now/total`. */
  retransNow: number | null;
  retransTotal: number | null;
  bytesAcked: number | null;
}

const CONGESTION =
  /^(cubic|reno|bbr|bbr2|bic|htcp|vegas|westwood|illinois|dctcp|highspeed|hybla|lp|nv|scalable|veno|yeah|cdg)$/;

function numberField(fields: Map<string, string>, key: string): number | null {
  const v = fields.get(key);
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function parseDetail(line: string): { fields: Map<string, string>; congestion: string | null } {
  const fields = new Map<string, string>();
  let congestion: string | null = null;
  for (const word of line.trim().split(/\s+/)) {
    const colon = word.indexOf(':');
    if (colon > 0) {
      const key = word.slice(0, colon);
      if (!fields.has(key)) fields.set(key, word.slice(colon + 1));
    } else if (CONGESTION.test(word)) {
      congestion = word;
    }
  }
  return { fields, congestion };
}

/** Every socket in the output; lines that are neither a socket nor its detail are ignored. */
export function parseSsTcpInfo(text: string): SsSocket[] {
  const sockets: SsSocket[] = [];
  let current: SsSocket | null = null;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    if (/^\s/.test(raw) && current) {
      const { fields, congestion } = parseDetail(raw);
      const [srtt, rttvar] = (fields.get('rtt') ?? '').split('/');
      const [now, total] = (fields.get('retrans') ?? '').split('/');
      const num = (v: string | undefined) =>
        v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
      Object.assign(current, {
        congestion,
        cwnd: numberField(fields, 'cwnd'),
        ssthresh: numberField(fields, 'ssthresh'),
        rttMs: num(srtt),
        rttVarMs: num(rttvar),
        rtoMs: numberField(fields, 'rto'),
        backoff: numberField(fields, 'backoff') ?? 0,
        retransNow: num(now),
        retransTotal: num(total) ?? (fields.has('retrans') ? null : 0),
        bytesAcked: numberField(fields, 'bytes_acked'),
      });
      continue;
    }
    const cols = raw.trim().split(/\s+/);
    // State Recv-Q Send-Q Local Peer (with -H there is no header line)
    if (cols.length < 5 || !/^\d+$/.test(cols[1]!)) {
      current = null;
      continue;
    }
    current = {
      state: cols[0]!,
      local: cols[3]!,
      peer: cols[4]!,
      congestion: null,
      cwnd: null,
      ssthresh: null,
      rttMs: null,
      rttVarMs: null,
      rtoMs: null,
      backoff: null,
      retransNow: null,
      retransTotal: null,
      bytesAcked: null,
    };
    sockets.push(current);
  }
  return sockets;
}
