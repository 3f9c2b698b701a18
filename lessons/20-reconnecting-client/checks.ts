// Checks of exercise 20. The checker's server (over real TCP, through the lab's bridge) plays a restarting server:
// it closes the first connections at once and greets later ones with HELLO, noting when each attempt arrived. The
// spacing between attempts, measured on the server's side, shows whether the client waits, doubles, caps and jitters.
import { bufio, go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import type * as Exercise from './start';

interface Script {
  /** Close this many connections at once before greeting (Infinity: never greet). */
  refuse: number;
}

interface CheckerServer {
  addr: string;
  /** Run-clock times at which each connection was accepted. */
  attempts: number[];
  /** Lines the greeted client sent afterwards. */
  received: string[];
  stop(): void;
}

async function checkerServer(t: CheckContext, script: Script): Promise<CheckerServer> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null)
    t.fail({ en: `The checker could not listen: ${err.message}`, zh: `检查程序无法监听：${err.message}` });
  const server: CheckerServer = { addr: ln.addr().string(), attempts: [], received: [], stop: () => void ln.close() };
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      server.attempts.push(time.now());
      if (server.attempts.length <= script.refuse) {
        conn.close();
        continue;
      }
      go(async () => {
        await conn.write('HELLO\n');
        const reader = bufio.newReader(conn);
        for (;;) {
          const [line, rerr] = await reader.readString('\n');
          if (rerr !== null) break;
          server.received.push(line);
        }
        conn.close();
      });
    }
  });
  return server;
}

const gapsOf = (times: number[]) => times.slice(1).map((at, i) => at - times[i]);
const ms = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');

export default defineChecks<typeof Exercise>([
  {
    name: { en: 'Connects at once to a server that greets', zh: '服务器直接问候时立即连上' },
    async run(ex, t) {
      const server = await checkerServer(t, { refuse: 0 });
      const result = await ex.connectWithBackoff(server.addr, { baseMs: 50, capMs: 400, maxAttempts: 5 });
      if (result[0] === null) {
        server.stop();
        return t.fail({
          en: `connectWithBackoff returned an error: ${JSON.stringify(result[1].message)}; the server greeted the first attempt.`,
          zh: `connectWithBackoff 返回了错误：${JSON.stringify(result[1].message)}；服务器问候了第一次尝试。`,
        });
      }
      const [conn, attempts] = result;
      t.expectEqual(attempts, 1, {
        en: 'The first attempt was greeted: connectWithBackoff must return it with attempts = 1.',
        zh: '第一次尝试就得到了问候：connectWithBackoff 应返回它，并且 attempts = 1。',
      });
      // The connection it returns is the live one: what the client writes reaches the server.
      await conn.write('READY\n');
      for (let waited = 0; server.received.length === 0 && waited < 1000; waited += 20) await time.sleep(20);
      conn.close();
      server.stop();
      t.expectEqual(server.received, ['READY\n'], {
        en: 'The server did not receive what was written on the returned connection: return the connection that was greeted, still open.',
        zh: '服务器没有收到在返回的连接上写入的内容：应返回得到问候的那条连接，并保持打开。',
      });
    },
  },
  {
    name: { en: 'Waits, doubling, up to the cap', zh: '等待时间加倍，直到上限' },
    timeoutMs: 15_000,
    async run(ex, t) {
      // random ≈ 1: each wait is its whole ceiling, 50, 100, 200, then 200 (the cap) for the rest.
      const server = await checkerServer(t, { refuse: 7 });
      const [conn] = await ex.connectWithBackoff(server.addr, {
        baseMs: 50,
        capMs: 200,
        maxAttempts: 10,
        random: () => 0.999,
      });
      conn?.close();
      server.stop();
      const gaps = gapsOf(server.attempts);
      t.expect(server.attempts.length === 8, {
        en: `The server closed the first 7 attempts and greeted the 8th; it saw ${server.attempts.length} attempts.`,
        zh: `服务器关闭了前 7 次尝试并问候了第 8 次；它看到了 ${server.attempts.length} 次尝试。`,
      });
      const expected = [50, 100, 200, 200, 200, 200, 200];
      // Timers never fire early, so a gap is at least its wait (less a little rounding); the dial adds to it.
      const short = gaps.findIndex((g, i) => g < 0.9 * expected[i] - 2);
      t.expect(short === -1, {
        en: `Gaps between attempts, as the server saw them: ${ms(gaps)} ms. With random() ≈ 1 the waits should be about ${expected.join(', ')} ms; retry ${short} came after only ${gaps[short]?.toFixed(0)} ms.`,
        zh: `服务器看到的尝试间隔：${ms(gaps)} 毫秒。random() ≈ 1 时等待应约为 ${expected.join('、')} 毫秒；第 ${short} 次重试只隔了 ${gaps[short]?.toFixed(0)} 毫秒。`,
      });
      // Uncapped, the last waits would be 400, 800, 1600 ms. A busy machine delays a gap, but not by a second.
      const last = gaps.at(-1) ?? 0;
      t.expect(last < 1000, {
        en: `The last gap was ${last.toFixed(0)} ms (all gaps: ${ms(gaps)} ms). The cap is 200 ms: no wait may be longer.`,
        zh: `最后一个间隔是 ${last.toFixed(0)} 毫秒（全部间隔：${ms(gaps)} 毫秒）。上限是 200 毫秒：任何等待都不能更长。`,
      });
    },
  },
  {
    name: { en: 'The waits are jittered: random() scales them', zh: '等待带抖动：random() 按比例缩放它们' },
    timeoutMs: 15_000,
    async run(ex, t) {
      // Without jitter these five waits add up to 200 + 400 + 800 + 800 = 2,200 ms; with random() = 0 to nothing.
      const server = await checkerServer(t, { refuse: 4 });
      const started = time.now();
      const [conn] = await ex.connectWithBackoff(server.addr, {
        baseMs: 200,
        capMs: 800,
        maxAttempts: 6,
        random: () => 0,
      });
      const took = time.since(started);
      conn?.close();
      server.stop();
      t.expect(server.attempts.length === 5, {
        en: `The server closed the first 4 attempts and greeted the 5th; it saw ${server.attempts.length} attempts.`,
        zh: `服务器关闭了前 4 次尝试并问候了第 5 次；它看到了 ${server.attempts.length} 次尝试。`,
      });
      t.expect(took < 1200, {
        en: `With random() always 0, full jitter waits 0 ms every time, yet five attempts took ${took.toFixed(0)} ms (gaps ${ms(gapsOf(server.attempts))} ms). Multiply each wait's ceiling by opts.random().`,
        zh: `random() 总是 0 时，完全抖动每次都等 0 毫秒，可五次尝试用了 ${took.toFixed(0)} 毫秒（间隔 ${ms(gapsOf(server.attempts))} 毫秒）。把每次等待的上限乘以 opts.random()。`,
      });
    },
  },
  {
    name: { en: 'Gives up after maxAttempts', zh: '尝试 maxAttempts 次后放弃' },
    timeoutMs: 8_000,
    async run(ex, t) {
      const server = await checkerServer(t, { refuse: Infinity });
      const result = await ex.connectWithBackoff(server.addr, { baseMs: 10, capMs: 40, maxAttempts: 4 });
      await time.sleep(100); // an attempt too many would arrive by now
      server.stop();
      result[0]?.close();
      t.expect(result[0] === null && result[1] instanceof Error, {
        en: 'The server never greets: connectWithBackoff must return [null, err] after maxAttempts attempts.',
        zh: '服务器从不问候：connectWithBackoff 应在 maxAttempts 次尝试之后返回 [null, err]。',
      });
      t.expectEqual(server.attempts.length, 4, {
        en: `maxAttempts is 4: the server should see exactly 4 attempts; it saw ${server.attempts.length}.`,
        zh: `maxAttempts 是 4：服务器应恰好看到 4 次尝试；它看到了 ${server.attempts.length} 次。`,
      });
    },
  },
  {
    name: {
      en: 'Recovers when the server is back, leaving no goroutine behind',
      zh: '服务器恢复后重新连上，不遗留 goroutine',
    },
    noLeaks: true,
    timeoutMs: 8_000,
    async run(ex, t) {
      const server = await checkerServer(t, { refuse: 3 });
      const [conn, attempts] = await ex.connectWithBackoff(server.addr, { baseMs: 20, capMs: 100, maxAttempts: 10 });
      conn?.close();
      server.stop();
      t.expect(conn !== null && attempts === 4, {
        en: `The server greeted the 4th attempt: connectWithBackoff should return it with attempts = 4; it returned ${conn === null ? 'an error' : `attempts = ${String(attempts)}`}.`,
        zh: `服务器问候了第 4 次尝试：connectWithBackoff 应返回它，并且 attempts = 4；它返回了${conn === null ? '错误' : ` attempts = ${String(attempts)}`}。`,
      });
      await time.sleep(20);
    },
  },
]);
