// Checks of exercise 20 in Go. The checker is the server the student's client talks to, and it restarts: it greets
// the first connection and acknowledges three messages, then goes down (closes it) and closes the next attempts
// before greeting, then comes back. It notes when each attempt arrived; the program prints each wait it chose
// (main's sleep), so the checks hold every wait to its ceiling (doubling, capped), see that the waits are random
// (full jitter) and really waited (the server's gaps), and that the client resumed where it was cut off.
import net from 'node:net';
import { expect, verdict, type ExerciseEnv, type ProgramRun, type Verdict } from '../goExerciseCheck.js';

const BASE_MS = 10;
const CAP_MS = 160;
const MESSAGES = 6;
/** The server goes down after acknowledging this message on the first connection. */
const DOWN_AFTER = 3;
/** Attempts the restarting server closes before greeting again. */
const REFUSED = 12;
const FINISH_WAIT_MS = 30_000;

/** The ceiling of retry n (0 for the first): base·2^n, capped. */
const ceilingMs = (n: number) => Math.min(CAP_MS, BASE_MS * 2 ** n);

interface RestartingServer {
  port: number;
  /** When each attempt arrived (performance.now()), in order. */
  attempts: number[];
  /** The messages acknowledged, per greeted connection. */
  sessions: number[][];
  close(): Promise<void>;
}

async function restartingServer(host: string): Promise<RestartingServer> {
  const attempts: number[] = [];
  const sessions: number[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    attempts.push(performance.now());
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    const n = attempts.length;
    if (n > 1 && n <= 1 + REFUSED) {
      socket.destroy(); // restarting: closed before any greeting
      return;
    }
    const acked: number[] = [];
    sessions.push(acked);
    socket.setEncoding('utf8');
    socket.write('HELLO\n');
    let buffered = '';
    let down = false;
    socket.on('data', (d: string) => {
      buffered += d;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const m = /^msg (\d+)$/.exec(buffered.slice(0, nl).trim());
        buffered = buffered.slice(nl + 1);
        if (!m || down) continue;
        acked.push(Number(m[1]));
        // The server goes down after this ack: the ack is sent, then FIN (end flushes; destroy could drop it).
        down = n === 1 && Number(m[1]) === DOWN_AFTER;
        if (down) socket.end(`ack ${m[1]}\n`);
        else socket.write(`ack ${m[1]}\n`);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    attempts,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The waits the program printed ("wait <µs>us"), in milliseconds. */
function waitsOf(program: ProgramRun): number[] {
  return program
    .stdoutLines()
    .map((l) => /^wait (\d+)us$/.exec(l.trim())?.[1])
    .filter((w): w is string => w !== undefined)
    .map((w) => Number(w) / 1000);
}

const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');

export async function checkReconnectingClient(env: ExerciseEnv): Promise<Verdict[]> {
  const server = await restartingServer(env.host);
  let program: ProgramRun;
  let exited: boolean;
  try {
    program = await env.start(
      [
        '-addr',
        `${env.host}:${server.port}`,
        '-base',
        `${BASE_MS}ms`,
        '-cap',
        `${CAP_MS}ms`,
        '-attempts',
        '30',
        '-messages',
        String(MESSAGES),
        '-seed',
        String(env.seed),
      ],
      { dial: [server.port] },
    );
    exited = (await program.endWithin(FINISH_WAIT_MS)) !== null;
    if (!exited) await program.stop();
  } finally {
    await server.close();
  }
  const waits = waitsOf(program);
  const { attempts, sessions } = server;
  // Attempt 2 is the first after the server went down (no wait before it); attempts 3… each follow one wait.
  const gaps = attempts.slice(2).map((at, i) => at - attempts[i + 1]!);
  const setting = {
    en: `base ${BASE_MS} ms, cap ${CAP_MS} ms; the server closed ${REFUSED} attempts while it restarted`,
    zh: `base 为 ${BASE_MS} 毫秒，上限 ${CAP_MS} 毫秒；服务器重启期间关闭了 ${REFUSED} 次尝试`,
  };
  const want = Array.from({ length: MESSAGES }, (_, i) => i + 1);
  const acked = sessions.flat();

  return [
    await verdict(
      {
        en: 'Reconnects when the server comes back, and resumes sending',
        zh: '服务器恢复后重新连上，并继续发送',
      },
      () => {
        expect(exited && program.endResult()?.exitCode === 0, {
          en: `Your program should end with every message acknowledged (${setting.en}); ${program.describeEnd().en}.`,
          zh: `你的程序应在每条消息都得到确认后结束（${setting.zh}）；${program.describeEnd().zh}。`,
        });
        const resumed = sessions.at(-1) ?? [];
        expect(sessions.length === 2 && acked.join(',') === want.join(','), {
          en: `The lab's server acknowledged ${JSON.stringify(sessions)} (per connection it greeted); expected [[1,2,3],[4,5,6]]: after reconnecting, the client resumes with the message that was lost.`,
          zh: `实验室的服务器确认的消息（按它问候过的连接）是 ${JSON.stringify(sessions)}；期望是 ${JSON.stringify([
            [1, 2, 3],
            [4, 5, 6],
          ])}：重新连上之后，客户端从丢失的那条消息继续。`,
        });
        expect(resumed[0] === DOWN_AFTER + 1, {
          en: `After the reconnect the first message was ${resumed[0] ?? 'none'}; expected ${DOWN_AFTER + 1}.`,
          zh: `重新连上后的第一条消息是 ${resumed[0] ?? '无'}；期望是 ${DOWN_AFTER + 1}。`,
        });
      },
    ),
    await verdict({ en: 'Waits before every retry, and really waits', zh: '每次重试之前都等待，而且真的等了' }, () => {
      expect(waits.length === REFUSED, {
        en: `The server closed ${REFUSED} attempts in a row, so your client retried ${REFUSED} times and should have waited (with sleep) before each, and not before its first attempt; it printed ${waits.length} waits, and the server saw ${attempts.length - 2} retries in ${Math.round((attempts.at(-1) ?? 0) - (attempts[1] ?? 0))} ms: a reconnect storm.`,
        zh: `服务器连续关闭了 ${REFUSED} 次尝试，所以你的客户端重试了 ${REFUSED} 次，每次之前都应（用 sleep）等待，第一次尝试之前则不等；它输出了 ${waits.length} 次等待，服务器在 ${Math.round((attempts.at(-1) ?? 0) - (attempts[1] ?? 0))} 毫秒内看到了 ${attempts.length - 2} 次重试：这是一场重连风暴。`,
      });
      // Timers never fire early, so a gap the server sees is at least its wait (less a little rounding).
      const short = gaps.findIndex((g, i) => g < 0.9 * (waits[i] ?? 0) - 2);
      expect(short < 0, {
        en: `Your program printed waits of ${list(waits)} ms, but the server saw retries ${list(gaps)} ms apart: retry ${short + 1} came ${gaps[short]?.toFixed(0)} ms after the one before, sooner than its wait. Sleep before dialing again.`,
        zh: `你的程序输出的等待是 ${list(waits)} 毫秒，但服务器看到的重试间隔是 ${list(gaps)} 毫秒：第 ${short + 1} 次重试在前一次之后 ${gaps[short]?.toFixed(0)} 毫秒就到了，比它的等待还早。再次连接之前要先等待。`,
      });
    }),
    await verdict({ en: 'The waits double, up to the cap', zh: '等待时间加倍，直到上限' }, () => {
      expect(waits.length > 4, {
        en: `Your program printed ${waits.length} waits for ${REFUSED} retries (${setting.en}): wait before every retry.`,
        zh: `${REFUSED} 次重试，你的程序只输出了 ${waits.length} 次等待（${setting.zh}）：每次重试之前都要等待。`,
      });
      const over = waits.findIndex((w, n) => w > ceilingMs(n) + 1);
      expect(over < 0, {
        en: `Retry n waits a random part of min(cap, base·2^n): ceilings ${list(waits.map((_, n) => ceilingMs(n)))} ms (${setting.en}). Your waits were ${list(waits)} ms; wait ${over + 1} is above its ceiling.`,
        zh: `第 n 次重试等待 min(cap, base·2^n) 中随机的一部分：上限依次为 ${list(waits.map((_, n) => ceilingMs(n)))} 毫秒（${setting.zh}）。你的等待是 ${list(waits)} 毫秒；第 ${over + 1} 次等待超过了它的上限。`,
      });
      // Once capped (wait 5 on), some wait is longer than the third's ceiling: the ceiling grew.
      const late = Math.max(...waits.slice(4));
      expect(late > ceilingMs(2), {
        en: `The waits should grow: the later ones may reach ${CAP_MS} ms, yet none of ${list(waits.slice(4))} ms is above ${ceilingMs(2)} ms (${setting.en}). Double the ceiling on each retry.`,
        zh: `等待应当增长：后面的等待最多可到 ${CAP_MS} 毫秒，但 ${list(waits.slice(4))} 毫秒中没有一个超过 ${ceilingMs(2)} 毫秒（${setting.zh}）。每次重试都要把上限加倍。`,
      });
    }),
    await verdict({ en: 'The waits are jittered (full jitter)', zh: '等待带抖动（完全抖动）' }, () => {
      expect(waits.length > 4, {
        en: `Your program printed ${waits.length} waits for ${REFUSED} retries: there is nothing to jitter.`,
        zh: `${REFUSED} 次重试，你的程序只输出了 ${waits.length} 次等待：没有可以抖动的等待。`,
      });
      const below = waits.filter((w, n) => w < 0.9 * ceilingMs(n)).length;
      expect(new Set(waits).size > 1 && below >= 3, {
        en: `Full jitter draws each wait anywhere in [0, ceiling): your waits were ${list(waits)} ms against ceilings ${list(waits.map((_, n) => ceilingMs(n)))} ms, and only ${below} were below 90% of theirs. Clients that fail together and wait the same retry together again.`,
        zh: `完全抖动让每次等待落在 0 到上限之间的任意位置：你的等待是 ${list(waits)} 毫秒，对应的上限是 ${list(waits.map((_, n) => ceilingMs(n)))} 毫秒，只有 ${below} 次低于上限的 90%。一起失败、等待相同的客户端会再次一起重试。`,
      });
    }),
  ];
}
