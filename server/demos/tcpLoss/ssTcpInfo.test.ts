import { describe, expect, it } from 'vitest';
import { parseSsTcpInfo } from './ssTcpInfo.js';

// Copied from `ss -tinH` inside a loss run's namespace on the lab's machine (kernel 6.18, bbr).
const SENDER =
  'ESTAB 0      3723910 127.0.0.1:37332 127.0.0.1:5001\n' +
  '\t bbr wscale:10,10 rto:208 backoff:2 rtt:5.487/10.792 mss:47616 pmtu:65535 rcvmss:536 advmss:65483 cwnd:17 ' +
  'bytes_sent:215525 bytes_retrans:19968 bytes_acked:195558 segs_out:11 segs_in:5 data_segs_out:7 ' +
  'bbr:(bw:1548486328bps,mrtt:0.028,pacing_gain:2.88672,cwnd_gain:2.88672) send 1180203390bps lastsnd:712 ' +
  'retrans:0/1 dsack_dups:1 rcv_space:65495 rcv_ssthresh:65495 notsent:3723910 minrtt:0.028\n';
const RECEIVER =
  'ESTAB 130021 0       127.0.0.1:5001  127.0.0.1:37332\n' +
  '\t cubic wscale:10,10 rto:204 rtt:0.016/0.008 ato:80 mss:32768 cwnd:10 ssthresh:7 bytes_received:195557\n';

describe('parseSsTcpInfo', () => {
  it('reads cwnd, rtt, rto, back-off and retransmissions of each socket', () => {
    const [sender, receiver] = parseSsTcpInfo(SENDER + RECEIVER);
    expect(sender).toEqual({
      state: 'ESTAB',
      local: '127.0.0.1:37332',
      peer: '127.0.0.1:5001',
      congestion: 'bbr',
      cwnd: 17,
      ssthresh: null,
      rttMs: 5.487,
      rttVarMs: 10.792,
      rtoMs: 208,
      backoff: 2,
      retransNow: 0,
      retransTotal: 1,
      bytesAcked: 195558,
    });
    expect(receiver).toMatchObject({ congestion: 'cubic', ssthresh: 7, backoff: 0, retransNow: null, retransTotal: 0 });
  });

  it('ignores a header line, blank lines and detail without a socket line', () => {
    const text = 'State Recv-Q Send-Q Local Address:Port Peer Address:Port\n\n\t cwnd:3\n' + SENDER;
    expect(parseSsTcpInfo(text).map((s) => s.local)).toEqual(['127.0.0.1:37332']);
    expect(parseSsTcpInfo('')).toEqual([]);
  });

  it('leaves a field null when its value is not a number', () => {
    const [s] = parseSsTcpInfo('ESTAB 0 0 [::1]:1 [::1]:5001\n\t rto:x rtt:/ cwnd:4\n');
    expect(s).toMatchObject({ local: '[::1]:1', rtoMs: null, rttMs: null, cwnd: 4 });
  });
});
