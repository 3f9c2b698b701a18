// The connection scope as a pure function of (event, viewer, owners): who sees which connection's events.
import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../core/protocol/events.js';
import { machineOwner, pageOwner } from '../net/connectionOwners.js';
import { ConnectionScope, type Viewer } from './connectionScope.js';

const owners = new Map<string, string>([
  ['127.0.0.1:50001', pageOwner('A')],
  ['127.0.0.1:50002', machineOwner('192.168.1.31')],
]);
const snippets = new Map<string, string>([['snippet-abc123', machineOwner('192.168.1.31')]]);
const runs = new Map<string, string>([['gorun-go7', pageOwner('S')]]);
const scope = new ConnectionScope({
  ownerOf: (h, p) => owners.get(`${h}:${p}`),
  snippetOwner: (d) => snippets.get(d),
  runOwner: (d) => runs.get(d),
});

const A: Viewer = { session: 'A', address: '127.0.0.1', local: true };
const B: Viewer = { session: 'B', address: '127.0.0.1', local: true };
const student: Viewer = { session: 'S', address: '192.168.1.31', local: false };
const other: Viewer = { session: 'T', address: '192.168.1.32', local: false };

let seq = 0;
const ev = (body: object, demo = 'echo') =>
  ({ seq: ++seq, t: 0, demo, source: 'observed', ...body }) as unknown as LabEvent;
const open = (conn: string, remotePort: number) =>
  ev({
    kind: 'socket.open',
    conn,
    side: 'server',
    local: { host: '127.0.0.1', port: 7401 },
    remote: { host: '127.0.0.1', port: remotePort },
  });
const data = (conn: string) => ev({ kind: 'socket.data', conn, dir: 'in', len: 3, b64: 'YWJj', clipped: false });
const sees = (e: LabEvent, v: Viewer) => scope.visible(e, v) !== null;

for (const e of [open('e1', 50001), open('e2', 50002), open('e3', 60000)]) scope.observe(e);

describe('ConnectionScope', () => {
  it('a page’s connection is that page’s alone', () => {
    expect([sees(data('e1'), A), sees(data('e1'), B), sees(data('e1'), student)]).toEqual([true, false, false]);
  });
  it('a snippet’s dial is its machine’s: the student sees it, other machines and local pages do not', () => {
    expect([sees(data('e2'), student), sees(data('e2'), other), sees(data('e2'), A)]).toEqual([true, false, false]);
  });
  it('an outside connection is shown to pages on the lab’s machine only', () => {
    expect([sees(data('e3'), A), sees(data('e3'), B), sees(data('e3'), student)]).toEqual([true, true, false]);
    expect(sees(data('unknown-conn'), student)).toBe(false);
  });
  it('narrows counters to the viewer’s connections', () => {
    const stats = ev({
      kind: 'socket.stats',
      conns: ['e1', 'e2', 'e3'].map((conn) => ({ conn, bytesIn: 1, bytesOut: 1, readsIn: 1, writesOut: 1 })),
    });
    const names = (v: Viewer) =>
      (scope.visible(stats, v) as { conns: { conn: string }[] } | null)?.conns.map((c) => c.conn) ?? null;
    expect(names(A)).toEqual(['e1', 'e3']);
    expect(names(student)).toEqual(['e2']);
    expect(names(other)).toBeNull();
  });
  it('captured segments follow the endpoints’ owner', () => {
    const seg = (from: string) => ev({ kind: 'packet.segment', from, to: '127.0.0.1:7401' }, 'echo');
    expect([sees(seg('127.0.0.1:50001'), A), sees(seg('127.0.0.1:50001'), B)]).toEqual([true, false]);
    expect(sees(seg('127.0.0.1:60000'), student)).toBe(false);
  });
  it('captured datagrams and the UDP demo’s relay, flood and run events follow their client’s owner', () => {
    const dgram = (from: string) => ev({ kind: 'packet.datagram', from, to: '127.0.0.1:7420' }, 'udp');
    expect([sees(dgram('127.0.0.1:50001'), A), sees(dgram('127.0.0.1:50001'), B)]).toEqual([true, false]);
    // A datagram from outside (a student's nc -u) is shown on the lab's machine only.
    expect([sees(dgram('127.0.0.1:60000'), A), sees(dgram('127.0.0.1:60000'), student)]).toEqual([true, false]);
    const relay = ev({ kind: 'udp.relay', from: '127.0.0.1:50001', action: 'drop', number: 3 }, 'udp');
    expect([sees(relay, A), sees(relay, B), sees(relay, student)]).toEqual([true, false, false]);
    const flooded = ev({ kind: 'udp.flooded', from: '127.0.0.1:50002', dropped: 9 }, 'udp');
    expect([sees(flooded, student), sees(flooded, other), sees(flooded, A)]).toEqual([true, false, false]);
    const runEnd = ev({ kind: 'udp.runEnd', client: '127.0.0.1:50001', result: {} }, 'udp');
    expect([sees(runEnd, A), sees(runEnd, B)]).toEqual([true, false]);
  });
  it('the DNS demo’s decoded packets, served queries, floods and runs follow their client’s owner', () => {
    const server = '127.0.0.1:7450';
    const answer = ev({ kind: 'dns.packet', from: server, to: '127.0.0.1:50001' }, 'dns');
    expect([sees(answer, A), sees(answer, B), sees(answer, student)]).toEqual([true, false, false]);
    const served = ev({ kind: 'dns.served', from: '127.0.0.1:50002', to: server }, 'dns');
    expect([sees(served, student), sees(served, other), sees(served, A)]).toEqual([true, false, false]);
    // A query from outside the lab (dig, a Go program) is shown on the lab's machine only.
    const dig = ev({ kind: 'dns.served', from: '127.0.0.1:60000', to: server }, 'dns');
    expect([sees(dig, A), sees(dig, student)]).toEqual([true, false]);
    const flooded = ev({ kind: 'dns.flooded', from: '127.0.0.1:50001', dropped: 4 }, 'dns');
    expect([sees(flooded, A), sees(flooded, B)]).toEqual([true, false]);
    const runEnd = ev({ kind: 'dns.runEnd', client: '127.0.0.1:50002', result: {} }, 'dns');
    expect([sees(runEnd, student), sees(runEnd, A)]).toEqual([true, false]);
    const zone = ev({ kind: 'dns.zone', serial: 1, rows: [] }, 'dns');
    expect([sees(zone, A), sees(zone, student)]).toEqual([true, true]);
  });
  it('the TLS demo’s records, stream errors, round trips and runs follow their client’s owner', () => {
    const conn = { connection: 1, client: '127.0.0.1:50001', server: '127.0.0.1:7430' };
    const record = ev({ kind: 'tls.record', record: { ...conn, from: 'server' } }, 'tls');
    expect([sees(record, A), sees(record, B), sees(record, student)]).toEqual([true, false, false]);
    const garbage = ev({ kind: 'tls.streamError', ...conn, client: '127.0.0.1:50002' }, 'tls');
    expect([sees(garbage, student), sees(garbage, other), sees(garbage, A)]).toEqual([true, false, false]);
    const trips = ev({ kind: 'tls.roundTrips', ...conn }, 'tls');
    expect([sees(trips, A), sees(trips, B)]).toEqual([true, false]);
    // An outside client (openssl s_client in a terminal) is shown on the lab's machine only.
    const outside = ev({ kind: 'tls.record', record: { ...conn, client: '127.0.0.1:60000' } }, 'tls');
    expect([sees(outside, A), sees(outside, student)]).toEqual([true, false]);
    const runEnd = ev({ kind: 'tls.runEnd', result: { run: 'session', client: '127.0.0.1:50001' } }, 'tls');
    expect([sees(runEnd, A), sees(runEnd, B)]).toEqual([true, false]);
    const unknownClient = ev({ kind: 'tls.runEnd', result: { run: 'badCert', client: null } }, 'tls');
    expect([sees(unknownClient, A), sees(unknownClient, B)]).toEqual([true, true]);
  });
  it('a snippet session’s events go to its machine; events without a connection go to everyone', () => {
    expect([
      sees(ev({ kind: 'demo.started' }, 'snippet-abc123'), student),
      sees(ev({ kind: 'demo.started' }, 'snippet-abc123'), A),
    ]).toEqual([true, false]);
    expect([
      sees(ev({ kind: 'workerPool.stats' }, 'worker-pool'), student),
      sees(ev({ kind: 'demo.started' }), other),
    ]).toEqual([true, true]);
  });
  it('a Go run’s events, its sockets and segments included, reach only the page that started it', () => {
    const out = ev({ kind: 'gorun.output', run: 'go7', stream: 'stdout', text: 'hi' }, 'gorun-go7');
    const seg = ev({ kind: 'packet.segment', from: '127.0.0.1:50001', to: '127.0.0.1:7401' }, 'gorun-go7');
    const conn = open('g1', 60000);
    const runConn = { ...conn, demo: 'gorun-go7' } as LabEvent;
    for (const e of [out, seg, runConn])
      expect([sees(e, student), sees(e, A), sees(e, B), sees(e, other)]).toEqual([true, false, false, false]);
    // A run no page owns (the headless CLI's, or one whose owner was released) is the lab machine's.
    const loose = ev({ kind: 'gorun.output', run: 'go8', stream: 'stdout', text: 'hi' }, 'gorun-go8');
    expect([sees(loose, A), sees(loose, student)]).toEqual([true, false]);
  });
});
