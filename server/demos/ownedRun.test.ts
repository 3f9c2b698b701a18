import { describe, expect, it } from 'vitest';
import { OwnedRun, waitOrAbort } from './ownedRun.js';

const pageA = { session: 'a', local: true };
const pageB = { session: 'b', local: false };

/** A run that lasts until it is stopped, and says whether it saw the stop. */
const untilStopped = (signal: AbortSignal) =>
  new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('stopped'), { once: true }));

describe('OwnedRun', () => {
  it('belongs to the page that started it: another page may neither start nor stop one meanwhile', async () => {
    const slot = new OwnedRun<string>('a load run');
    const done = slot.start(pageB, untilStopped, undefined);
    expect(() => slot.checkStart(pageA)).toThrow(expect.objectContaining({ code: 'E_DEMO_IN_USE' }));
    expect(() => slot.start(pageA, untilStopped, undefined)).toThrow(
      expect.objectContaining({ code: 'E_DEMO_IN_USE' }),
    );
    // pageB is a remote page; pageA is the instructor's browser on the lab's machine, which may stop it.
    const other = new OwnedRun<string>('a load run');
    void other.start(pageA, untilStopped, undefined);
    await expect(other.stop(pageB)).rejects.toMatchObject({ code: 'E_NOT_OWNER' });
    expect(other.current).not.toBeNull();
    await expect(slot.stop(pageA)).resolves.toEqual({ stopped: true });
    await expect(done).resolves.toBe('stopped');
    expect(slot.current).toBeNull();
    await other.abortAndWait();
  });

  it('refuses a second run of the same page unless asked to replace it, which waits for the first to end', async () => {
    const slot = new OwnedRun<string, number>('a storm');
    const first = slot.start(pageA, untilStopped, 1);
    expect(() => slot.start(pageA, untilStopped, 2)).toThrow(expect.objectContaining({ code: 'E_ACTION_FAILED' }));
    const order: string[] = [];
    void first.then(() => order.push('first ended'));
    const second = slot.start(
      pageA,
      async () => {
        order.push('second began');
        return 'second';
      },
      3,
      { replaceOwn: true },
    );
    expect(slot.current?.extra).toBe(3);
    await expect(second).resolves.toBe('second');
    expect(order).toEqual(['first ended', 'second began']);
    expect(slot.current).toBeNull();
  });

  it('stops the run when its page leaves, not when another page does; stop without a run says so', async () => {
    const slot = new OwnedRun<string>('a run');
    await expect(slot.stop(pageA)).resolves.toEqual({ stopped: false });
    const done = slot.start(pageA, untilStopped, undefined);
    slot.sessionClosed('b');
    expect(slot.current).not.toBeNull();
    slot.sessionClosed('a');
    await expect(done).resolves.toBe('stopped');
  });

  it('forgets a run that failed, so the next may start', async () => {
    const slot = new OwnedRun<string>('a run');
    await expect(slot.start(pageA, () => Promise.reject(new Error('boom')), undefined)).rejects.toThrow('boom');
    expect(slot.current).toBeNull();
    await expect(slot.start(pageB, async () => 'ok', undefined)).resolves.toBe('ok');
  });
});

describe('waitOrAbort', () => {
  it('ends early when the signal aborts, and at once when it already has', async () => {
    const abort = new AbortController();
    const waiting = waitOrAbort(60_000, abort.signal);
    abort.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(waitOrAbort(60_000, abort.signal)).resolves.toBeUndefined();
  });
});
