// Lesson 7 in TypeScript: a timeout with select and time.after, a fan-in loop that switches closed channels off
// by setting them to null (Go's nil channel), and a non-blocking send with default.
import { chan, fmt, go, recvCase, select, sendCase, time, type Chan } from 'gonet';

/** Answers after d ms; the channel has room for the answer so the goroutine can finish even if nobody waits. */
function slowCall(d: number): Chan<string> {
  const result = chan<string>(1, { name: 'result' });
  go(async () => {
    await time.sleep(d);
    await result.send(`answer after ${d} ms`);
  });
  return result;
}

/** Sends n values, one every `every` ms, then closes its channel. */
function producer(name: string, every: number, n: number): Chan<string> {
  const ch = chan<string>(0, { name });
  go(async () => {
    try {
      for (let i = 0; i < n; i++) {
        await time.sleep(every);
        await ch.send(`${name}${i}`);
      }
    } finally {
      ch.close(); // Go's `defer close(ch)`
    }
  });
  return ch;
}

export async function main(): Promise<void> {
  // 1. A timeout: whichever is ready first wins.
  for (const d of [50, 300]) {
    await select([
      recvCase(slowCall(d), (v) => fmt.println('got:', v)),
      recvCase(time.after(200 * time.Millisecond), () =>
        fmt.printf('timeout: the %d ms call was still running after 200 ms\n', d),
      ),
    ]);
  }

  // 2. Fan-in: one loop receives from two producers; a closed one becomes null, which select never picks.
  let fast: Chan<string> | null = producer('f', 20, 4);
  let slow: Chan<string> | null = producer('s', 55, 3);
  while (fast !== null || slow !== null) {
    await select([
      recvCase(fast, (v, ok) => {
        if (!ok) fast = null;
        else fmt.println('fast:', v);
      }),
      recvCase(slow, (v, ok) => {
        if (!ok) slow = null;
        else fmt.println('slow:', v);
      }),
    ]);
  }

  // 3. A non-blocking send: default runs only when no case is ready.
  const queue = chan<number>(2, { name: 'queue' });
  for (let i = 0; i < 4; i++) {
    await select([sendCase(queue, i, () => fmt.println('queued', i))], {
      default: () => fmt.println('queue full, dropped', i),
    });
  }
}
