// Checks of exercise 22 in Go. The checker is the upstream the student's program calls through its circuit breaker:
// it answers by the order of the connections it accepts (ok, then failures, one success between, more failures,
// then ok for good), so the program meets the same story whatever the machine's speed, and it notes when each
// connection arrived. What the breaker did is read from the outside: no connection while it is open (failing fast
// means not dialing), one probe per cool-down, and calls reaching the upstream again once a probe succeeds.
import net from 'node:net';
import { expect, verdict, type ExerciseEnv, type ProgramRun, type Verdict } from '../goExerciseCheck.js';

const THRESHOLD = 3;
const OPEN_MS = 500;
const CALLS = 80;
const EVERY_MS = 40;
/** The upstream's answer to its Nth connection (1-based); after the list, always ok. */
const SCHEDULE = ['ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail', 'fail', 'fail'] as const;
/** Connection 7 is the third failure in a row: the breaker opens; 8 and 9 are failed probes, 10 a good one. */
const OPENS_AFTER = 7;
const GOOD_PROBE = 10;
/** A busy machine delays the program: a gap shorter than this is not a cool-down (the breaker's is 500 ms). */
const SHORTEST_GAP_MS = OPEN_MS * 0.6;
/** A probe that comes this long after the cool-down is over is not "after the cool-down", it is lost. */
const LONGEST_GAP_MS = OPEN_MS + 2_000;
const FINISH_WAIT_MS = 30_000;

interface Upstream {
  port: number;
  /** When each connection arrived (performance.now()), in order. */
  arrivals: number[];
  close(): Promise<void>;
}

async function scheduledUpstream(host: string): Promise<Upstream> {
  const arrivals: number[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    arrivals.push(performance.now());
    const answer = SCHEDULE[arrivals.length - 1] ?? 'ok';
    sockets.add(socket);
    socket.setEncoding('utf8');
    let line = '';
    socket.on('data', (d: string) => {
      line += d;
      if (!line.includes('\n')) return;
      socket.end(answer === 'ok' ? 'ok\n' : 'ERR upstream failing\n');
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

type Result = 'ok' | 'open' | 'failed';

/** The program's "call <i>: ok|open|failed: …" lines, as results in call order. */
function results(program: ProgramRun): Result[] {
  return program
    .stdoutLines()
    .map((l) => /^call \d+: (ok|open|failed)/.exec(l)?.[1] as Result | undefined)
    .filter((r): r is Result => r !== undefined);
}

const gap = (arrivals: number[], n: number) => Math.round(arrivals[n - 1]! - arrivals[n - 2]!);

export async function checkCircuitBreaker(env: ExerciseEnv): Promise<Verdict[]> {
  const upstream = await scheduledUpstream(env.host);
  let program: ProgramRun;
  let exited: boolean;
  try {
    program = await env.start(
      [
        '-addr',
        `${env.host}:${upstream.port}`,
        '-calls',
        String(CALLS),
        '-every',
        `${EVERY_MS}ms`,
        '-threshold',
        String(THRESHOLD),
        '-open',
        `${OPEN_MS}ms`,
        '-timeout',
        '1s',
      ],
      { dial: [upstream.port] },
    );
    exited = (await program.endWithin(FINISH_WAIT_MS)) !== null;
    if (!exited) await program.stop();
  } finally {
    await upstream.close();
  }
  const got = results(program);
  const arrivals = upstream.arrivals;
  const setting = {
    en: `threshold ${THRESHOLD}, open for ${OPEN_MS} ms, a call every ${EVERY_MS} ms`,
    zh: `阈值 ${THRESHOLD}，打开 ${OPEN_MS} 毫秒，每 ${EVERY_MS} 毫秒调用一次`,
  };

  return [
    await verdict(
      { en: 'Closed: calls go through, and a success resets the count', zh: '关闭：调用通过，一次成功会把计数清零' },
      () => {
        const want: Result[] = ['ok', 'failed', 'failed', 'ok', 'failed', 'failed', 'failed'];
        const first = got.slice(0, want.length);
        expect(first.join(',') === want.join(',') && arrivals.length >= want.length, {
          en: `The lab's upstream answered ok, error, error, ok, error, error, error (${setting.en}): a closed breaker passes each call and its result on, and the ok in between resets the count, so none of these 7 fails fast. Your program printed ${first.join(', ') || 'nothing'} and the upstream saw ${Math.min(arrivals.length, want.length)} of the 7 connections.`,
          zh: `实验室的上游依次回答成功、错误、错误、成功、错误、错误、错误（${setting.zh}）：关闭的熔断器让每个调用通过并返回其结果，中间的成功会把计数清零，所以这 7 个调用都不应快速失败。你的程序输出了 ${first.join('、') || '空'}，上游看到了 7 个连接中的 ${Math.min(arrivals.length, want.length)} 个。`,
        });
      },
    ),
    await verdict(
      {
        en: 'Opens after 3 failures in a row, then fails fast without dialing',
        zh: '连续失败 3 次后打开，然后快速失败，不去连接',
      },
      () => {
        const after = got[OPENS_AFTER];
        expect(after === 'open', {
          en: `After the third failure in a row (${setting.en}) the next call must return errOpen at once; your program's call ${OPENS_AFTER + 1} printed ${JSON.stringify(after ?? 'nothing')}.`,
          zh: `连续第三次失败之后（${setting.zh}），下一个调用必须立即返回 errOpen；你的程序的第 ${OPENS_AFTER + 1} 个调用输出了 ${JSON.stringify(after ?? '空')}。`,
        });
        const quiet = arrivals.length > OPENS_AFTER ? gap(arrivals, OPENS_AFTER + 1) : Infinity;
        expect(quiet >= SHORTEST_GAP_MS, {
          en: `While the breaker is open no connection may reach the upstream: the lab saw your next connection ${quiet} ms after the one that opened it (the breaker stays open ${OPEN_MS} ms). errOpen must be returned before dialing.`,
          zh: `熔断器打开期间不能有连接到达上游：实验室在使它打开的那个连接之后 ${quiet} 毫秒就看到了你的下一个连接（熔断器应打开 ${OPEN_MS} 毫秒）。必须在连接之前就返回 errOpen。`,
        });
      },
    ),
    await verdict(
      {
        en: 'After the cool-down one probe goes through; a failed probe opens it again',
        zh: '冷却之后放一个探测通过；探测失败则再次打开',
      },
      () => {
        for (const n of [OPENS_AFTER + 1, OPENS_AFTER + 2]) {
          expect(arrivals.length >= n, {
            en: `The lab's upstream saw ${arrivals.length} connections: after each ${OPEN_MS} ms open, the breaker lets one probe through (half-open). The probes ${OPENS_AFTER + 1} and ${OPENS_AFTER + 2} never came.`,
            zh: `实验室的上游只看到 ${arrivals.length} 个连接：每次打开 ${OPEN_MS} 毫秒之后，熔断器应放一个探测通过（半开）。第 ${OPENS_AFTER + 1} 和第 ${OPENS_AFTER + 2} 个探测始终没有到来。`,
          });
          const g = gap(arrivals, n);
          expect(g >= SHORTEST_GAP_MS && g <= LONGEST_GAP_MS, {
            en: `Connection ${n} (a probe, ${setting.en}) came ${g} ms after the one before it: a probe goes through once the ${OPEN_MS} ms are over, and a failed probe opens the breaker again for another ${OPEN_MS} ms.`,
            zh: `第 ${n} 个连接（一个探测，${setting.zh}）在前一个连接之后 ${g} 毫秒到来：${OPEN_MS} 毫秒结束后才放一个探测通过，探测失败要让熔断器再打开 ${OPEN_MS} 毫秒。`,
          });
        }
      },
    ),
    await verdict(
      { en: 'A good probe closes it: calls reach the upstream again', zh: '探测成功则关闭：调用再次到达上游' },
      () => {
        const g = arrivals.length >= GOOD_PROBE ? gap(arrivals, GOOD_PROBE) : Infinity;
        const came = Number.isFinite(g)
          ? { en: `${g} ms after it`, zh: `在它之后 ${g} 毫秒到来` }
          : { en: 'never', zh: '始终没有到来' };
        expect(g >= SHORTEST_GAP_MS && g <= LONGEST_GAP_MS, {
          en: `Connection ${GOOD_PROBE}, the third probe (the upstream answers ok from then on), should come ${OPEN_MS} ms after the second failed probe; it came ${came.en}.`,
          zh: `第 ${GOOD_PROBE} 个连接是第三个探测（上游从此回答成功），应在第二个失败的探测之后 ${OPEN_MS} 毫秒到来；它 ${came.zh}。`,
        });
        const later = arrivals.length - GOOD_PROBE;
        const tail = got.slice(-5);
        expect(later >= 5 && tail.length === 5 && tail.every((r) => r === 'ok'), {
          en: `Once a probe succeeds the breaker is closed and every call goes through: after it the lab saw ${later} more connections, and your program's last calls printed ${tail.join(', ') || 'nothing'}.`,
          zh: `探测成功后熔断器关闭，每个调用都应通过：此后实验室又看到了 ${later} 个连接，你的程序最后几个调用输出了 ${tail.join('、') || '空'}。`,
        });
      },
    ),
    await verdict(
      {
        en: 'Every call that went through reached the upstream, and the program ends',
        zh: '每个放行的调用都到达了上游，程序也会结束',
      },
      () => {
        expect(exited, {
          en: `Your program was still running after ${FINISH_WAIT_MS / 1000} s (${CALLS} calls, ${EVERY_MS} ms apart, should take a few seconds): a call while open must return at once, never wait.`,
          zh: `${FINISH_WAIT_MS / 1000} 秒后你的程序仍在运行（${CALLS} 个调用、间隔 ${EVERY_MS} 毫秒，应只需几秒）：打开期间的调用必须立即返回，不能等待。`,
        });
        const through = got.filter((r) => r !== 'open').length;
        expect(got.length === CALLS && through === arrivals.length, {
          en: `Your program printed ${got.length} results of ${CALLS} calls, ${through} of them not errOpen, and the lab's upstream saw ${arrivals.length} connections. Each call that is not failed fast dials once, and a call that fails fast dials not at all.`,
          zh: `你的程序输出了 ${CALLS} 个调用中 ${got.length} 个的结果，其中 ${through} 个不是 errOpen，而实验室的上游看到了 ${arrivals.length} 个连接。没有快速失败的调用各连接一次，快速失败的调用一次也不连接。`,
        });
      },
    ),
  ];
}
