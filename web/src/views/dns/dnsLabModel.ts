// The DNS view's state from the event stream: decoded messages from the capture (or, without capture, the server's
// own account of each query), the zone as it is now, the capture's status and floods; and the flag text. Pure.
import type { LabEvent } from '@core/protocol/events';
import type { CaptureStatus } from '@core/protocol/events/packet';
import type { DnsMessageSummary, ZoneRow } from '@core/protocol/demos/dns';
import type { Fold } from '../../store/eventFold';

export interface PacketRow {
  key: number;
  at: number;
  source: 'captured' | 'observed';
  transport: 'udp' | 'tcp';
  from: string;
  to: string;
  bytes: number;
  /** A decoded message (captured); null for a served row or a refused packet. */
  message: DnsMessageSummary | null;
  /** For a served row: what the server did (answered, truncated, nxdomain, silent...). */
  action: string | null;
  question: string;
  rcode: string | null;
  errorCode: string | null;
}

export interface DnsViewState {
  capture: CaptureStatus | 'unknown';
  packets: PacketRow[];
  packetCount: number;
  served: PacketRow[];
  zone: ZoneRow[];
  serial: number;
  flooded: number;
}

const KEEP = 40;

export const dnsViewFold: Fold<DnsViewState> = {
  init: () => ({ capture: 'unknown', packets: [], packetCount: 0, served: [], zone: [], serial: 0, flooded: 0 }),
  step(s, e: LabEvent) {
    if (e.demo !== 'dns') return;
    if (e.kind === 'packet.captureStatus') s.capture = e.status;
    else if (e.kind === 'dns.zone') {
      s.zone = e.rows;
      s.serial = e.serial;
    } else if (e.kind === 'dns.flooded') s.flooded += e.dropped;
    else if (e.kind === 'dns.packet') {
      s.packetCount++;
      const q = e.message?.questions[0];
      push(s.packets, {
        key: e.seq,
        at: e.at,
        source: 'captured',
        transport: e.transport,
        from: e.from,
        to: e.to,
        bytes: e.bytes,
        message: e.message,
        action: null,
        question: q ? `${q.name} ${q.type}` : '',
        rcode: e.message?.qr ? e.message.rcode : null,
        errorCode: e.error?.code ?? null,
      });
    } else if (e.kind === 'dns.served') {
      push(s.served, {
        key: e.seq,
        at: e.t,
        source: 'observed',
        transport: e.transport,
        from: e.from,
        to: e.to,
        bytes: e.bytes,
        message: null,
        action: e.action,
        question: e.name ? `${e.name} ${e.type ?? ''}`.trim() : '',
        rcode: e.rcode,
        errorCode: e.error?.code ?? null,
      });
    }
  },
};

function push(list: PacketRow[], row: PacketRow): void {
  list.unshift(row);
  if (list.length > KEEP) list.length = KEEP;
}

/** The header flags set, as dig prints them (qr aa tc rd ra). */
export function flagText(m: DnsMessageSummary): string {
  return (['qr', 'aa', 'tc', 'rd', 'ra'] as const).filter((f) => m[f]).join(' ');
}

/** The zone for the table: a name with many records of one type (big.lab.test's 100) folded into one row. */
export function zoneTableRows(rows: readonly ZoneRow[], fold = 4): Array<ZoneRow & { count: number }> {
  const out: Array<ZoneRow & { count: number }> = [];
  const groups = new Map<string, ZoneRow[]>();
  for (const r of rows) {
    const k = `${r.name}\u0000${r.type}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  for (const g of groups.values()) {
    if (g.length > fold) out.push({ ...g[0], value: `${g[0].value} … ${g[g.length - 1].value}`, count: g.length });
    else for (const r of g) out.push({ ...r, count: 1 });
  }
  return out;
}
