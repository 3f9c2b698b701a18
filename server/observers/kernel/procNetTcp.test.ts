import net from 'node:net';
import os from 'node:os';
import { readFile, readdir, readlink } from 'node:fs/promises';
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

/** Inodes of the sockets this process holds open (`/proc/self/fd/N` → `socket:[inode]`). */
async function ownSocketInodes(): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(Number(m[1]));
  }
  return inodes;
}

describe('parseProcNetTcp', () => {
  it('reads IPv4 lines: host-order addresses, hex ports, states, queues and the timer', () => {
    const { sockets, badLines } = parseProcNetTcp(TCP4, { littleEndian: true });
    expect(badLines).toEqual([]);
    expect(sockets).toEqual([
      {
        local: '127.0.0.1:8080',
        remote: '0.0.0.0:0',
        localPort: 8080,
        remotePort: 0,
        state: 'LISTEN',
        timerKind: 0,
        timerMs: 0,
        sendQueue: 0,
        receiveQueue: 0,
        inode: 14182,
      },
      {
        local: '127.0.0.1:39508',
        remote: '127.0.0.1:8080',
        localPort: 39508,
        remotePort: 8080,
        state: 'FIN_WAIT2',
        timerKind: 3,
        timerMs: 59950,
        sendQueue: 0,
        receiveQueue: 0,
        inode: 0,
      },
      {
        local: '127.0.0.1:8080',
        remote: '127.0.0.1:39508',
        localPort: 8080,
        remotePort: 39508,
        state: 'CLOSE_WAIT',
        timerKind: 0,
        timerMs: 0,
        sendQueue: 0,
        receiveQueue: 1,
        inode: 14185,
      },
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

  it("reads a big-endian machine's text (words printed most significant byte first)", () => {
    expect(decodeProcAddress('7F000001', false)).toBe('127.0.0.1');
    expect(decodeProcAddress('00000000000000000000000000000001', false)).toBe('::1');
    expect(decodeProcAddress('FE800000000000000000000000000001', false)).toBe('fe80::1');
    expect(decodeProcAddress('000080FE000000000000000001000000', true)).toBe('fe80::1');
  });

  it('maps every Linux state number, and NEW_SYN_RECV to SYN_RECV', () => {
    const names = Array.from({ length: 12 }, (_, i) => {
      const st = (i + 1).toString(16).toUpperCase().padStart(2, '0');
      return parseProcNetTcp(`0: 0100007F:0050 0100007F:0051 ${st} 00000000:00000000 00:00000000 00000000 0 0 1 1`, {
        littleEndian: true,
      }).sockets[0]?.state;
    });
    expect(names).toEqual([
      'ESTABLISHED',
      'SYN_SENT',
      'SYN_RECV',
      'FIN_WAIT1',
      'FIN_WAIT2',
      'TIME_WAIT',
      'CLOSED',
      'CLOSE_WAIT',
      'LAST_ACK',
      'LISTEN',
      'CLOSING',
      'SYN_RECV',
    ]);
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
    const listenAt = `127.0.0.1:${port}`;
    const clientAt = `127.0.0.1:${clientPort}`;
    const table = async () => parseProcNetTcp(await readFile('/proc/net/tcp', 'utf8'), { littleEndian }).sockets;
    // Ours by both ends (an earlier connection to a reused port may still sit in TIME_WAIT) and, while open, by
    // inode: the table's socket must be one this process holds.
    const ends = (s: { local: string; remote: string }, local: string, remote: string) =>
      s.local === local && s.remote === remote;
    const mine = (s: { local: string; remote: string }) =>
      ends(s, listenAt, '0.0.0.0:0') || ends(s, listenAt, clientAt) || ends(s, clientAt, listenAt);

    const inodes = await ownSocketInodes();
    const open = (await table()).filter(mine);
    expect(open.map((s) => [s.local, s.remote, s.state]).sort()).toEqual(
      [
        [listenAt, '0.0.0.0:0', 'LISTEN'],
        [listenAt, clientAt, 'ESTABLISHED'],
        [clientAt, listenAt, 'ESTABLISHED'],
      ].sort(),
    );
    for (const s of open) expect(inodes.has(s.inode ?? 0)).toBe(true);

    // Client closes first, the server answers with its own close: the client waits out 2MSL in TIME_WAIT.
    const serverClosed = new Promise((r) => serverSide.once('close', r));
    serverSide.once('end', () => serverSide.end());
    client.end();
    await serverClosed;
    // The kernel finishes the close on its own time (the last ACK crosses loopback): read until it has, or 5 s.
    let closed = (await table()).filter(mine);
    for (const end = Date.now() + 5000; Date.now() < end; closed = (await table()).filter(mine)) {
      const settled =
        closed.some((s) => ends(s, clientAt, listenAt) && s.state === 'TIME_WAIT') &&
        !closed.some((s) => ends(s, listenAt, clientAt));
      if (settled) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const timeWait = closed.find((s) => ends(s, clientAt, listenAt));
    expect(timeWait?.state).toBe('TIME_WAIT');
    expect(timeWait?.timerKind).toBe(3);
    expect(timeWait?.inode).toBe(0);
    // Linux's TIME_WAIT is a fixed 60 s (TCP_TIMEWAIT_LEN); the timer has only just started (a loaded machine may
    // take seconds between the close and this read, never tens of seconds).
    expect(timeWait?.timerMs).toBeGreaterThan(40_000);
    expect(timeWait?.timerMs).toBeLessThanOrEqual(60_000);
    expect(closed.find((s) => ends(s, listenAt, clientAt))).toBeUndefined();
    client.destroy();
    await new Promise((r) => server.close(r));
  });
});
