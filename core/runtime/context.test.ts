// context semantics: cancel closes Done and propagates to children, deadlines and timeouts, values.
import { describe, expect, it } from 'vitest';
import { context, createRuntime, go, recvCase, select, time, type RunResult } from './index.js';

function runGo(main: () => Promise<void>): Promise<RunResult> {
  return createRuntime({ seed: 1, clock: 'virtual' }).run(main);
}

async function expectOk(p: Promise<RunResult>): Promise<RunResult> {
  const r = await p;
  if (r.status !== 'ok') throw new Error(`run ended with ${r.status}:\n${r.report}`);
  return r;
}

describe('context', () => {
  it('Background is never cancelled: its Done is a nil channel', async () => {
    await expectOk(
      runGo(async () => {
        const bg = context.background();
        expect(bg.done()).toBeNull();
        expect(bg.err()).toBeNull();
        expect(bg.deadline()).toEqual([0, false]);
      }),
    );
  });

  it('cancel closes Done, sets Err to Canceled, reaches children but not the parent', async () => {
    await expectOk(
      runGo(async () => {
        const [parent, cancelParent] = context.withCancel(context.background());
        const [child, cancelChild] = context.withCancel(parent);
        const [grandchild] = context.withCancel(child);
        let woke = 0;
        for (const ctx of [child, grandchild]) {
          go(async () => {
            const [, ok] = await ctx.done()!.recv();
            expect(ok).toBe(false);
            woke++;
          });
        }
        await time.sleep(1);
        cancelChild();
        cancelChild(); // idempotent
        await time.sleep(1);
        expect(woke).toBe(2);
        expect(child.err()).toBe(context.Canceled);
        expect(grandchild.err()).toBe(context.Canceled);
        expect(parent.err()).toBeNull();
        cancelParent();
        expect(parent.err()!.message).toBe('context canceled');
      }),
    );
  });

  it('a child of a cancelled parent starts cancelled', async () => {
    await expectOk(
      runGo(async () => {
        const [parent, cancel] = context.withCancel(context.background());
        cancel();
        const [child] = context.withCancel(parent);
        expect(child.err()).toBe(context.Canceled);
        expect((await child.done()!.recv())[1]).toBe(false);
      }),
    );
  });

  it('WithTimeout cancels with DeadlineExceeded when the time is up', async () => {
    await expectOk(
      runGo(async () => {
        const [ctx, cancel] = context.withTimeout(context.background(), 100 * time.Millisecond);
        const t0 = time.now();
        expect(ctx.deadline()).toEqual([t0 + 100, true]);
        const work = time.after(500);
        const s = await select([recvCase(ctx.done()), recvCase(work)]);
        expect(s.index).toBe(0);
        expect(time.since(t0)).toBe(100);
        expect(ctx.err()).toBe(context.DeadlineExceeded);
        expect(ctx.err()!.message).toBe('context deadline exceeded');
        cancel(); // cancelling afterwards keeps the first reason
        expect(ctx.err()).toBe(context.DeadlineExceeded);
      }),
    );
  });

  it('cancel before the deadline stops the timer and says Canceled', async () => {
    await expectOk(
      runGo(async () => {
        const [ctx, cancel] = context.withTimeout(context.background(), 1000);
        await time.sleep(10);
        cancel();
        expect(ctx.err()).toBe(context.Canceled);
        await time.sleep(2000);
        expect(ctx.err()).toBe(context.Canceled);
      }),
    );
  });

  it('a parent deadline that comes first bounds the child', async () => {
    await expectOk(
      runGo(async () => {
        const [parent] = context.withTimeout(context.background(), 50);
        const [child] = context.withTimeout(parent, 1000);
        expect(child.deadline()).toEqual(parent.deadline());
        await child.done()!.recv();
        expect(time.now()).toBe(50);
        expect(child.err()).toBe(context.DeadlineExceeded);
      }),
    );
  });

  it('WithDeadline in the past is cancelled at once', async () => {
    await expectOk(
      runGo(async () => {
        await time.sleep(10);
        const [ctx] = context.withDeadline(context.background(), 5);
        expect(ctx.err()).toBe(context.DeadlineExceeded);
      }),
    );
  });

  it('WithValue finds values up the chain and keeps cancellation', async () => {
    await expectOk(
      runGo(async () => {
        const [base, cancel] = context.withCancel(context.background());
        const a = context.withValue(base, 'user', 'ana');
        const b = context.withValue(a, 'req', 7);
        expect([b.value('user'), b.value('req'), b.value('none')]).toEqual(['ana', 7, undefined]);
        const [child] = context.withCancel(b);
        cancel();
        expect(child.err()).toBe(context.Canceled);
        expect(b.err()).toBe(context.Canceled);
      }),
    );
  });

  it('a nil parent panics', async () => {
    await expectOk(
      runGo(async () => {
        expect(() => context.withCancel(null as unknown as context.Context)).toThrow(
          'cannot create context from nil parent',
        );
      }),
    );
  });

  it('a worker stops when its context is cancelled (no leak)', async () => {
    const r = await expectOk(
      runGo(async () => {
        const [ctx, cancel] = context.withCancel(context.background());
        const out: number[] = [];
        go(async function ticker() {
          for (let i = 0; ; i++) {
            const s = await select([recvCase(ctx.done()), recvCase(time.after(10))]);
            if (s.index === 0) return;
            out.push(i);
          }
        });
        await time.sleep(35);
        cancel();
        await time.sleep(1);
        expect(out).toEqual([0, 1, 2]);
      }),
    );
    expect(r.leaks).toEqual([]);
  });
});
