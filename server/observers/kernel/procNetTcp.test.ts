import net from 'node:net';
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeProcAddress, parseProcNetTcp } from './procNetTcp.js';

// Captured from this kind of machine (x86-64, little-endian): a listener on 127.0.0.1:8080, a client that closed
// first (FIN_WAIT2, timer running) and the server side left in CLOSE_WAIT with one unread byte (the FIN).
const TCP4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14182 1 00000000542db49a 100 0 0 10 0
   2: 0100007F:9A54 0100007F:1F90 05 00000000:00000000 03:0000176B 00000000     0        0 0 3 00000000f24aaa7d
   3: 0100007F:1F90 0100007F:9A54 08 00000000:00000001 00:00000000 00000000     0        0 14185 1 000000004b7b6818 20 4 0 10 -1
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14183 1 0000000048c803fe 100 0 0 10 0
   1: 00000000000000000000000001000000:1F91 00000000000000000000000001000000:8126 06 00000000:00000000 03:0000176A 00000000     0        0 0 3 000000006cf8277c
   2: 0000000000000000FFFF00000100007F:1F92 0000000000000000FFFF00000100007F:C000 01 00000010:00000000 01:00000014 00000000  1000        0 999 2 00000000553f6c34 20 4 0 10 -1
`;

describe('parseProcNetTcp', () => {
  it('reads IPv4 lines: host-order addresses, hex ports, states, queues and the timer', () => {
    const { sockets, badLines } = parseProcNetTcp(TCP4, { littleEndian: true });
    expect(badLines).toEqual([]);
    expect(sockets).toEqual([
      { local: '127.0.0.1:8080', remote: '0.0.0.0:0', localPort: 8080, remotePort: 0, state: 'LISTEN', timerKind: 0, timerMs: 0, sendQueue: 0, receiveQueue: 0, inode: 14182 },
      { local: '127.0.0.1:39508', remote: '127.0.0.1:8080', localPort: 39508, remotePort: 8080, state: 'FIN_WAIT2', timerKind: 3, timerMs: 59950, sendQueue: 0, receiveQueue: 0, inode: 0 },
      { local: '127.0.0.1:8080', remote: '127.0.0.1:39508', localPort: 8080, remotePort: 39508, state: 'CLOSE_WAIT', timerKind: 0, timerMs: 0, sendQueue: 0, receiveQueue: 1, inode: 14185 },
    ]);
  });

  it('reads IPv6 lines word by word, including IPv4-mapped addresses', () => {
    const { sockets, badLines } = parseProcNetTcp(TCP6, { littleEndian: true });
    expect(badLines).toEqual([]);
    expect(sockets.map((s) => [s.local, s.remote, s.state, s.timerMs, s.sendQueue])).toEqual([
      ['[::1]:8081', '[::]:0', 'LISTEN', 0, 0],
      ['[::1]:8081', '[::1]:33062', 'TIME_WAIT', 59940, 0],
      ['[::ffff:127.0.0.1]:8082', '[::ffff:127.0.0.1]:49152', 'ESTABLISHED', 200, 16],
    ]);
  });

  it('reads a big-endian machine\'s text (words printed most significant byte first)', () => {
    expect(decodeProcAddress('7F000001', false)).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000000000000000000000000001', false)).toBe('::1');
    expect(decodeProcAddress('FE800000000000000000000000000001', false)).toBe('fe80::1');
    expect(decodeProcAddress('000080FE000000000000000001000000', true)).toBe('fe80::1');
  });

  it('maps every Linux state number, and NEW_SYN_RECV to SYN_RECV', () => {
    const names = Array.from({ length: 12 }, (_, i) => {
      const st = (i + 1).toString(16).toUpperCase().padStart(2, '0');
      return parseProcNetTcp(`0: 0100007F:0050 0100007F:0051 ${st} 00000000:00000000 00:00000000 00000000 0 0 1 1`, { littleEndian: true }).sockets[0]?.state;
    });
    expect(names).toEqual(['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSED', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'SYN_RECV']);
  });

  it('collects lines it cannot read instead of throwing', () => {
    const text = [
      '0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1',
      '1: XYZ:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1',
      '2: 0100007F:1F90 00000000:0000 FF 00000000:00000000 00:00000000 00000000 0 0 1 1',
      '3: 0100007F',
      'garbage',
    ].join('\n');
    const { sockets, badLines } = parseProcNetTcp(text, { littleEndian: true });
    expect(sockets).toHaveLength(1);
    expect(badLines).toHaveLength(4);
  });

  it('finds the sockets this test opens in the live table, in the states it puts them in', async () => {
    const littleEndian = os.endianness() === 'LE';
    const server = net.createServer((s) => s.on('data', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    const client = net.connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const serverSide = await accepted;
    const clientPort = client.localPort!;
    const ours = async () =>
      parseProcNetTcp(await readFile('/proc/net/tcp', 'utf8'), { littleEndian }).sockets.filter((s) => s.localPort === port || s.remotePort === port);

    const open = await ours();
    expect(open.map((s) => [s.local, s.remote, s.state]).sort()).toEqual(
      [
        [`127.0.0.1:${port}`, '0.0.0.0:0', 'LISTEN'],
        [`127.0.0.1:${port}`, `127.0.0.1:${clientPort}`, 'ESTABLISHED'],
        [`127.0.0.1:${clientPort}`, `127.0.0.1:${port}`, 'ESTABLISHED'],
      ].sort(),
    );

    // Client closes first, the server answers with its own close: the client waits out 2MSL in TIME_WAIT.
    const serverClosed = new Promise((r) => serverSide.once('close', r));
    serverSide.once('end', () => serverSide.end());
    client.end();
    await serverClosed;
    await new Promise((r) => setTimeout(r, 20));
    const closed = await ours();
    const timeWait = closed.find((s) => s.localPort === clientPort);
    expect(timeWait?.state).toBe('TIME_WAIT');
    expect(timeWait?.timerKind).toBe(3);
    // Linux's TIME_WAIT is a fixed 60 s (TCP_TIMEWAIT_LEN); the timer has only just started.
    expect(timeWait?.timerMs).toBeGreaterThan(55_000);
    expect(timeWait?.timerMs).toBeLessThanOrEqual(60_000);
    expect(closed.find((s) => s.localPort === port && s.remotePort === clientPort)).toBeUndefined();
    client.destroy();
    await new Promise((r) => server.close(r));
  });
});
