// Go's errors package for snippets: errors.new, errors.is (following wrapped causes, as %w makes them) and errors.as.

/** An error value with Go's text. `cause` is what `fmt.errorf('…: %w', err)` wrapped. */
export class GoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GoError';
  }
}

/** `errors.New(text)`: `errors.new('queue full')`. */
export function newError(text: string): Error {
  return new GoError(text);
}
export { newError as new };

/** `errors.Is(err, target)`: err is target, or wraps it somewhere in its chain of causes. */
export function is(err: unknown, target: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && e !== undefined && depth < 100; depth++) {
    if (e === target) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/** `errors.As(err, &target)`: the first error in the chain that is an instance of the class, or null. */
export function as<T extends Error>(err: unknown, type: abstract new (...args: never[]) => T): T | null {
  for (let e: unknown = err, depth = 0; e !== null && e !== undefined && depth < 100; depth++) {
    if (e instanceof type) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return null;
}

/** `errors.Unwrap(err)`. */
export function unwrap(err: unknown): unknown {
  return err instanceof Error ? (err.cause ?? null) : null;
}
