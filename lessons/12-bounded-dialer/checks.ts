// Checks of exercise 12. The checker runs a real TCP server (through the lab's bridge) that answers slowly and
// counts how many connections are open at once; the student's fetchAll must stay within its bound, use all of
// it, return every reply in order, and leave no goroutine behind.
import { bufio, go, net, time } from 'gonet';
import { defineChecks, type CheckContext } from 'gonet/check';
import type * as Exercise from './start';

interface CountingServer {
  addr: string;
  /** The most connections open at the same moment. */
  peak(): number;
  /** How many requests were answered. */
  served(): number;
  stop(): void;
}

async function countingServer(t: CheckContext, delayMs: number): Promise<CountingServer> {
  const [ln, err] = await net.listen('tcp', '127.0.0.1:0');
  if (err !== null)
    t.fail({ en: `The checker could not listen: ${err.message}`, zh: `检查程序无法监听:${err.message}` });
  let open = 0;
  let peak = 0;
  let served = 0;
  go(async () => {
    for (;;) {
      const [conn, aerr] = await ln.accept();
      if (aerr !== null) return;
      open++;
      peak = Math.max(peak, open);
      go(async () => {
        const [line, rerr] = await bufio.newReader(conn).readString('\n');
        if (rerr === null) {
          await time.sleep(delayMs);
          await conn.write(`value-${line.trim()}\n`);
          served++;
        }
        conn.close();
        open--;
      });
    }
  });
  return { addr: ln.addr().string(), peak: () => peak, served: () => served, stop: () => void ln.close() };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export default defineChecks<typeof Exercise>([
  {
    name: { en: 'Every reply, in the order of the ids', zh: '每个回复都在,且按 id 的顺序' },
    async run(ex, t) {
      const server = await countingServer(t, 20);
      const ids = [7, 3, 11, 1, 42, 5, 8, 13, 2, 21];
      const results = await ex.fetchAll(server.addr, ids, 3);
      server.stop();
      t.expectEqual(
        results,
        ids.map((id) => `value-${id}`),
        {
          en: 'fetchAll(addr, 10 ids, 3 workers) returned the wrong replies.',
          zh: 'fetchAll(addr, 10 个 id, 3 个 worker)返回的回复不对。',
        },
      );
    },
  },
  {
    name: { en: 'Never more than `workers` connections at once', zh: '同时打开的连接不超过 workers 个' },
    async run(ex, t) {
      const server = await countingServer(t, 40);
      await ex.fetchAll(server.addr, range(15), 3);
      server.stop();
      t.expect(server.peak() <= 3, {
        en: `With workers = 3 the server saw ${server.peak()} connections open at the same time. Start a fixed number of workers (or hold a slot in a buffered channel) instead of one goroutine per id.`,
        zh: `workers = 3 时服务器同时看到了 ${server.peak()} 个连接。请启动固定数量的 worker(或用带缓冲的 channel 占位),而不是每个 id 一个 goroutine。`,
      });
    },
  },
  {
    name: { en: 'Uses all of its workers', zh: '用满所有 worker' },
    async run(ex, t) {
      // Slow answers, so that the workers' connections overlap even on a busy machine.
      const server = await countingServer(t, 150);
      await ex.fetchAll(server.addr, range(16), 4);
      server.stop();
      t.expect(server.peak() >= 4, {
        en: `With workers = 4 and 16 slow requests, the server never saw more than ${server.peak()} connections at once: the pool should keep all 4 workers busy while work remains.`,
        zh: `workers = 4 且有 16 个慢请求时,服务器同时看到的连接从未超过 ${server.peak()} 个:还有任务时应让 4 个 worker 全部忙碌。`,
      });
    },
  },
  {
    name: { en: 'One worker means one request at a time', zh: '一个 worker 就一次一个请求' },
    async run(ex, t) {
      const server = await countingServer(t, 10);
      const results = await ex.fetchAll(server.addr, range(5), 1);
      server.stop();
      t.expect(server.peak() === 1 && results.length === 5, {
        en: `With workers = 1 the server saw ${server.peak()} connections at once and fetchAll returned ${results.length} replies (expected 1 and 5).`,
        zh: `workers = 1 时服务器同时看到 ${server.peak()} 个连接,fetchAll 返回了 ${results.length} 个回复(期望是 1 和 5)。`,
      });
    },
  },
  {
    name: { en: 'More workers than ids, and no ids at all', zh: 'worker 比 id 多,以及没有 id 的情况' },
    async run(ex, t) {
      const server = await countingServer(t, 10);
      const few = await ex.fetchAll(server.addr, [1, 2], 8);
      const none = await ex.fetchAll(server.addr, [], 4);
      server.stop();
      t.expectEqual(few, ['value-1', 'value-2'], {
        en: 'fetchAll(addr, [1, 2], 8 workers) returned the wrong replies.',
        zh: 'fetchAll(addr, [1, 2], 8 个 worker)返回的回复不对。',
      });
      t.expectEqual(none, [], {
        en: 'fetchAll with no ids must return an empty list (and not wait forever).',
        zh: '没有 id 时 fetchAll 必须返回空列表(而不是永远等待)。',
      });
    },
  },
  {
    name: { en: 'No goroutine left behind', zh: '没有遗留的 goroutine' },
    noLeaks: true,
    async run(ex, t) {
      const server = await countingServer(t, 5);
      await ex.fetchAll(server.addr, range(6), 3);
      server.stop();
      // Give finished workers a moment to exit; a worker still blocked after this is a leak.
      await time.sleep(20);
    },
  },
]);
