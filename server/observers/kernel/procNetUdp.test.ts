import dgram from 'node:dgram';
import { readdir, readlink } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseProcNetUdp, readUdpSockets } from './procNetUdp.js';

// From a little-endian lab machine: an unconnected socket on 127.0.0.1:7420 with 64 bytes queued, and a connected
// client (ESTABLISHED) whose peer is that socket; then an IPv6 one on [::1]:7421.
const UDP4 = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 0100007F:1CFC 00000000:0000 07 00000000:00000040 00:00000000 00000000     0        0 5001 2 0000000000000000 0
  101: 0100007F:A000 0100007F:1CFC 01 00000000:00000000 00:00000000 00000000     0        0 5002 2 0000000000000000 0
`;
const UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  200: 00000000000000000000000001000000:1CFD 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5003 2 0000000000000000 0
`;

describe('parseProcNetUdp', () => {
  it('reads unconnected (CLOSE) and connected (ESTABLISHED) sockets, IPv4 and IPv6', () => {
    expect(parseProcNetUdp(UDP4, true)).toEqual({
      sockets: [
        { local: '127.0.0.1:7420', remote: '0.0.0.0:0', state: 'CLOSE', receiveQueue: 64, inode: 5001 },
        { local: '127.0.0.1:40960', remote: '127.0.0.1:7420', state: 'ESTABLISHED', receiveQueue: 0, inode: 5002 },
      ],
      badLines: [],
    });
    expect(parseProcNetUdp(UDP6, true).sockets).toEqual([
      { local: '[::1]:7421', remote: '[::]:0', state: 'CLOSE', receiveQueue: 0, inode: 5003 },
    ]);
  });

  it('reports lines it cannot read instead of throwing', () => {
    const r = parseProcNetUdp('  sl  local_address\n  1: garbage\n', true);
    expect(r.sockets).toEqual([]);
    expect(r.badLines).toHaveLength(1);
  });
});

/** Inodes of this process's sockets (`/proc/self/fd/N` → `socket:[inode]`). */
async function ownSocketInodes(): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const fd of await readdir('/proc/self/fd')) {
    const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/self/fd/${fd}`).catch(() => ''));
    if (m) inodes.add(Number(m[1]));
  }
  return inodes;
}

describe.runIf(process.platform === 'linux')('readUdpSockets (this machine)', () => {
  it("lists this test's own sockets: connect() turns a UDP socket ESTABLISHED, with no handshake", async () => {
    const server = dgram.createSocket('udp4');
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
    const client = dgram.createSocket('udp4');
    await new Promise<void>((r) => client.connect(server.address().port, '127.0.0.1', r));
    try {
      const mine = await ownSocketInodes();
      const rows = (await readUdpSockets()).filter((s) => mine.has(s.inode));
      const serverEnd = `127.0.0.1:${server.address().port}`;
      const clientEnd = `127.0.0.1:${client.address().port}`;
      expect(rows.find((r) => r.local === serverEnd)).toMatchObject({ remote: '0.0.0.0:0', state: 'CLOSE' });
      expect(rows.find((r) => r.local === clientEnd)).toMatchObject({ remote: serverEnd, state: 'ESTABLISHED' });
    } finally {
      server.close();
      client.close();
    }
  });
});
