// DNS demo events: messages decoded from the capture, the server's own account of each query, the zone, and each
// run's outcome. Shared by server and web.
import type { WireError } from '../errors.js';
import type { DnsMessageSummary, DnsRunResult, ZoneRow } from '../demos/dns.js';

export type DnsEvent =
  | {
      /** A DNS message decoded from a captured UDP datagram or TCP segment (or why it could not be decoded). */
      kind: 'dns.packet';
      source: 'captured';
      transport: 'udp' | 'tcp';
      from: string;
      to: string;
      /** Capture time as wall-clock ms. */
      at: number;
      /** The DNS message's bytes (without TCP's 2-byte length). */
      bytes: number;
      message: DnsMessageSummary | null;
      error: WireError | null;
    }
  | {
      /** What the lab's server did with one query: seen by the server itself. */
      kind: 'dns.served';
      source: 'observed';
      transport: 'udp' | 'tcp';
      from: string;
      to: string;
      name: string | null;
      type: string | null;
      action: 'answered' | 'truncated' | 'servfail' | 'nxdomain' | 'silent' | 'refused' | 'formerr' | 'dropped';
      rcode: string | null;
      /** Bytes of the answer sent (0 when none). */
      bytes: number;
      /** The codec's refusal of a malformed query. */
      error: WireError | null;
    }
  | {
      /** The zone after a change (and once at start). */
      kind: 'dns.zone';
      source: 'observed';
      serial: number;
      rows: ZoneRow[];
    }
  | {
      /** Queries over a source's budget, counted; sent at most once a second per source. */
      kind: 'dns.flooded';
      source: 'observed';
      from: string;
      dropped: number;
    }
  | {
      kind: 'dns.runEnd';
      source: 'observed';
      /** The run's client socket (`ip:port`), or the lab's own name for a Go run. */
      client: string;
      result: DnsRunResult;
    };
