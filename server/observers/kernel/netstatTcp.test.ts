import { describe, expect, it } from 'vitest';
import { parseNetstatTcp } from './netstatTcp.js';

// macOS 12 layout.
const MONTEREY = `Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)     rhiwat shiwat    pid   epid  state    options
tcp4       0      0  127.0.0.1.8080         127.0.0.1.61234        ESTABLISHED 408241 146988   1234      0 0x0102 0x00000008
tcp4       0      0  127.0.0.1.61234        127.0.0.1.8080         TIME_WAIT   407961 146988   1235      0 0x2131 0x00000000
tcp4      12      0  127.0.0.1.8080         127.0.0.1.61240        CLOSE_WAIT  408241 146988   1234      0 0x0102 0x00000008
tcp6       0      0  ::1.8081               *.*                    LISTEN      131072 131072   1234      0 0x0100 0x00000106
tcp46      0      0  *.8082                 *.*                    LISTEN      131072 131072   1234      0 0x0100 0x00000106
tcp6       0      0  fe80::1%lo0.8083       fe80::1%lo0.50001      SYN_RECEIVED 131072 131072  1234      0 0x0100 0x00000106
udp4       0      0  *.5353                 *.*                               786896   9216    321      0 0x0100 0x00000000
`;

// macOS 14 adds byte counters and a process column after the state; the first six columns stay put.
const SONOMA = `Active Internet connections (including servers)
Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)      rxbytes      txbytes  rhiwat  shiwat    pid   epid state  options           gencnt    flags   flags1 usscnt rtncnt fltrs
tcp4       0      0  127.0.0.1.8080         127.0.0.1.61234        FIN_WAIT_2         5            5  408241  146988 node:1234   1234 0x0102 0x00000008 0x0000000000001 0x00000000 0x00000000      0      0 0000000
tcp4       0      0  127.0.0.1.61234        127.0.0.1.8080         LAST_ACK           5            5  407961  146988 node:1235   1235 0x2131 0x00000000 0x0000000000002 0x00000000 0x00000000      0      0 0000000
tcp4       0      0  127.0.0.1.61300        127.0.0.1.9          SYN_SENT           0            0  407961  146988 node:1235   1235 0x2131 0x00000000 0x0000000000003 0x00000000 0x00000000      0      0 0000000
tcp4       0      0  127.0.0.1.61301        127.0.0.1.8080         FIN_WAIT_1         0            0  407961  146988 node:1235   1235 0x2131 0x00000000 0x0000000000003 0x00000000 0x00000000      0      0 0000000
tcp4       0      0  127.0.0.1.61302        127.0.0.1.8080         CLOSING            0            0  407961  146988 node:1235   1235 0x2131 0x00000000 0x0000000000003 0x00000000 0x00000000      0      0 0000000
`;

describe('parseNetstatTcp', () => {
  it('reads the macOS 12 layout: addresses with the port after the last dot, wildcards and zones', () => {
    const { sockets, badLines } = parseNetstatTcp(MONTEREY);
    expect(badLines).toEqual([]);
    expect(sockets.map((s) => [s.local, s.remote, s.state, s.receiveQueue])).toEqual([
      ['127.0.0.1:8080', '127.0.0.1:61234', 'ESTABLISHED', 0],
      ['127.0.0.1:61234', '127.0.0.1:8080', 'TIME_WAIT', 0],
      ['127.0.0.1:8080', '127.0.0.1:61240', 'CLOSE_WAIT', 12],
      ['[::1]:8081', '[::]:0', 'LISTEN', 0],
      ['[::]:8082', '[::]:0', 'LISTEN', 0],
      ['[fe80::1]:8083', '[fe80::1]:50001', 'SYN_RECV', 0],
    ]);
    expect(sockets[0]).toMatchObject({ localPort: 8080, remotePort: 61234 });
  });

  it('reads the macOS 14 layout and spells BSD states the Linux way', () => {
    const { sockets, badLines } = parseNetstatTcp(SONOMA);
    expect(badLines).toEqual([]);
    expect(sockets.map((s) => s.state)).toEqual(['FIN_WAIT2', 'LAST_ACK', 'SYN_SENT', 'FIN_WAIT1', 'CLOSING']);
  });

  it('collects tcp lines it cannot read and ignores everything else', () => {
    const { sockets, badLines } = parseNetstatTcp(
      'tcp4 0 0 nonsense 127.0.0.1.1 LISTEN\ntcp4 0 0 1.2.3.4.5 1.2.3.4.6 DANCING\nhello\n\n',
    );
    expect(sockets).toEqual([]);
    expect(badLines).toHaveLength(2);
  });
});
