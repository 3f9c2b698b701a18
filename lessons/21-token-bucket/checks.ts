// Checks of exercise 21. The bucket is driven on a clock the checker moves by hand, so every expectation is exact;
// the server is checked over real TCP (through the lab's bridge) with the clock frozen, so each connection's burst
// passes and the rest is refused at once, with an answer, never silence.
import { bufio, go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import type * as Exercise from './start';

type Ex = typeof Exercise;

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Sends n lines at once on a new connection and returns the n reply lines. */
async function sendLines(t: CheckContext, addr: string, n: number): Promise<string[]> {
  const [conn, err] = await net.dial('tcp', addr);
  if (err !== null) t.fail({ en: `Could not connect: ${err.message}`, zh: `无法连接：${err.message}` });
  let lines = '';
  for (let i = 0; i < n; i++) lines += `r${i}\n`;
  await conn.write(lines);
  const r = bufio.newReader(conn);
  const replies: string[] = [];
  for (let i = 0; i < n; i++) {
    conn.setReadDeadline(time.now() + 3000);
    const [line, rerr] = await r.readString('\n');
    if (rerr !== null) {
      conn.close();
      t.fail({
        en: `Request ${i + 1} of ${n} got no answer (${rerr.message}). A refused request must be answered at once, not left waiting.`,
        zh: `${n} 个请求中的第 ${i + 1} 个没有得到答复（${rerr.message}）。被拒绝的请求必须立即得到答复，而不是被晾着等待。`,
      });
    }
    replies.push(line.trimEnd());
  }
  conn.close();
  return replies;
}

export default defineChecks<Ex>([
  {
    name: { en: 'Starts full: a burst passes, the next is refused', zh: '开始时是满的：一次突发通过，下一个被拒绝' },
    async run(ex, t) {
      const c = clock();
      const b = new ex.TokenBucket(10, 3, c.now);
      const got = [b.allow(), b.allow(), b.allow(), b.allow()];
      t.expectEqual(got, [true, true, true, false], {
        en: `With burst 3 and no time passing, allow() should give true, true, true, false; it gave ${got.join(', ')}.`,
        zh: `突发为 3、时间不流逝时，allow() 应依次返回 true、true、true、false；实际返回 ${got.join('、')}。`,
      });
    },
  },
  {
    name: { en: 'Tokens come back at the rate, never above the burst', zh: '令牌按速率恢复，且不超过突发' },
    async run(ex, t) {
      const c = clock();
      const b = new ex.TokenBucket(10, 3, c.now);
      b.allow();
      b.allow();
      b.allow();
      c.advance(99);
      t.expect(!b.allow(), {
        en: 'At 10 tokens a second, 99 ms after the bucket emptied there is no whole token yet; allow() said true.',
        zh: '每秒 10 个令牌时，桶空后 99 毫秒还没有一个完整的令牌；allow() 却返回了 true。',
      });
      c.advance(1);
      t.expect(b.allow(), {
        en: 'At 10 tokens a second, 100 ms after the bucket emptied there is one token; allow() said false.',
        zh: '每秒 10 个令牌时，桶空后 100 毫秒应有一个令牌；allow() 却返回了 false。',
      });
      c.advance(60_000);
      let n = 0;
      while (n < 100 && b.allow()) n++;
      t.expectEqual(n, 3, {
        en: `After a minute idle the bucket holds its burst (3), not more; ${n} requests passed in a row.`,
        zh: `空闲一分钟后，桶里应有突发数（3）个令牌，不能更多；实际连续通过了 ${n} 个请求。`,
      });
    },
  },
  {
    name: { en: 'A refused request takes nothing', zh: '被拒绝的请求什么也不拿' },
    async run(ex, t) {
      const c = clock();
      const b = new ex.TokenBucket(10, 1, c.now);
      b.allow();
      c.advance(50);
      b.allow(); // refused: half a token
      c.advance(50);
      t.expect(b.allow(), {
        en: 'A refused allow() must not spend the half token it found: 100 ms after emptying (10/s) a token is there; allow() said false.',
        zh: '被拒绝的 allow() 不能花掉它看到的半个令牌：桶空后 100 毫秒（每秒 10 个）应有一个令牌；allow() 却返回了 false。',
      });
    },
  },
  {
    name: { en: 'retryAfterMs says when the next token comes', zh: 'retryAfterMs 说明下一个令牌何时到来' },
    async run(ex, t) {
      const c = clock();
      const b = new ex.TokenBucket(4, 1, c.now);
      const full = b.retryAfterMs();
      b.allow();
      const empty = b.retryAfterMs();
      c.advance(100);
      const later = b.retryAfterMs();
      t.expect(full === 0 && Math.abs(empty - 250) < 1 && Math.abs(later - 150) < 1, {
        en: `At 4 tokens a second: full 0 ms, just emptied 250 ms, 100 ms later 150 ms; got ${full}, ${empty}, ${later}.`,
        zh: `每秒 4 个令牌时：满桶 0 毫秒，刚空 250 毫秒，100 毫秒后 150 毫秒；实际是 ${full}、${empty}、${later}。`,
      });
    },
  },
  {
    name: {
      en: 'The server answers every line: its burst "ok", the rest refused at once, per connection',
      zh: '服务器回答每一行：突发内的回答“ok”，其余立即拒绝，每个连接各自计算',
    },
    timeoutMs: 8000,
    async run(ex, t) {
      const c = clock(); // frozen: no token comes back during the check
      const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
      if (err !== null)
        return t.fail({ en: `The checker could not listen: ${err.message}`, zh: `检查程序无法监听：${err.message}` });
      go(ex.serveLimited, ln, () => new ex.TokenBucket(1, 5, c.now));
      const first = await sendLines(t, ln.addr().string(), 8);
      const second = await sendLines(t, ln.addr().string(), 6);
      ln.close();
      const ok = (lines: string[]) => lines.filter((l) => l.startsWith('ok ')).length;
      const refused = (lines: string[]) => lines.filter((l) => /^ERR rate limited, retry after \d+ms$/.test(l)).length;
      t.expect(ok(first) === 5 && refused(first) === 3, {
        en: `8 lines at once, burst 5: expected 5 "ok" and 3 "ERR rate limited, retry after <n>ms"; got ${JSON.stringify(first)}.`,
        zh: `一次 8 行、突发 5：应有 5 行“ok”和 3 行“ERR rate limited, retry after <n>ms”；实际是 ${JSON.stringify(first)}。`,
      });
      t.expect(first[0] === 'ok r0', {
        en: `An accepted line is answered "ok <line>"; the first reply was ${JSON.stringify(first[0])}.`,
        zh: `被接受的行应回答“ok <行>”；第一行回复是 ${JSON.stringify(first[0])}。`,
      });
      t.expect(ok(second) === 5, {
        en: `A second connection has its own bucket, so its burst of 5 passes too; it got ${ok(second)} "ok".`,
        zh: `第二个连接有自己的桶，所以它的 5 个突发也应通过；实际只有 ${ok(second)} 行“ok”。`,
      });
    },
  },
]);
