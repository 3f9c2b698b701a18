// Checks of exercise 21 in Go. The student's program is a line server that limits each connection with a token
// bucket; the checker is its real TCP client, offering load at known rates on real time. The machine may be busy,
// so counts are checked against what the time the checker measured allows, with wide margins: accepted ≈ burst +
// rate × time, every refusal is an answer at once (never silence), and each connection has its own bucket.
import net from 'node:net';
import type { LocalizedText } from '../../../core/protocol/errors.js';
import { freePort } from '../../net/freePort.js';
import {
  CheckFailed,
  expect,
  sleep,
  verdict,
  type ExerciseEnv,
  type ProgramRun,
  type Verdict,
} from '../goExerciseCheck.js';

/** The limits the program is started with. */
const RATE = 20;
const BURST = 5;
/** How long a freshly started program gets to listen. */
const LISTEN_WAIT_MS = 20_000;
/** How long the checker waits for the answer to one line: a refusal must come at once, this is only the give-up. */
const ANSWER_WAIT_MS = 5_000;
const REFUSAL = /^ERR rate limited, retry after (\d+)ms$/;

/** What one connection got: the answer lines, and the milliseconds from its first write to its last answer. */
interface Exchange {
  replies: string[];
  ms: number;
}

/** One connection of the checker to the student's server, answers read line by line. */
class LineClient {
  private readonly replies: string[] = [];
  private buffered = '';
  private waiter: (() => void) | null = null;
  private failure: string | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buffered += d;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.replies.push(this.buffered.slice(0, nl).trimEnd());
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.waiter?.();
    });
    socket.on('error', (err) => ((this.failure = err.message), this.waiter?.()));
    socket.on('close', () => ((this.failure ??= 'the server closed the connection'), this.waiter?.()));
  }

  static async open(host: string, port: number): Promise<LineClient> {
    const socket = net.connect({ host, port, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new LineClient(socket);
  }

  /**
   * Sends `n` lines, `gapMs` apart (0: all in one write), and reads one answer per line. Fails the check when an
   * answer does not come.
   */
  async exchange(n: number, gapMs: number): Promise<Exchange> {
    const first = this.replies.length;
    const started = performance.now();
    const lines = Array.from({ length: n }, (_, i) => `r${i}\n`);
    if (gapMs === 0) this.socket.write(lines.join(''));
    else
      for (const line of lines) {
        this.socket.write(line);
        await sleep(gapMs);
      }
    while (this.replies.length < first + n && this.failure === null) {
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ANSWER_WAIT_MS);
        this.waiter = () => (clearTimeout(timer), resolve(true));
      });
      this.waiter = null;
      if (!arrived) break;
    }
    const ms = performance.now() - started;
    const replies = this.replies.slice(first, first + n);
    const silence = {
      en: `then nothing for ${ANSWER_WAIT_MS / 1000} s`,
      zh: `之后 ${ANSWER_WAIT_MS / 1000} 秒没有任何回答`,
    };
    if (replies.length < n)
      throw new CheckFailed({
        en: `The lab sent ${n} lines and got ${replies.length} answers (${this.failure ?? silence.en}). Every line needs an answer at once: a refused request gets an "ERR rate limited …" line, it is never left waiting.`,
        zh: `实验室发送了 ${n} 行，只收到 ${replies.length} 行回答（${this.failure ?? silence.zh}）。每一行都需要立即得到回答：被拒绝的请求得到一行\`ERR rate limited …\`，绝不能被晾着等待。`,
      });
    return { replies, ms };
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends `n` lines on a new connection, `gapMs` apart, and closes it once every line is answered. */
async function exchange(host: string, port: number, n: number, gapMs: number): Promise<Exchange> {
  const client = await LineClient.open(host, port);
  try {
    return await client.exchange(n, gapMs);
  } finally {
    client.close();
  }
}

const accepted = (e: Exchange) => e.replies.filter((l) => l.startsWith('ok ')).length;
const refused = (e: Exchange) => e.replies.filter((l) => REFUSAL.test(l)).length;

/** The most a correct bucket can accept in this exchange: its burst, what `ms` earns, and one for rounding. */
const most = (e: Exchange, spareMs = 0) => Math.floor(BURST + (RATE * (e.ms + spareMs)) / 1000) + 1;

/** Waits until the program accepts connections on its port, or fails saying why not. */
async function waitListening(program: ProgramRun, host: string, port: number): Promise<void> {
  const deadline = performance.now() + LISTEN_WAIT_MS;
  while (performance.now() < deadline && !program.hasEnded()) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host, port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  const end = program.describeEnd();
  throw new CheckFailed({
    en: `Your server never listened on ${host}:${port} (the address the lab passed with -addr): ${end.en}.`,
    zh: `你的服务器始终没有在 ${host}:${port}（实验室用 -addr 传入的地址）上监听：${end.zh}。`,
  });
}

export async function checkTokenBucketServer(env: ExerciseEnv): Promise<Verdict[]> {
  const { host } = env;
  const port = await freePort(host);
  const program = await env.start(['-addr', `${host}:${port}`, '-rate', String(RATE), '-burst', String(BURST)], {
    listen: port,
  });
  const listening = waitListening(program, host, port);
  listening.catch(() => {}); // each check awaits it and reports the failure itself
  const verdicts: Verdict[] = [];
  const check = async (name: LocalizedText, body: () => Promise<void>) =>
    verdicts.push(await verdict(name, async () => (await listening, await body())));
  const limits = { en: `rate ${RATE}/s, burst ${BURST}`, zh: `速率每秒 ${RATE} 个，突发 ${BURST}` };

  let burst: Exchange | null = null;
  await check({ en: 'A burst passes, the rest is refused', zh: '一次突发通过，其余被拒绝' }, async () => {
    burst = await exchange(host, port, 12, 0);
    const ok = accepted(burst);
    expect(burst.replies[0] === 'ok r0', {
      en: `An accepted line is answered "ok <line>": the first of 12 lines ("r0") was answered ${JSON.stringify(burst.replies[0])}.`,
      zh: `被接受的行应回答“ok <行>”：12 行中的第一行（“r0”）得到的回答是 ${JSON.stringify(burst.replies[0])}。`,
    });
    expect(ok >= BURST && ok <= most(burst), {
      en: `12 lines in one write (${limits.en}), all answered within ${Math.round(burst.ms)} ms: a full bucket lets ${BURST} through, and at most ${most(burst) - BURST} more come back in that time; your server accepted ${ok}.`,
      zh: `一次写入 12 行（${limits.zh}），${Math.round(burst.ms)} 毫秒内全部得到回答：满桶放行 ${BURST} 个，这段时间里最多再恢复 ${most(burst) - BURST} 个；你的服务器接受了 ${ok} 个。`,
    });
  });

  await check(
    {
      en: 'A refusal is an answer: "ERR rate limited, retry after <n>ms"',
      zh: '拒绝也是回答：`ERR rate limited, retry after <n>ms`',
    },
    async () => {
      const e = burst ?? (await exchange(host, port, 12, 0));
      const refusals = e.replies.filter((l) => !l.startsWith('ok '));
      expect(refusals.length > 0, {
        en: `12 lines at once (${limits.en}) and none was refused: the bucket must say no once it is empty.`,
        zh: `一次发送 12 行（${limits.zh}），没有一行被拒绝：桶空后必须拒绝。`,
      });
      const bad = refusals.find((l) => !REFUSAL.test(l));
      expect(bad === undefined, {
        en: `A refusal must read "ERR rate limited, retry after <n>ms"; your server answered ${JSON.stringify(bad)}.`,
        zh: `拒绝的回答必须是\`ERR rate limited, retry after <n>ms\`；你的服务器回答的是 ${JSON.stringify(bad)}。`,
      });
      const waits = refusals.map((l) => Number(REFUSAL.exec(l)?.[1]));
      const longest = 1000 / RATE + 1;
      expect(
        waits.every((w) => w > 0 && w <= longest),
        {
          en: `Just after the bucket emptied (${limits.en}) the next token is at most ${1000 / RATE} ms away and more than 0 ms (the client waits that long before retrying); your server said: ${waits.join(', ')} ms.`,
          zh: `桶刚空时（${limits.zh}），下一个令牌最多还有 ${1000 / RATE} 毫秒、且大于 0 毫秒（客户端会等这么久再重试）；你的服务器说的是：${waits.join('、')} 毫秒。`,
        },
      );
    },
  );

  await check(
    { en: 'Under steady load, accepted ≈ burst + rate × time', zh: '持续负载下，接受数 ≈ 突发 + 速率 × 时间' },
    async () => {
      // 80 lines a second for about 2 s: four times the rate.
      const e = await exchange(host, port, 160, 12.5);
      const ok = accepted(e);
      const least = Math.floor(BURST + 0.3 * RATE * 2);
      expect(ok + refused(e) === 160, {
        en: `Every answer must be "ok <line>" or "ERR rate limited, retry after <n>ms"; ${160 - ok - refused(e)} of 160 were neither.`,
        zh: `每个回答都必须是“ok <行>”或\`ERR rate limited, retry after <n>ms\`；160 个回答中有 ${160 - ok - refused(e)} 个两者都不是。`,
      });
      expect(ok <= most(e), {
        en: `160 lines over ${Math.round(e.ms)} ms (${limits.en}): a bucket can accept at most ${BURST} + ${RATE}/s × that time ≈ ${most(e)}; your server accepted ${ok}. Tokens come back at the rate, no faster.`,
        zh: `${Math.round(e.ms)} 毫秒内发送 160 行（${limits.zh}）：桶最多接受 ${BURST} + 每秒 ${RATE} 个 × 这段时间 ≈ ${most(e)} 个；你的服务器接受了 ${ok} 个。令牌按速率恢复，不能更快。`,
      });
      expect(ok >= least, {
        en: `160 lines over ${Math.round(e.ms)} ms (${limits.en}): about ${BURST} + ${RATE}/s × 2 s = ${BURST + 2 * RATE} should pass (at least ${least}, allowing for a busy machine); your server accepted ${ok}. Tokens must come back as time passes.`,
        zh: `${Math.round(e.ms)} 毫秒内发送 160 行（${limits.zh}）：应有约 ${BURST} + 每秒 ${RATE} 个 × 2 秒 = ${BURST + 2 * RATE} 个通过（考虑到机器繁忙，至少 ${least} 个）；你的服务器接受了 ${ok} 个。令牌必须随时间恢复。`,
      });
    },
  );

  await check(
    { en: 'Idle time refills the bucket, never above the burst', zh: '空闲时桶会补满，但不超过突发' },
    async () => {
      const client = await LineClient.open(host, port);
      let after: Exchange;
      try {
        await client.exchange(12, 0); // empties the bucket
        await sleep(1000);
        after = await client.exchange(12, 0);
      } finally {
        client.close();
      }
      const ok = accepted(after);
      expect(ok >= BURST && ok <= most(after), {
        en: `After emptying its bucket and 1 s idle (${RATE} tokens' worth, ${limits.en}), 12 lines at once: the bucket holds its burst, ${BURST}, no more; your server accepted ${ok}.`,
        zh: `桶空后空闲 1 秒（相当于 ${RATE} 个令牌，${limits.zh}），再一次发送 12 行：桶里应有突发数 ${BURST} 个令牌，不能更多；你的服务器接受了 ${ok} 个。`,
      });
    },
  );

  await check({ en: 'Each connection has its own bucket', zh: '每个连接有自己的桶' }, async () => {
    const [a, b] = await Promise.all([exchange(host, port, 8, 0), exchange(host, port, 8, 0)]);
    expect(accepted(a) >= BURST && accepted(b) >= BURST, {
      en: `Two connections at once, 8 lines each (${limits.en}): each should get its own burst of ${BURST}; they got ${accepted(a)} and ${accepted(b)} "ok".`,
      zh: `两个连接同时各发 8 行（${limits.zh}）：每个连接都应有自己的 ${BURST} 个突发；它们分别得到了 ${accepted(a)} 和 ${accepted(b)} 个“ok”。`,
    });
    expect(accepted(a) <= most(a) && accepted(b) <= most(b), {
      en: `Two connections at once, 8 lines each (${limits.en}): each may pass about ${BURST}; they got ${accepted(a)} and ${accepted(b)} "ok".`,
      zh: `两个连接同时各发 8 行（${limits.zh}）：每个连接大约可通过 ${BURST} 个；它们分别得到了 ${accepted(a)} 和 ${accepted(b)} 个“ok”。`,
    });
  });
  return verdicts;
}
