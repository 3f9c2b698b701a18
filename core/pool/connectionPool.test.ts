// The pool's bookkeeping on fake connections, a hand-moved clock and hand-fired timers.
import { describe, expect, it } from 'vitest';
import { ConnectionPool, type PoolSettings } from './connectionPool.js';

interface FakeConn {
  id: number;
  alive: boolean;
  closed: boolean;
}

function harness(settings: Partial<PoolSettings> = {}, dialFails = () => false) {
  let now = 0;
  let nextId = 1;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const conns: FakeConn[] = [];
  const pool = new ConnectionPool<FakeConn>(
    {
      maxOpen: 2,
      maxIdle: 2,
      idleTimeoutMs: 0,
      maxWaiting: 4,
      waitTimeoutMs: 100,
      healthCheck: true,
      ...settings,
    },
    {
      dial: () => {
        if (dialFails()) return Promise.reject(new Error('ECONNREFUSED'));
        const c = { id: nextId++, alive: true, closed: false };
        conns.push(c);
        return Promise.resolve(c);
      },
      close: (c) => {
        c.closed = true;
      },
      healthy: (c) => c.alive,
      clock: () => now,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return () => {
          t.live = false;
        };
      },
    },
  );
  /** Moves the clock and fires the timers now due, in order. */
  const advance = async (ms: number) => {
    now += ms;
    for (;;) {
      const due = timers.filter((t) => t.live && t.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      due.fn();
    }
    await flush();
  };
  return { pool, conns, advance };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ConnectionPool', () => {
  it('dials on the first checkout and reuses the connection given back, without a new handshake', async () => {
    const { pool } = harness();
    const a = await pool.acquire();
    expect(a.reused).toBe(false);
    pool.release(a.conn);
    const b = await pool.acquire();
    expect(b).toEqual({ conn: a.conn, reused: true });
    expect(pool.counters).toMatchObject({ dials: 1, reuses: 1 });
  });

  it('hands out the newest idle connection first (LIFO, as net/http and database/sql do)', async () => {
    const { pool } = harness();
    const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
    pool.release(a.conn);
    pool.release(b.conn);
    expect((await pool.acquire()).conn).toBe(b.conn);
  });

  it('never opens more than maxOpen: the next caller waits and gets the first connection given back', async () => {
    const { pool } = harness({ maxOpen: 1 });
    const a = await pool.acquire();
    let got: unknown = null;
    const waiting = pool.acquire().then((l) => (got = l));
    await flush();
    expect(got).toBeNull();
    expect(pool.gauges()).toMatchObject({ open: 1, inUse: 1, waiting: 1 });
    pool.release(a.conn);
    await waiting;
    expect(got).toEqual({ conn: a.conn, reused: true });
    expect(pool.counters).toMatchObject({ dials: 1, waited: 1, waitTimeouts: 0 });
  });

  it('times a waiting caller out with E_POOL_WAIT_TIMEOUT and keeps the connection count', async () => {
    const { pool, advance } = harness({ maxOpen: 1, waitTimeoutMs: 50 });
    await pool.acquire();
    const waiting = pool.acquire();
    const settled = waiting.catch((e: unknown) => e);
    await advance(49);
    expect(pool.gauges().waiting).toBe(1);
    await advance(1);
    expect(await settled).toMatchObject({ code: 'E_POOL_WAIT_TIMEOUT' });
    expect(pool.gauges()).toMatchObject({ waiting: 0, open: 1 });
    expect(pool.counters.waitTimeouts).toBe(1);
  });

  it('refuses a caller at once with E_POOL_QUEUE_FULL when maxWaiting callers already wait', async () => {
    const { pool } = harness({ maxOpen: 1, maxWaiting: 1 });
    await pool.acquire();
    void pool.acquire().catch(() => undefined);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'E_POOL_QUEUE_FULL' });
    expect(pool.counters.queueFull).toBe(1);
  });

  it('closes a connection given back when maxIdle are idle already', async () => {
    const { pool } = harness({ maxOpen: 3, maxIdle: 1 });
    const leases = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    for (const l of leases) pool.release(l.conn);
    expect(pool.gauges()).toMatchObject({ idle: 1, open: 1 });
    expect(leases.filter((l) => l.conn.closed)).toHaveLength(2);
    expect(pool.counters.closedOverMaxIdle).toBe(2);
  });

  it('with maxIdle 0 keeps nothing: every request dials (dial per request)', async () => {
    const { pool } = harness({ maxIdle: 0 });
    for (let i = 0; i < 5; i++) {
      const l = await pool.acquire();
      expect(l.reused).toBe(false);
      pool.release(l.conn);
    }
    expect(pool.counters).toMatchObject({ dials: 5, reuses: 0, closedOverMaxIdle: 5 });
  });

  it('closes idle connections after idleTimeoutMs on its own timer, and not before', async () => {
    const { pool, advance } = harness({ idleTimeoutMs: 1000 });
    const a = await pool.acquire();
    pool.release(a.conn);
    await advance(999);
    expect(a.conn.closed).toBe(false);
    await advance(1);
    expect(a.conn.closed).toBe(true);
    expect(pool.gauges().idle).toBe(0);
    expect(pool.counters.closedIdleTimeout).toBe(1);
    const b = await pool.acquire();
    expect(b.reused).toBe(false);
  });

  it('keeps a connection that was reused before its idle timeout ran out', async () => {
    const { pool, advance } = harness({ idleTimeoutMs: 1000 });
    const a = await pool.acquire();
    pool.release(a.conn);
    await advance(600);
    expect((await pool.acquire()).conn).toBe(a.conn);
    pool.release(a.conn);
    await advance(600);
    expect(a.conn.closed).toBe(false);
    await advance(400);
    expect(a.conn.closed).toBe(true);
  });

  it('health check: an idle connection the peer reset is discarded, never handed out', async () => {
    const { pool } = harness();
    const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
    pool.release(a.conn);
    pool.release(b.conn);
    a.conn.alive = false;
    b.conn.alive = false;
    const c = await pool.acquire();
    expect(c.reused).toBe(false);
    expect(c.conn).not.toBe(a.conn);
    expect(c.conn).not.toBe(b.conn);
    expect(a.conn.closed && b.conn.closed).toBe(true);
    expect(pool.counters).toMatchObject({ discardedUnhealthy: 2, dials: 3 });
  });

  it('without the health check the dead connection is handed out; given back broken, it is closed', async () => {
    const { pool } = harness({ healthCheck: false });
    const a = await pool.acquire();
    pool.release(a.conn);
    a.conn.alive = false;
    const b = await pool.acquire();
    expect(b.conn).toBe(a.conn);
    pool.release(b.conn, true);
    expect(a.conn.closed).toBe(true);
    expect(pool.counters).toMatchObject({ discardedUnhealthy: 0, closedBroken: 1 });
    expect((await pool.acquire()).reused).toBe(false);
  });

  it('a broken connection frees its slot for a waiting caller, who dials', async () => {
    const { pool } = harness({ maxOpen: 1 });
    const a = await pool.acquire();
    const waiting = pool.acquire();
    pool.release(a.conn, true);
    const b = await waiting;
    expect(b.reused).toBe(false);
    expect(pool.counters.dials).toBe(2);
  });

  it('a failed dial frees its slot and counts; the caller gets the error', async () => {
    let fail = true;
    const { pool } = harness({ maxOpen: 1 }, () => fail);
    await expect(pool.acquire()).rejects.toThrow('ECONNREFUSED');
    expect(pool.gauges().open).toBe(0);
    fail = false;
    await expect(pool.acquire()).resolves.toMatchObject({ reused: false });
    expect(pool.counters).toMatchObject({ dialFailures: 1, dials: 1 });
  });

  it('close: idle closed, waiters refused with E_POOL_CLOSED, in-use closed when given back', async () => {
    const { pool } = harness({ maxOpen: 2 });
    const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
    pool.release(a.conn);
    const waiting = pool.acquire().catch((e: unknown) => e);
    expect(((await waiting) as { conn: FakeConn }).conn).toBe(a.conn);
    const w2 = pool.acquire().catch((e: unknown) => e);
    pool.close();
    expect(await w2).toMatchObject({ code: 'E_POOL_CLOSED' });
    pool.release(b.conn);
    expect(b.conn.closed).toBe(true);
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'E_POOL_CLOSED' });
  });

  it('rejects a release of a connection it did not hand out, and settings out of range', async () => {
    const { pool } = harness();
    expect(() => pool.release({ id: 99, alive: true, closed: false })).toThrow(RangeError);
    expect(() => harness({ maxOpen: 0 })).toThrow(/maxOpen/);
    expect(() => harness({ maxIdle: -1 })).toThrow(/maxIdle/);
    expect(() => harness({ waitTimeoutMs: 0.5 })).toThrow(/waitTimeoutMs/);
  });

  it('under many callers the open count never passes maxOpen and every caller is served', async () => {
    const { pool } = harness({ maxOpen: 3, maxIdle: 3, maxWaiting: 100 });
    let peak = 0;
    await Promise.all(
      Array.from({ length: 40 }, async () => {
        const l = await pool.acquire();
        peak = Math.max(peak, pool.gauges().open);
        await flush();
        pool.release(l.conn);
      }),
    );
    expect(peak).toBeLessThanOrEqual(3);
    expect(pool.counters.dials).toBeLessThanOrEqual(3);
    expect(pool.counters.dials + pool.counters.reuses).toBe(40);
  });
});
