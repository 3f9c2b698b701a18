// Checks of exercise 13 in Go. The checker is the heartbeat server the student's client dials: it sends MSG lines,
// answers PINGs with PONG for a while, then either closes or goes silent while keeping the connection open. The
// client must keep its PINGs going, print the messages in order, exit cleanly on a close, and notice the silence
// within its timeout: close the connection and exit with the timeout error.
import net from 'node:net';
import { expect, verdict, type ExerciseEnv, type ProgramRun, type Verdict } from '../goExerciseCheck.js';

/** The client's flags: a PING every 100 ms; 1 s of silence means the server is gone. */
const INTERVAL_MS = 100;
const TIMEOUT_MS = 1000;
/** Slack over the timeout for a busy machine; a client without a working deadline never notices at all. */
const NOTICE_SLACK_MS = 1500;

interface Script {
  /** Answer PINGs with PONG until this many ms after accept (Infinity: always). */
  answerFor: number;
  /** Close the connection this many ms after accept (Infinity: never). */
  closeAfter: number;
  messages?: string[];
}

export interface HeartbeatServer {
  port: number;
  pings(): number;
  /** performance.now() of the last byte the server sent. */
  lastSent(): number;
  /** performance.now() when the client closed its side, or null. */
  clientClosedAt(): number | null;
  close(): Promise<void>;
}

/** A heartbeat server for one client, following the script. */
export async function heartbeatServer(host: string, script: Script): Promise<HeartbeatServer> {
  let pings = 0;
  let lastSent = performance.now();
  let clientClosedAt: number | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const accepted = performance.now();
    const send = (line: string) => {
      if (socket.writable) socket.write(line, () => (lastSent = performance.now()));
    };
    for (const m of script.messages ?? []) send(`MSG ${m}\n`);
    lastSent = performance.now();
    if (script.closeAfter !== Infinity) setTimeout(() => socket.end(), script.closeAfter);
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      buffered += d;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line !== 'PING') continue;
        pings++;
        if (performance.now() - accepted < script.answerFor) send('PONG\n');
      }
    });
    // The client's FIN (or reset): it gave up on, or finished with, the connection.
    const closedByClient = () => (clientClosedAt ??= performance.now());
    socket.on('end', closedByClient);
    socket.on('error', closedByClient);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    pings: () => pings,
    lastSent: () => lastSent,
    clientClosedAt: () => clientClosedAt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function runClient(
  env: ExerciseEnv,
  script: Script,
  waitMs: number,
): Promise<{ program: ProgramRun; server: HeartbeatServer; exited: boolean; stoppedAt: number | null }> {
  const server = await heartbeatServer(env.host, script);
  try {
    const program = await env.start(
      ['-addr', `${env.host}:${server.port}`, '-interval', `${INTERVAL_MS}ms`, '-timeout', `${TIMEOUT_MS}ms`],
      { dial: [server.port] },
    );
    const exited = (await program.endWithin(waitMs)) !== null;
    // A client the lab has to stop closes its socket then: that close is not the client noticing anything.
    const stoppedAt = exited ? null : performance.now();
    if (!exited) await program.stop();
    return { program, server, exited, stoppedAt };
  } finally {
    await server.close();
  }
}

/** The checks of a server that goes silent: the client closes in time and exits with the timeout error. */
function expectNoticed(run: Awaited<ReturnType<typeof runClient>>, what: { en: string; zh: string }): void {
  const closed = run.server.clientClosedAt();
  const closedAt = closed !== null && (run.stoppedAt === null || closed < run.stoppedAt) ? closed : null;
  const after = closedAt === null ? null : Math.round(closedAt - run.server.lastSent());
  const silentFor = (((run.stoppedAt ?? performance.now()) - run.server.lastSent()) / 1000).toFixed(1);
  expect(after !== null && after < TIMEOUT_MS + NOTICE_SLACK_MS, {
    en: `${what.en}: ${after === null ? `your client never closed the connection (the lab stopped it after ${silentFor} s of silence)` : `your client closed the connection ${after} ms after the server's last byte`}; with -timeout ${TIMEOUT_MS}ms it should close about ${TIMEOUT_MS} ms after it. Give every read a deadline (conn.SetReadDeadline) and return its error.`,
    zh: `${what.zh}：${after === null ? `你的客户端一直没有关闭连接（沉默 ${silentFor} 秒后实验室停止了它）` : `你的客户端在服务器最后一个字节之后 ${after} 毫秒才关闭连接`}；-timeout 为 ${TIMEOUT_MS}ms 时，应在大约 ${TIMEOUT_MS} 毫秒后关闭。给每次读取设置截止时间（conn.SetReadDeadline），并返回它的错误。`,
  });
  const end = run.program.endResult();
  expect(run.exited && end?.exitCode !== undefined && end.exitCode !== 0 && /timeout/i.test(run.program.output()), {
    en: `${what.en}: keepAlive should return the read's timeout error, and main then prints it and exits with status 1; ${run.program.describeEnd().en}.`,
    zh: `${what.zh}：keepAlive 应返回读取超时的错误，main 随后打印它并以状态码 1 退出；${run.program.describeEnd().zh}。`,
  });
}

export async function checkHeartbeatClient(env: ExerciseEnv): Promise<Verdict[]> {
  const talk = await runClient(env, { answerFor: Infinity, closeAfter: 750, messages: ['one', 'two', 'three'] }, 6000);
  const verdicts = [
    await verdict(
      {
        en: 'A PING every interval, and a clean exit when the server closes',
        zh: '每个间隔一次 PING，服务器关闭时正常退出',
      },
      () => {
        const pings = talk.server.pings();
        expect(pings >= 3 && pings <= 12, {
          en: `In 750 ms with -interval ${INTERVAL_MS}ms the server should get about 7 PINGs; it got ${pings}.`,
          zh: `在 750 毫秒内、-interval 为 ${INTERVAL_MS}ms 时，服务器应收到大约 7 个 PING；实际收到 ${pings} 个。`,
        });
        expect(talk.exited && talk.program.endResult()?.exitCode === 0, {
          en: `When the server closes the connection, keepAlive must return nil and the program exit with status 0; ${talk.program.describeEnd().en}.`,
          zh: `服务器关闭连接时，keepAlive 必须返回 nil，程序以状态码 0 退出；${talk.program.describeEnd().zh}。`,
        });
      },
    ),
    await verdict({ en: 'Messages are printed in order', zh: '消息按顺序打印' }, () => {
      const got = talk.program.stdoutLines().filter((l) => l.startsWith('message: '));
      expect(got.join('|') === 'message: one|message: two|message: three', {
        en: `The server sent MSG one, MSG two, MSG three; your client printed ${JSON.stringify(got)}. Pass each MSG line's text to onMessage, in order.`,
        zh: `服务器发送了 MSG one、MSG two、MSG three；你的客户端输出了 ${JSON.stringify(got)}。请按顺序把每一行 MSG 的文本交给 onMessage。`,
      });
    }),
  ];
  const silentWait = TIMEOUT_MS + NOTICE_SLACK_MS + 1500;
  verdicts.push(
    await verdict({ en: 'Notices a server that never answers', zh: '发现从不应答的服务器' }, async () => {
      const mute = await runClient(env, { answerFor: 0, closeAfter: Infinity }, silentWait);
      expectNoticed(mute, {
        en: 'A server that reads PINGs but never answers, and keeps the connection open',
        zh: '服务器读取 PING 但从不应答，并保持连接打开',
      });
    }),
    await verdict({ en: 'Notices a server that goes quiet later', zh: '发现后来变得沉默的服务器' }, async () => {
      const freeze = await runClient(env, { answerFor: 450, closeAfter: Infinity }, 450 + silentWait);
      expectNoticed(freeze, {
        en: 'A server that answers for 450 ms, then freezes with the connection open',
        zh: '服务器应答 450 毫秒后停止响应，连接仍然打开',
      });
      expect(freeze.server.pings() >= 2, {
        en: `While the server answered, your client should have kept its PINGs going; the server got only ${freeze.server.pings()}.`,
        zh: `服务器应答期间你的客户端应持续发送 PING；服务器只收到了 ${freeze.server.pings()} 个。`,
      });
    }),
  );
  return verdicts;
}
