// Checks of exercise 22. The checker runs its own upstream over real TCP (through the lab's bridge) and switches it
// between answering "ok", answering an error and stalling; it counts the connections that reach it, so a breaker
// that "fails fast" but still dials is caught. The breaker's time is a clock the checker moves by hand.
import { bufio, go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import type * as Exercise from './start';

type Ex = typeof Exercise;
type Mode = 'ok' | 'error' | 'stall';

interface Upstream {
  addr: string;
  mode: Mode;
  /** Connections accepted so far. */
  reached: number;
  stop(): void;
}

async function upstream(t: CheckContext): Promise<Upstream> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null)
    return t.fail({ en: `The checker could not listen: ${err.message}`, zh: `检查程序无法监听：${err.message}` });
  const u: Upstream = { addr: ln.addr().string(), mode: 'ok', reached: 0, stop: () => void ln.close() };
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      u.reached++;
      const mode = u.mode;
      go(async () => {
        const [, rerr] = await bufio.newReader(conn).readString('\n');
        if (rerr === null && mode === 'ok') await conn.write('ok\n');
        else if (rerr === null && mode === 'error') await conn.write('ERR upstream failing\n');
        else if (rerr === null) await time.sleep(800); // stalled: the caller's deadline ends its wait
        conn.close();
      });
    }
  });
  return u;
}

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const OPTS = { threshold: 3, openMs: 1000 };

/** A breaker opened by three failed calls, its clock, and the upstream. */
async function opened(ex: Ex, t: CheckContext) {
  const u = await upstream(t);
  const c = clock();
  const b = new ex.Breaker(OPTS, c.now);
  const call = () => b.call(() => ex.callUpstream(u.addr, 400));
  u.mode = 'error';
  for (let i = 0; i < OPTS.threshold; i++) await call();
  t.expect(b.state() === 'open', {
    en: `After ${OPTS.threshold} failures in a row (threshold ${OPTS.threshold}) the breaker should be open; state() is ${JSON.stringify(b.state())}.`,
    zh: `连续失败 ${OPTS.threshold} 次（阈值 ${OPTS.threshold}）之后熔断器应处于打开状态；state() 返回 ${JSON.stringify(b.state())}。`,
  });
  return { u, c, b, call };
}

export default defineChecks<Ex>([
  {
    name: { en: 'Closed: calls go through and return their result', zh: '关闭：调用通过并返回其结果' },
    async run(ex, t) {
      const u = await upstream(t);
      const b = new ex.Breaker(OPTS, clock().now);
      const ok = await b.call(() => ex.callUpstream(u.addr, 400));
      u.mode = 'error';
      const failed = await b.call(() => ex.callUpstream(u.addr, 400));
      u.stop();
      t.expect(ok === null && failed !== null && failed !== ex.ErrOpen, {
        en: `A closed breaker returns the upstream's own result: expected null, then the upstream's error; got ${String(ok?.message ?? ok)}, ${String(failed?.message ?? failed)}.`,
        zh: `关闭的熔断器返回上游自己的结果：应依次得到 null 和上游的错误；实际是 ${String(ok?.message ?? ok)}、${String(failed?.message ?? failed)}。`,
      });
      t.expect(b.state() === 'closed' && u.reached === 2, {
        en: `One failure is below the threshold: the breaker stays closed and both calls reach the upstream (state ${b.state()}, reached ${u.reached}).`,
        zh: `一次失败低于阈值：熔断器保持关闭，两次调用都到达上游（状态 ${b.state()}，到达 ${u.reached} 次）。`,
      });
    },
  },
  {
    name: {
      en: 'Opens after threshold failures in a row, then fails fast',
      zh: '连续失败达到阈值后打开，然后快速失败',
    },
    async run(ex, t) {
      const { u, call } = await opened(ex, t);
      const before = u.reached;
      const results = [await call(), await call(), await call()];
      u.stop();
      t.expect(
        results.every((r) => r === ex.ErrOpen),
        {
          en: `While open, every call must return ErrOpen; got ${results.map((r) => String(r?.message ?? r)).join(', ')}.`,
          zh: `打开期间，每个调用都必须返回 ErrOpen；实际是 ${results.map((r) => String(r?.message ?? r)).join('、')}。`,
        },
      );
      t.expect(u.reached === before, {
        en: `Failing fast means not calling: ${u.reached - before} call(s) still reached the upstream while the breaker was open.`,
        zh: `快速失败意味着不去调用：熔断器打开期间仍有 ${u.reached - before} 次调用到达了上游。`,
      });
    },
  },
  {
    name: { en: 'A success resets the count of failures', zh: '一次成功会把失败计数清零' },
    async run(ex, t) {
      const u = await upstream(t);
      const b = new ex.Breaker(OPTS, clock().now);
      const call = () => b.call(() => ex.callUpstream(u.addr, 400));
      u.mode = 'error';
      await call();
      await call();
      u.mode = 'ok';
      await call();
      u.mode = 'error';
      await call();
      await call();
      u.stop();
      t.expect(b.state() === 'closed', {
        en: `Failures must be in a row: fail, fail, ok, fail, fail should leave it closed (threshold 3); state() is ${JSON.stringify(b.state())}.`,
        zh: `失败必须是连续的：失败、失败、成功、失败、失败之后应保持关闭（阈值 3）；state() 返回 ${JSON.stringify(b.state())}。`,
      });
    },
  },
  {
    name: { en: 'Half-open after openMs; a good probe closes it', zh: '经过 openMs 后半开；探测成功则关闭' },
    async run(ex, t) {
      const { u, c, b, call } = await opened(ex, t);
      c.advance(OPTS.openMs - 1);
      const early = await call();
      t.expect(b.state() === 'open' && early === ex.ErrOpen, {
        en: `1 ms before openMs is over the breaker is still open and fails fast; state ${b.state()}, call returned ${String(early?.message ?? early)}.`,
        zh: `openMs 结束前 1 毫秒熔断器仍然打开并快速失败；状态 ${b.state()}，调用返回 ${String(early?.message ?? early)}。`,
      });
      c.advance(1);
      t.expect(b.state() === 'half-open', {
        en: `Once openMs have passed, state() should be "half-open"; it is ${JSON.stringify(b.state())}.`,
        zh: `经过 openMs 之后，state() 应为“half-open”；实际是 ${JSON.stringify(b.state())}。`,
      });
      u.mode = 'ok';
      const before = u.reached;
      const probe = await call();
      u.stop();
      t.expect(probe === null && u.reached === before + 1 && b.state() === 'closed', {
        en: `The probe must reach the upstream, succeed and close the breaker; result ${String(probe?.message ?? probe)}, reached ${u.reached - before}, state ${b.state()}.`,
        zh: `探测必须到达上游、成功并关闭熔断器；结果 ${String(probe?.message ?? probe)}，到达 ${u.reached - before} 次，状态 ${b.state()}。`,
      });
    },
  },
  {
    name: { en: 'A failed probe opens it again', zh: '探测失败则再次打开' },
    async run(ex, t) {
      const { u, c, b, call } = await opened(ex, t);
      c.advance(OPTS.openMs);
      const probe = await call(); // the upstream still answers errors
      const next = await call();
      u.stop();
      t.expect(probe !== null && probe !== ex.ErrOpen && b.state() === 'open' && next === ex.ErrOpen, {
        en: `A probe that fails opens the breaker at once for another openMs: probe ${String(probe?.message ?? probe)}, state ${b.state()}, next call ${String(next?.message ?? next)}.`,
        zh: `失败的探测应立即让熔断器再打开 openMs：探测 ${String(probe?.message ?? probe)}，状态 ${b.state()}，下一个调用 ${String(next?.message ?? next)}。`,
      });
    },
  },
  {
    name: { en: 'Half-open lets one probe through at a time', zh: '半开时一次只放一个探测通过' },
    timeoutMs: 5000,
    async run(ex, t) {
      const { u, c, b } = await opened(ex, t);
      c.advance(OPTS.openMs);
      u.mode = 'stall';
      const before = u.reached;
      let probe: Error | null | 'pending' = 'pending';
      go(async () => {
        probe = await b.call(() => ex.callUpstream(u.addr, 300));
      });
      await time.sleep(0); // the probe starts
      const second = await b.call(() => ex.callUpstream(u.addr, 300));
      t.expect(second === ex.ErrOpen, {
        en: `While a probe is out, another call must fail fast with ErrOpen; it returned ${String((second as Error | null)?.message ?? second)}.`,
        zh: `探测尚未返回时，另一个调用必须以 ErrOpen 快速失败；它返回了 ${String((second as Error | null)?.message ?? second)}。`,
      });
      for (let waited = 0; probe === 'pending' && waited < 3000; waited += 50) await time.sleep(50);
      u.stop();
      t.expect(u.reached === before + 1 && b.state() === 'open', {
        en: `Only the probe reaches the stalled upstream, and its timeout opens the breaker again (reached ${u.reached - before}, state ${b.state()}).`,
        zh: `只有探测到达停滞的上游，它的超时让熔断器再次打开（到达 ${u.reached - before} 次，状态 ${b.state()}）。`,
      });
    },
  },
]);
