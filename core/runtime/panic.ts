// Go-style panics and fatal errors of the goroutine runtime, with Go's own wording ("send on closed channel").

/** A Go panic: thrown by the runtime (or by `panic(v)`); recoverable with try/catch like Go's recover(). */
export class GoPanic extends Error {
  constructor(readonly value: unknown) {
    super(describePanicValue(value));
    this.name = 'GoPanic';
  }
}

/**
 * An unrecoverable runtime error (Go's `fatal error: ...`, e.g. unlocking an unlocked mutex).
 * The run is already over when it is thrown; catching it does not bring the run back.
 */
export class GoFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoFatalError';
  }
}

/** Go's `panic(v)`. */
export function panic(value: unknown): never {
  throw new GoPanic(value);
}

/** The messages the runtime panics with, word for word as Go prints them. */
export const PANIC = {
  sendOnClosed: 'send on closed channel',
  closeOfClosed: 'close of closed channel',
  closeOfNil: 'close of nil channel',
  makechanSize: 'makechan: size out of range',
  negativeWaitGroup: 'sync: negative WaitGroup counter',
  unlockOfUnlockedMutex: 'sync: unlock of unlocked mutex',
  rUnlockOfUnlockedRWMutex: 'sync: RUnlock of unlocked RWMutex',
  unlockOfUnlockedRWMutex: 'sync: Unlock of unlocked RWMutex',
  nonPositiveTicker: 'non-positive interval for NewTicker',
  nilParentContext: 'cannot create context from nil parent',
} as const;

/** How Go prints a panic value after "panic: ". */
export function describePanicValue(value: unknown): string {
  if (value instanceof GoPanic) return value.message;
  if (value instanceof Error) return value.name === 'Error' ? value.message : `${value.name}: ${value.message}`;
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'nil';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The first line Go prints when a goroutine dies of this error. */
export function panicLine(err: unknown): string {
  if (err instanceof GoFatalError) return `fatal error: ${err.message}`;
  return `panic: ${describePanicValue(err)}`;
}
