// The bits of Go's os package snippets meet: the error a deadline produces.
import { GoError } from './errors';

class DeadlineExceededError extends GoError {
  constructor() {
    super('i/o timeout');
    this.name = 'DeadlineExceededError';
  }

  timeout(): boolean {
    return true;
  }
}

/** What read/write return (wrapped in a net.OpError) when a deadline passes: `errors.is(err, os.ErrDeadlineExceeded)`. */
export const ErrDeadlineExceeded: Error = new DeadlineExceededError();
