import { describe, expect, it } from 'vitest';
import { counterDeltas, parseNetCounters } from './netCounters.js';

const SNMP = `Ip: Forwarding DefaultTTL
Ip: 1 64
Tcp: RtoAlgorithm RtoMin RtoMax MaxConn OutSegs RetransSegs
Tcp: 1 200 120000 -1 1454 160
Udp: InDatagrams
Udp: 3
`;
const NETSTAT = `TcpExt: SyncookiesSent TCPTimeouts TCPSackRecovery
TcpExt: 0 2 21
IpExt: InNoRoutes
IpExt: 0
`;

describe('parseNetCounters', () => {
  it('joins header and value lines of /proc/net/snmp and /proc/net/netstat', () => {
    const c = parseNetCounters(SNMP + NETSTAT);
    expect(c.get('Tcp:RetransSegs')).toBe(160);
    expect(c.get('Tcp:MaxConn')).toBe(-1);
    expect(c.get('TcpExt:TCPSackRecovery')).toBe(21);
    expect(c.get('Udp:InDatagrams')).toBe(3);
  });

  it('skips a pair whose lines disagree, and still reads the rest', () => {
    const c = parseNetCounters('Tcp: A B\nTcp: 1\nTcpExt: TCPTimeouts\nTcpExt: 4\n');
    expect(c.has('Tcp:A')).toBe(false);
    expect(c.get('TcpExt:TCPTimeouts')).toBe(4);
  });
});

describe('counterDeltas', () => {
  it('lists the named counters before and after, leaving out ones this kernel lacks', () => {
    const before = parseNetCounters('Tcp: RetransSegs OutSegs\nTcp: 0 10\n');
    const after = parseNetCounters('Tcp: RetransSegs OutSegs\nTcp: 13 900\n');
    expect(counterDeltas(before, after, ['Tcp:RetransSegs', 'TcpExt:Missing'])).toEqual([
      { name: 'Tcp:RetransSegs', before: 0, after: 13 },
    ]);
  });
});
