import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../core/limits/tokenBucket.js';
import { admitRequest } from './requestGate.js';

function buckets(client: [number, number], global: [number, number]) {
  const clock = { now: 0 };
  const c = () => clock.now;
  return {
    clock,
    client: new TokenBucket({ perSecond: client[0], burst: client[1], clock: c }),
    other: new TokenBucket({ perSecond: client[0], burst: client[1], clock: c }),
    global: new TokenBucket({ perSecond: global[0], burst: global[1], clock: c }),
  };
}

describe('admitRequest', () => {
  it('takes a token from both buckets when both have one', () => {
    const { client, global } = buckets([10, 5], [10, 5]);
    expect(admitRequest(client, global, 0)).toEqual({ accepted: true });
    expect(client.level(0)).toBe(4);
    expect(global.level(0)).toBe(4);
  });

  it('a client past its own burst is refused by its bucket, and the global bucket keeps its tokens', () => {
    const { client, global } = buckets([10, 2], [100, 50]);
    admitRequest(client, global, 0);
    admitRequest(client, global, 0);
    const v = admitRequest(client, global, 0);
    expect(v).toMatchObject({ accepted: false, by: 'client' });
    expect(v.accepted ? 0 : v.retryAfterMs).toBeCloseTo(100);
    expect(global.level(0)).toBe(48);
  });

  it('the global bucket limits all clients together, and a refused client keeps its own token', () => {
    const { client, other, global } = buckets([100, 10], [10, 3]);
    admitRequest(client, global, 0);
    admitRequest(client, global, 0);
    admitRequest(other, global, 0);
    const v = admitRequest(other, global, 0);
    expect(v).toMatchObject({ accepted: false, by: 'global' });
    expect(other.level(0)).toBe(9);
  });

  it('over time accepts the smaller of the two rates', () => {
    const { clock, client, global } = buckets([50, 1], [20, 1]);
    let accepted = 0;
    for (let i = 0; i < 1000; i++) {
      clock.now += 1; // 1000 requests a second for one second
      if (admitRequest(client, global, clock.now).accepted) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(20);
    expect(accepted).toBeLessThanOrEqual(21);
  });
});
