// Checks of exercise 13. The checker's server speaks the heartbeat protocol over real TCP (through the lab's
// bridge): it counts PINGs, sends messages, closes, or goes silent while keeping the connection open — and the
// student's keepAlive must keep pace, deliver, notice the silence in time, close, and leave no goroutine behind.
import { bufio, go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import type * as Exercise from './start';

interface Script {
  /** Answer PINGs with PONG until this many ms after accept (Infinity: always). */
  answerFor: number;
  /** Close the connection this many ms after accept (Infinity: never). */
  closeAfter: number;
  /** Lines "MSG …" to send right after accept. */
  messages?: string[];
}

interface HeartbeatServer {
  addr: string;
  pings(): number;
  /** Run-clock time of the last byte the server sent. */
  lastSent(): number;
  /** True once the client closed its side (the server read EOF). */
  clientClosed(): boolean;
  stop(): void;
}

async function heartbeatServer(t: CheckContext, script: Script): Promise<HeartbeatServer> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null)
    t.fail({ en: `The checker could not listen: ${err.message}`, zh: `检查程序无法监听:${err.message}` });
  let pings = 0;
  let lastSent = time.now();
  let clientClosed = false;
  go(async () => {
    const [conn, aerr] = await ln.accept();
    if (aerr !== null) return;
    const started = time.now();
    for (const m of script.messages ?? []) await conn.write(`MSG ${m}\n`);
    lastSent = time.now();
    if (script.closeAfter !== Infinity) {
      go(async () => {
        await time.sleep(script.closeAfter);
        conn.close();
      });
    }
    const reader = bufio.newReader(conn);
    for (;;) {
      const [line, rerr] = await reader.readString('\n');
      if (rerr !== null) {
        clientClosed = true;
        break;
      }
      if (line !== 'PING\n') continue;
      pings++;
      if (time.since(started) < script.answerFor) {
        await conn.write('PONG\n');
        lastSent = time.now();
      }
    }
    conn.close();
  });
  return {
    addr: ln.addr().string(),
    pings: () => pings,
    lastSent: () => lastSent,
    clientClosed: () => clientClosed,
    stop: () => void ln.close(),
  };
}

// The timeout leaves ten intervals for a PONG to come back: on a busy machine a round trip through the bridge can
// stall for hundreds of ms, and a check must not take that for a dead server.
const OPTS = { interval: 100, timeout: 1000 };

async function expectTimeout(
  ex: typeof Exercise,
  t: CheckContext,
  script: Script,
  what: { en: string; zh: string },
): Promise<HeartbeatServer> {
  const server = await heartbeatServer(t, script);
  const err = await ex.keepAlive(server.addr, OPTS, () => {});
  const noticedAfter = time.since(server.lastSent());
  t.expect(err !== null && net.isTimeout(err), {
    en: `${what.en}: keepAlive returned ${err === null ? 'null' : JSON.stringify(err.message)}; it must return the timeout error of the read (net.isTimeout(err) is true).`,
    zh: `${what.zh}:keepAlive 返回了 ${err === null ? 'null' : JSON.stringify(err.message)};它应返回读取超时的错误(net.isTimeout(err) 为 true)。`,
  });
  // Generous: a busy machine delays timers; a client without a working deadline never gets here at all.
  t.expect(noticedAfter < 2 * OPTS.timeout + 200, {
    en: `${what.en}: the silence was noticed ${noticedAfter.toFixed(0)} ms after the last byte; the timeout is ${OPTS.timeout} ms.`,
    zh: `${what.zh}:在最后一个字节之后 ${noticedAfter.toFixed(0)} 毫秒才发现对端沉默;超时是 ${OPTS.timeout} 毫秒。`,
  });
  // The client must have closed: the server reads EOF shortly after (a busy machine may take a while; 1 s at most).
  for (let waited = 0; !server.clientClosed() && waited < 1000; waited += 20) await time.sleep(20);
  t.expect(server.clientClosed(), {
    en: `${what.en}: after giving up, keepAlive must close the connection; the server never saw it close.`,
    zh: `${what.zh}:放弃之后 keepAlive 必须关闭连接;服务器一直没有看到连接关闭。`,
  });
  server.stop();
  return server;
}

export default defineChecks<typeof Exercise>([
  {
    name: {
      en: 'A PING every interval, and null when the server closes',
      zh: '每个间隔一次 PING,服务器关闭时返回 null',
    },
    async run(ex, t) {
      const server = await heartbeatServer(t, { answerFor: Infinity, closeAfter: 750 });
      const err = await ex.keepAlive(server.addr, OPTS, () => {});
      server.stop();
      t.expect(err === null, {
        en: `When the server closes the connection, keepAlive must return null; it returned ${JSON.stringify(err?.message)}.`,
        zh: `服务器关闭连接时 keepAlive 必须返回 null;它返回了 ${JSON.stringify(err?.message)}。`,
      });
      t.expect(server.pings() >= 3 && server.pings() <= 12, {
        en: `In 750 ms with an interval of ${OPTS.interval} ms the server should get about 7 PINGs; it got ${server.pings()}.`,
        zh: `在 750 毫秒内、间隔为 ${OPTS.interval} 毫秒时,服务器应收到大约 7 个 PING;实际收到 ${server.pings()} 个。`,
      });
    },
  },
  {
    name: { en: 'Messages are delivered in order', zh: '消息按顺序送达' },
    async run(ex, t) {
      const server = await heartbeatServer(t, {
        answerFor: Infinity,
        closeAfter: 250,
        messages: ['one', 'two', 'three'],
      });
      const got: string[] = [];
      await ex.keepAlive(server.addr, OPTS, (text) => got.push(text));
      server.stop();
      t.expectEqual(got, ['one', 'two', 'three'], {
        en: 'onMessage was not called with each MSG line’s text, in order.',
        zh: 'onMessage 没有按顺序收到每一行 MSG 的文本。',
      });
    },
  },
  {
    name: { en: 'Notices a server that never answers', zh: '发现从不应答的服务器' },
    timeoutMs: 5000,
    async run(ex, t) {
      await expectTimeout(
        ex,
        t,
        { answerFor: 0, closeAfter: Infinity },
        { en: 'A server that reads PINGs but never answers', zh: '服务器读取 PING 但从不应答' },
      );
    },
  },
  {
    name: { en: 'Notices a server that goes quiet later', zh: '发现后来变得沉默的服务器' },
    timeoutMs: 5000,
    async run(ex, t) {
      const server = await expectTimeout(
        ex,
        t,
        { answerFor: 450, closeAfter: Infinity },
        { en: 'A server that answers for 450 ms, then freezes', zh: '服务器应答 450 毫秒后停止响应' },
      );
      t.expect(server.pings() >= 2, {
        en: `While the server answered, keepAlive should have kept the connection (and its PINGs) going; the server got only ${server.pings()} PINGs.`,
        zh: `服务器应答期间 keepAlive 应保持连接并持续发送 PING;服务器只收到了 ${server.pings()} 个 PING。`,
      });
    },
  },
  {
    name: { en: 'No goroutine left behind', zh: '没有遗留的 goroutine' },
    noLeaks: true,
    timeoutMs: 3000,
    async run(ex, t) {
      const server = await heartbeatServer(t, { answerFor: Infinity, closeAfter: 300 });
      await ex.keepAlive(server.addr, OPTS, () => {});
      server.stop();
      // A heartbeat still blocked on its ticker shortly after keepAlive returned was not stopped: a leak.
      await time.sleep(20);
    },
  },
]);
