// The pure core of watching a Go program's sockets: fds ↔ kernel table rows, captured segments, and the events
// the echo lanes draw from them.
import { describe, expect, it } from 'vitest';
import type { SocketEvent } from '../../core/protocol/events/socket.js';
import type { KernelSocket } from '../observers/kernel/kernelSocket.js';
import { ProgramSockets, parseEndpointName, socketInodes, type CapturedSegment } from './programSockets.js';

const row = (local: string, remote: string, state: KernelSocket['state'], inode: number): KernelSocket => ({
  local,
  remote,
  localPort: parseEndpointName(local).port,
  remotePort: parseEndpointName(remote).port,
  state,
  inode,
  sendQueue: 0,
  receiveQueue: 0,
});
const seg = (from: string, to: string, flags: string[], text = ''): CapturedSegment => ({
  from,
  to,
  flags,
  len: Buffer.byteLength(text),
  bytes: Buffer.from(text),
  at: 0,
});
const kinds = (es: SocketEvent[]) => es.map((e) => `${e.kind}/${e.source}`);
const LISTENER = row('127.0.0.1:7000', '0.0.0.0:0', 'LISTEN', 10);

describe('socketInodes', () => {
  it('keeps only socket fds', () => {
    expect([
      ...socketInodes(['socket:[123]', '/dev/null', 'pipe:[77]', 'socket:[9]', 'anon_inode:[eventpoll]']),
    ]).toEqual([123, 9]);
  });
});

describe('parseEndpointName', () => {
  it('reads IPv4, IPv6 and IPv4-mapped names', () => {
    expect(parseEndpointName('127.0.0.1:80')).toEqual({ host: '127.0.0.1', port: 80 });
    expect(parseEndpointName('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseEndpointName('[::ffff:127.0.0.1]:9')).toEqual({ host: '127.0.0.1', port: 9 });
  });
});

describe('ProgramSockets', () => {
  it('a polled listener and accepted connection: listen, open (server side), close when it leaves the fds', () => {
    const s = new ProgramSockets();
    expect(kinds(s.update([LISTENER], 0))).toEqual(['socket.listen/polled']);
    const conn = row('127.0.0.1:7000', '127.0.0.1:50000', 'ESTABLISHED', 11);
    const opened = s.update([LISTENER, conn], 10);
    expect(opened).toEqual([
      {
        kind: 'socket.open',
        source: 'polled',
        conn: 'g2',
        side: 'server',
        local: { host: '127.0.0.1', port: 7000 },
        remote: { host: '127.0.0.1', port: 50000 },
      },
    ]);
    // Same inode again: nothing new.
    expect(s.update([LISTENER, { ...conn, state: 'CLOSE_WAIT' }], 20)).toEqual([]);
    const closed = s.update([LISTENER], 30);
    expect(closed).toMatchObject([{ kind: 'socket.close', source: 'polled', conn: 'g2', reason: 'eof' }]);
    // Its TIME_WAIT row (inode 0) is still the program's; a stranger's row on another port is not.
    expect(s.owns(row('127.0.0.1:7000', '127.0.0.1:50000', 'TIME_WAIT', 0))).toBe(true);
    expect(s.owns(row('127.0.0.1:7001', '127.0.0.1:50000', 'ESTABLISHED', 99))).toBe(false);
  });

  it('a dialled connection is the client side, and its remote port is one to capture', () => {
    const s = new ProgramSockets();
    const dial = s.update([row('127.0.0.1:41000', '127.0.0.1:7401', 'ESTABLISHED', 20)], 0);
    expect(dial).toMatchObject([{ kind: 'socket.open', side: 'client' }]);
    expect(s.dialledPorts()).toEqual([7401]);
  });

  it('a connection shorter than a poll is seen whole in the capture: open, bytes each way, close', () => {
    const s = new ProgramSockets();
    s.update([LISTENER], 0);
    const c = '127.0.0.1:50001';
    const l = '127.0.0.1:7000';
    const events = [
      ...s.segment(seg(c, l, ['SYN'])),
      ...s.segment(seg(l, c, ['SYN', 'ACK'])),
      ...s.segment(seg(c, l, ['ACK', 'PSH'], 'ping\n')),
      ...s.segment(seg(l, c, ['ACK', 'PSH'], 'ping\n')),
      ...s.segment(seg(c, l, ['FIN', 'ACK'])),
      ...s.segment(seg(l, c, ['FIN', 'ACK'])),
    ];
    expect(kinds(events)).toEqual([
      'socket.open/captured',
      'socket.data/captured',
      'socket.data/captured',
      'socket.close/captured',
    ]);
    expect(events.map((e) => (e.kind === 'socket.data' ? e.dir : null)).filter(Boolean)).toEqual(['in', 'out']);
    expect(events[3]).toMatchObject({ conn: 'g2', bytesIn: 5, bytesOut: 5, reason: 'eof' });
  });

  it('a captured connection the poll then finds is one lane: the poll closes it, not the FINs', () => {
    const s = new ProgramSockets();
    s.update([LISTENER], 0);
    const opened = s.segment(seg('127.0.0.1:50002', '127.0.0.1:7000', ['SYN']));
    expect(kinds(opened)).toEqual(['socket.open/captured']);
    expect(s.update([LISTENER, row('127.0.0.1:7000', '127.0.0.1:50002', 'ESTABLISHED', 12)], 5)).toEqual([]);
    expect(s.segment(seg('127.0.0.1:50002', '127.0.0.1:7000', ['FIN', 'ACK']))).toEqual([]);
    expect(s.segment(seg('127.0.0.1:7000', '127.0.0.1:50002', ['FIN', 'ACK']))).toEqual([]);
    expect(kinds(s.update([LISTENER], 9))).toEqual(['socket.close/polled']);
  });

  it('bytes of a dial not polled yet wait for it, then arrive on its connection', () => {
    const s = new ProgramSockets();
    expect(s.segment(seg('127.0.0.1:41000', '127.0.0.1:7401', ['ACK', 'PSH'], 'hello'))).toEqual([]);
    const events = s.update([row('127.0.0.1:41000', '127.0.0.1:7401', 'ESTABLISHED', 20)], 100);
    expect(kinds(events)).toEqual(['socket.open/polled', 'socket.data/captured']);
    expect(events[1]).toMatchObject({ dir: 'out', len: 5, b64: Buffer.from('hello').toString('base64') });
  });

  it('a wildcard listener takes SYNs to any address on its port; the end of a run closes what is open', () => {
    const s = new ProgramSockets();
    s.update([row('[::]:7000', '[::]:0', 'LISTEN', 10)], 0);
    expect(kinds(s.segment(seg('[::1]:50003', '[::1]:7000', ['SYN'])))).toEqual(['socket.open/captured']);
    expect(kinds(s.closeAll())).toEqual(['socket.close/captured']);
  });

  it('counts every captured byte in the stats, the data events left out as unreported', () => {
    const s = new ProgramSockets();
    s.update([LISTENER], 0);
    const c = '127.0.0.1:50004';
    const l = '127.0.0.1:7000';
    const [opened] = s.segment(seg(c, l, ['SYN']));
    const conn = opened!.kind === 'socket.open' ? opened!.conn : '';
    s.segment(seg(c, l, ['ACK', 'PSH'], 'abc'));
    const [left] = s.segment(seg(l, c, ['ACK', 'PSH'], 'abc'));
    s.unreported(left!.kind === 'socket.data' ? left!.conn : '');
    expect(s.stats()).toEqual([{ conn, bytesIn: 3, bytesOut: 3, readsIn: 1, writesOut: 1, unreported: 1 }]);
    // Nothing changed since: nothing to send.
    expect(s.stats()).toEqual([]);
  });

  it('claims only its own segments: a capture on a port it dials also sees other clients of that port', () => {
    const s = new ProgramSockets();
    s.update([LISTENER, row('127.0.0.1:41000', '127.0.0.1:7401', 'ESTABLISHED', 20)], 0);
    expect(s.ownsSegment('127.0.0.1:41000', '127.0.0.1:7401')).toBe(true);
    expect(s.ownsSegment('127.0.0.1:7401', '127.0.0.1:41000')).toBe(true);
    expect(s.ownsSegment('127.0.0.1:52000', '127.0.0.1:7000')).toBe(true);
    // Another client of the dialled demo port.
    expect(s.ownsSegment('127.0.0.1:41999', '127.0.0.1:7401')).toBe(false);
    expect(s.ownsSegment('127.0.0.1:7401', '127.0.0.1:41999')).toBe(false);
  });
});
