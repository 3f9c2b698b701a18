// Checks of exercise 12 in Go. The checker is the server the student's program fetches from: it answers each
// "<id>\n" with "value-<id>\n" after a delay, and counts from outside how many of the program's connections are
// open at once. The program is loaded past its bound (more ids than workers) and must stay within it, use all of
// it, print every reply in the order of the ids, and exit.
import net from 'node:net';
import { SeededRandom } from '../../../core/runtime/seededRandom.js';
import { expect, verdict, type ExerciseEnv, type ProgramRun, type Verdict } from '../goExerciseCheck.js';

/** How long a program gets to fetch everything and exit. */
const FINISH_WAIT_MS = 20_000;

export interface CountingServer {
  port: number;
  /** The most connections open at the same moment. */
  peak(): number;
  /** Requests answered. */
  served(): number;
  close(): Promise<void>;
}

/**
 * A slow server that counts the connections open at once. A connection counts from its accept until the server
 * answers and ends it (or it closes first): counting until the client's own close would race a worker's next dial,
 * which the kernel may deliver before the previous connection's FIN.
 */
export async function countingServer(host: string, delayMs: number): Promise<CountingServer> {
  let open = 0;
  let peak = 0;
  let served = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    peak = Math.max(peak, ++open);
    let counted = true;
    const done = () => {
      if (counted) open--;
      counted = false;
    };
    let line = '';
    let answered = false;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      line += d;
      const nl = line.indexOf('\n');
      if (nl < 0 || answered) return;
      answered = true;
      setTimeout(() => {
        if (socket.destroyed) return;
        served++;
        done();
        socket.end(`value-${line.slice(0, nl).trim()}\n`);
      }, delayMs);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      done();
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    peak: () => peak,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Fetched {
  program: ProgramRun;
  server: CountingServer;
  /** The lines it printed, or null if it did not exit in time (it is stopped then). */
  lines: string[] | null;
}

/** Runs the program against a fresh counting server with these ids and workers, until it exits. */
async function fetch(env: ExerciseEnv, ids: number[], workers: number, delayMs: number): Promise<Fetched> {
  const server = await countingServer(env.host, delayMs);
  try {
    const program = await env.start(
      ['-addr', `${env.host}:${server.port}`, '-workers', String(workers), '-ids', ids.join(',')],
      { dial: [server.port] },
    );
    const end = await program.endWithin(FINISH_WAIT_MS);
    if (!end) await program.stop();
    return { program, server, lines: end ? program.stdoutLines() : null };
  } finally {
    await server.close();
  }
}

function expectExited(f: Fetched, what: { en: string; zh: string }): asserts f is Fetched & { lines: string[] } {
  expect(f.lines !== null, {
    en: `${what.en}: your program was still running after ${FINISH_WAIT_MS / 1000} s (${f.server.served()} requests answered). fetchAll must return once every id is done, and main then exits.`,
    zh: `${what.zh}：${FINISH_WAIT_MS / 1000} 秒后你的程序仍在运行（已回答 ${f.server.served()} 个请求）。所有 id 完成后 fetchAll 必须返回，然后 main 退出。`,
  });
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export async function checkBoundedDialer(env: ExerciseEnv): Promise<Verdict[]> {
  const random = new SeededRandom(env.seed);
  // 16 ids in a seeded order, 4 workers, slow answers: loaded past the bound, and long enough to overlap.
  const ids = range(16);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const loaded = await fetch(env, ids, 4, 150);
  const what = { en: `16 ids (${ids.join(', ')}), 4 workers`, zh: `16 个 id（${ids.join('、')}），4 个 worker` };
  const verdicts = [
    await verdict({ en: 'Every reply, in the order of the ids', zh: '每个回复都在，且按 id 的顺序' }, () => {
      expectExited(loaded, what);
      const want = ids.map((id) => `value-${id}`);
      const bad = want.findIndex((w, i) => loaded.lines[i] !== w);
      expect(loaded.lines.length === want.length && bad < 0, {
        en: `${what.en}: your program printed ${loaded.lines.length} lines; line ${bad + 1} should be ${JSON.stringify(want[bad])} but is ${JSON.stringify(loaded.lines[bad] ?? null)}. results[i] must hold the reply for ids[i].`,
        zh: `${what.zh}：你的程序输出了 ${loaded.lines.length} 行；第 ${bad + 1} 行应是 ${JSON.stringify(want[bad])}，实际是 ${JSON.stringify(loaded.lines[bad] ?? null)}。results[i] 必须是 ids[i] 的回复。`,
      });
    }),
    await verdict(
      { en: 'Never more than `workers` connections at once', zh: '同时打开的连接不超过 workers 个' },
      () => {
        expect(loaded.server.peak() <= 4, {
          en: `${what.en}: the lab's server saw ${loaded.server.peak()} of your connections open at the same time. Start a fixed number of workers that take ids from one channel, instead of one goroutine per id.`,
          zh: `${what.zh}：实验室的服务器同时看到了你的 ${loaded.server.peak()} 个连接。请启动固定数量的 worker，从同一个 channel 取 id，而不是每个 id 一个 goroutine。`,
        });
      },
    ),
    await verdict({ en: 'Uses all of its workers', zh: '用满所有 worker' }, () => {
      expect(loaded.server.peak() >= 4, {
        en: `${what.en}, each answer taking 150 ms: the lab's server never saw more than ${loaded.server.peak()} of your connections at once. Keep all 4 workers busy while work remains.`,
        zh: `${what.zh}，每个回答需要 150 毫秒：实验室的服务器同时看到的连接从未超过 ${loaded.server.peak()} 个。还有任务时应让 4 个 worker 全部忙碌。`,
      });
    }),
  ];

  verdicts.push(
    await verdict({ en: 'One worker means one request at a time', zh: '一个 worker 就一次一个请求' }, async () => {
      const one = await fetch(env, range(5), 1, 20);
      expectExited(one, { en: '5 ids, 1 worker', zh: '5 个 id，1 个 worker' });
      expect(one.server.peak() === 1 && one.lines.length === 5, {
        en: `With 5 ids and 1 worker the lab's server saw ${one.server.peak()} connections at once and your program printed ${one.lines.length} replies (expected 1 and 5).`,
        zh: `5 个 id、1 个 worker 时，实验室的服务器同时看到 ${one.server.peak()} 个连接，你的程序输出了 ${one.lines.length} 个回复（期望是 1 和 5）。`,
      });
    }),
  );

  verdicts.push(
    await verdict(
      { en: 'More workers than ids, and no ids at all', zh: 'worker 比 id 多，以及没有 id 的情况' },
      async () => {
        const few = await fetch(env, [1, 2], 8, 10);
        expectExited(few, { en: '2 ids, 8 workers', zh: '2 个 id，8 个 worker' });
        expect(few.lines.join(',') === 'value-1,value-2', {
          en: `With ids 1,2 and 8 workers your program printed ${JSON.stringify(few.lines)}; expected ["value-1","value-2"].`,
          zh: `id 为 1,2、8 个 worker 时你的程序输出了 ${JSON.stringify(few.lines)}；期望是 ["value-1","value-2"]。`,
        });
        const none = await fetch(env, [], 4, 10);
        expectExited(none, {
          en: 'No ids, 4 workers (a pool whose workers wait for work that never comes must still end)',
          zh: '没有 id、4 个 worker（worker 等待永远不会来的任务时，池也必须结束）',
        });
        expect(none.lines.length === 0, {
          en: `With no ids your program printed ${JSON.stringify(none.lines)}; expected nothing.`,
          zh: `没有 id 时你的程序输出了 ${JSON.stringify(none.lines)}；期望是什么也不输出。`,
        });
      },
    ),
  );
  return verdicts;
}
