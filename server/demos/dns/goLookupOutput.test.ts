// What main.go prints (copied from a real run against the lab's server) is read back into Go's fields.
import { describe, expect, it } from 'vitest';
import { parseGoLookups } from './goLookupOutput.js';

const OUTPUT = `  dial udp 127.0.0.1:36082 (for shop.lab.test.)
lookup shop.lab.test.: ok [10.0.0.7 fd00::7] in 8ms
lookup nothere.lab.test.: error "lookup nothere.lab.test. on 10.255.255.53:53: no such host" err="no such host" IsNotFound=true IsTimeout=false IsTemporary=false in 1ms
  -> the name does not exist: do not retry, tell the user
lookup broken.lab.test.: error "lookup broken.lab.test. on 10.255.255.53:53: server misbehaving" err="server misbehaving" IsNotFound=false IsTimeout=false IsTemporary=true in 1ms
lookup silent.lab.test.: error "lookup silent.lab.test. on 10.255.255.53:53: dial udp 127.0.0.1:36082: i/o timeout" err="dial udp 127.0.0.1:36082: i/o timeout" IsNotFound=false IsTimeout=true IsTemporary=true in 1.501s
lookup big.lab.test.: ok [10.1.0.1 10.1.0.2 10.1.0.3 10.1.0.4 ... 100 in all] in 15ms
`;

describe('parseGoLookups', () => {
  it('reads each lookup line and ignores the rest', () => {
    const lines = parseGoLookups(OUTPUT);
    expect(lines.map((l) => [l.name, l.ok, l.isNotFound, l.isTimeout, l.isTemporary, l.err])).toEqual([
      ['shop.lab.test', true, false, false, false, ''],
      ['nothere.lab.test', false, true, false, false, 'no such host'],
      ['broken.lab.test', false, false, false, true, 'server misbehaving'],
      ['silent.lab.test', false, false, true, true, 'dial udp 127.0.0.1:36082: i/o timeout'],
      ['big.lab.test', true, false, false, false, ''],
    ]);
    expect(lines[0].result).toBe('[10.0.0.7 fd00::7]');
    expect(lines[1].result).toBe('lookup nothere.lab.test. on 10.255.255.53:53: no such host');
  });
});
