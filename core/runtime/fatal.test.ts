// Fatal errors end the program as in Go: recover (try/catch) cannot catch them, and nothing the program still does
// afterwards (a catch block around the failing call, a host callback) reaches the instrumentation hook.
import { describe, expect, it } from 'vitest';
import type { GoroutineEvent } from '../protocol/events/goroutine.js';
import { chan, createRuntime, go, Mutex, RWMutex, withRuntime, type RunResult } from './index.js';

interface Heard {
  result: RunResult;
  /** Event kinds heard after go.runEnd. */
  afterEnd: string[];
  halted: boolean;
}

/** Runs main, then lets `late` (outside code, after the run ended) act on the run; returns what the hook heard. */
async function runHearing(main: () => Promise<void>, late?: () => void): Promise<Heard> {
  const afterEnd: string[] = [];
  let ended = false;
  const rt = createRuntime({
    seed: 1,
    clock: 'virtual',
    onEvent: (e: GoroutineEvent) => {
      if (ended) afterEnd.push(e.kind);
      if (e.kind === 'go.runEnd') ended = true;
    },
  });
  const result = await rt.run(main);
  if (late) await new Promise<void>((resolve) => setTimeout(() => (late(), resolve()), 0));
  return { result, afterEnd, halted: rt.halted };
}

/** Does everything a program could do that the hook would hear: a new channel, a goroutine, a lock, a close. */
function actVisibly(): void {
  const ch = chan<number>(1);
  go(async () => {});
  new Mutex('late').tryLock();
  ch.close();
}

describe('fatal errors stop the program', () => {
  const fatalCalls: [string, () => void][] = [
    ['Mutex.Unlock of an unlocked mutex', () => new Mutex().unlock()],
    ['RWMutex.RUnlock of an unlocked RWMutex', () => new RWMutex().rUnlock()],
    ['RWMutex.Unlock of an unlocked RWMutex', () => new RWMutex().unlock()],
  ];
  for (const [name, call] of fatalCalls) {
    it(`${name}: a catch around it (recover's twin) still sees the run end, and nothing it does is heard`, async () => {
      let caught = false;
      let afterAwait = false;
      const heard = await runHearing(async () => {
        try {
          call();
        } catch {
          caught = true;
          actVisibly();
        }
        await chan<number>(1).send(1);
        afterAwait = true;
      });
      expect(heard.result.status).toBe('fatal');
      expect(heard.result.report).toMatch(/^fatal error: sync: /);
      // JavaScript runs the catch block; the run is over all the same and nothing after it is heard.
      expect(caught).toBe(true);
      expect(heard.afterEnd).toEqual([]);
      expect(afterAwait).toBe(false);
      expect(heard.halted).toBe(true);
    });
  }

  it('a fatal error raised outside any goroutine still ends the run', async () => {
    const rt = createRuntime({ seed: 1, clock: 'virtual' });
    rt.keepAlive(); // outside code may still wake main: not a deadlock
    const done = rt.run(async () => {
      await chan<number>().recv();
    });
    // Outside code (a host callback): no goroutine to blame, the run ends anyway.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    expect(() => withRuntime(rt, () => new Mutex().unlock())).toThrow();
    const r = await done;
    expect(r.status).toBe('fatal');
    expect(r.report).toMatch(/^fatal error: sync: unlock of unlocked mutex/);
  });

  it('a deadlock is fatal too: outside code acting on the run afterwards is not heard', async () => {
    const heard = await runHearing(async () => {
      await chan<number>().recv();
    }, actVisibly);
    expect(heard.result.status).toBe('deadlock');
    expect(heard.halted).toBe(true);
    expect(heard.afterEnd).toEqual([]);
  });

  it('a run that ends normally is not halted (its hook keeps what it hears today)', async () => {
    const heard = await runHearing(async () => {});
    expect(heard.result.status).toBe('ok');
    expect(heard.halted).toBe(false);
  });
});
