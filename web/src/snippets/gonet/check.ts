// 'gonet/check': how an exercise's checks.ts declares its checks. Each check gets the student's module and a
// context to fail with a message in both languages; the runner runs each in its own goroutine runtime, with a
// time limit, against real sockets.
import type { LocalizedText } from '@core/protocol/errors';

/** Thrown by t.fail(): ends the check with the message for the student. */
export class CheckFailure extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
    this.name = 'CheckFailure';
  }
}

export interface CheckContext {
  /** Ends the check as failed, with a message the student understands. */
  fail(message: LocalizedText): never;
  /** Fails with message unless cond holds. */
  expect(cond: boolean, message: LocalizedText): void;
  /** Fails unless actual and expected are equal (deep, with bytes compared by content); the message gets both values. */
  expectEqual(actual: unknown, expected: unknown, message: LocalizedText): void;
}

export interface CheckSpec<M = Record<string, unknown>> {
  name: LocalizedText;
  /** Milliseconds before the check is stopped and failed (default 5000). */
  timeoutMs?: number;
  /** Fail the check when goroutines started by the student's code are still blocked after run() returns. */
  noLeaks?: boolean;
  run(student: M, t: CheckContext): Promise<void> | void;
}

/** Declares an exercise's checks: `export default defineChecks<typeof Start>([{ name, run }, …])`. */
export function defineChecks<M>(checks: CheckSpec<M>[]): CheckSpec<M>[] {
  return checks;
}

export function describe(value: unknown): string {
  if (value instanceof Uint8Array) {
    const text = new TextDecoder().decode(value);
    return /^[\x20-\x7e]*$/.test(text) && value.length <= 64 ? JSON.stringify(text) : `${value.length} bytes`;
  }
  if (Array.isArray(value))
    return `[${value.slice(0, 8).map(describe).join(', ')}${value.length > 8 ? `, … (${value.length})` : ''}]`;
  if (value instanceof Error) return `error ${JSON.stringify(value.message)}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !(a instanceof Uint8Array) &&
    !(b instanceof Uint8Array)
  ) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

export function checkContext(): CheckContext {
  const t: CheckContext = {
    fail(message) {
      throw new CheckFailure(message);
    },
    expect(cond, message) {
      if (!cond) t.fail(message);
    },
    expectEqual(actual, expected, message) {
      if (deepEqual(actual, expected)) return;
      const got = describe(actual);
      const want = describe(expected);
      t.fail({
        en: `${message.en} Expected ${want}, got ${got}.`,
        zh: `${message.zh} 期望 ${want}，实际得到 ${got}。`,
      });
    },
  };
  return t;
}
