// Lesson 10 in TypeScript: a search that leaks its worker when the timeout wins, the same search with a context
// that stops the worker, and a group of workers cancelled together. When main returns, the run reports the
// goroutines still blocked: the leaky searches' workers.
import { chan, context, fmt, go, recvCase, select, time, type Context } from 'gonet';

async function searchLeaky(timeout: number, work: number): Promise<[string, Error | null]> {
  const answer = chan<string>(0, { name: 'answer' });
  go(async function leakyWorker() {
    await time.sleep(work);
    await answer.send('result'); // blocks forever once the caller has given up
  });
  const s = await select([recvCase(answer), recvCase(time.after(timeout))]);
  return s.index === 0 ? [s.value as string, null] : ['', new Error('timeout')];
}

async function search(ctx: Context, work: number): Promise<[string, Error | null]> {
  const answer = chan<string>(1, { name: 'answer' });
  go(async function worker() {
    const s = await select([recvCase(time.after(work)), recvCase(ctx.done())]);
    if (s.index === 0) await answer.send('result'); // room for it even if the caller has gone
  });
  const s = await select([recvCase(answer), recvCase(ctx.done())]);
  return s.index === 0 ? [s.value as string, null] : ['', ctx.err()];
}

async function workers(ctx: Context, n: number): Promise<void> {
  const stopped = chan<number>(0, { name: 'stopped' });
  for (let w = 0; w < n; w++) {
    go(async (id: number) => {
      for (;;) {
        const { index } = await select([recvCase(ctx.done()), recvCase(time.after(10))]);
        if (index === 0) {
          await stopped.send(id);
          return;
        }
      }
    }, w);
  }
  for (let i = 0; i < n; i++) fmt.println('worker stopped:', (await stopped.recv())[0]);
}

export async function main(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const [, err] = await searchLeaky(20, 50);
    fmt.println('leaky:', err);
  }
  await time.sleep(100); // every worker has done its work by now

  for (let i = 0; i < 5; i++) {
    const [ctx, cancel] = context.withTimeout(context.background(), 20);
    const [, err] = await search(ctx, 50);
    cancel(); // always call it: it releases the context's timer and stops its goroutines
    fmt.println('with context:', err);
  }
  await time.sleep(100);

  const [ctx, cancel] = context.withCancel(context.background());
  time.afterFunc(50, cancel);
  await workers(ctx, 3);
  fmt.println('all workers stopped:', ctx.err());
  fmt.println('main returns; the report below lists the goroutines still blocked');
}
