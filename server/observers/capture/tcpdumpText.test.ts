import { describe, expect, it } from 'vitest';
import { parseTcpdumpText } from './tcpdumpText.js';

// Real output of `tcpdump -n -tt -S -r` for a connection that sent "hello" and closed (IPv4), plus IPv6 and RST lines.
const TEXT = `reading from file /tmp/t.pcap, link-type EN10MB (Ethernet), snapshot length 262144
1795312582.614169 IP 127.0.0.1.41056 > 127.0.0.1.45678: Flags [S], seq 1730411970, win 65495, options [mss 65495,sackOK,TS val 3470321869 ecr 0,nop,wscale 10], length 0
1795312582.614192 IP 127.0.0.1.45678 > 127.0.0.1.41056: Flags [S.], seq 952816858, ack 1730411971, win 65483, options [mss 65495,sackOK,TS val 2175538427 ecr 3470321869,nop,wscale 10], length 0
1795312582.614213 IP 127.0.0.1.41056 > 127.0.0.1.45678: Flags [.], ack 952816859, win 64, options [nop,nop,TS val 3470321869 ecr 2175538427], length 0
1795312582.614278 IP 127.0.0.1.41056 > 127.0.0.1.45678: Flags [P.], seq 1730411971:1730411976, ack 952816859, win 64, options [nop,nop,TS val 3470321869 ecr 2175538427], length 5
1795312582.614305 IP 127.0.0.1.41056 > 127.0.0.1.45678: Flags [F.], seq 1730411976, ack 952816859, win 64, options [nop,nop,TS val 3470321869 ecr 2175538427], length 0
1795312583.000001 IP6 ::1.5000 > ::1.6000: Flags [R.], seq 0, ack 77, win 0, length 0
8 packets captured`;

describe('parseTcpdumpText', () => {
  it('reads flags, seq (when printed), ack and length of each TCP line', () => {
    expect(parseTcpdumpText(TEXT)).toEqual([
      {
        time: 1795312582.614169,
        from: '127.0.0.1:41056',
        to: '127.0.0.1:45678',
        flags: ['SYN'],
        seq: 1730411970,
        ack: null,
        length: 0,
      },
      {
        time: 1795312582.614192,
        from: '127.0.0.1:45678',
        to: '127.0.0.1:41056',
        flags: ['SYN', 'ACK'],
        seq: 952816858,
        ack: 1730411971,
        length: 0,
      },
      {
        time: 1795312582.614213,
        from: '127.0.0.1:41056',
        to: '127.0.0.1:45678',
        flags: ['ACK'],
        seq: null,
        ack: 952816859,
        length: 0,
      },
      {
        time: 1795312582.614278,
        from: '127.0.0.1:41056',
        to: '127.0.0.1:45678',
        flags: ['PSH', 'ACK'],
        seq: 1730411971,
        ack: 952816859,
        length: 5,
      },
      {
        time: 1795312582.614305,
        from: '127.0.0.1:41056',
        to: '127.0.0.1:45678',
        flags: ['FIN', 'ACK'],
        seq: 1730411976,
        ack: 952816859,
        length: 0,
      },
      {
        time: 1795312583.000001,
        from: '[::1]:5000',
        to: '[::1]:6000',
        flags: ['RST', 'ACK'],
        seq: 0,
        ack: 77,
        length: 0,
      },
    ]);
  });
});
