// Runs a demo's commands from a view: typed by the demo's command map, with pending and error state, and errors
// told in the student's current language from the error registry (re-rendered when the language changes).
import { useCallback, useState } from 'react';
import type { DemoAction, DemoArgs, DemoId, DemoResult } from '@core/protocol/demoCommands';
import { ERROR_MESSAGES, type WireError } from '@core/protocol/errors';
import { useLab } from '../../app/labContext';
import type { Language } from '../../i18n/language';
import { CommandError, type ArgsParam } from '../../net/labSocket';

/** A wire error as a student reads it: the code, the registry's text in their language, the server's detail. Pure. */
export function wireErrorText(error: WireError, language: Language): string {
  // A server newer than this page may send a code the page's registry lacks: its own text is the fallback.
  const text = Object.hasOwn(ERROR_MESSAGES, error.code)
    ? ERROR_MESSAGES[error.code][language]
    : error.message[language];
  return error.detail ? `${error.code}: ${text} (${error.detail})` : `${error.code}: ${text}`;
}

/** A failed command (or any error a view's step threw) as text in the student's language. Pure. */
export function commandErrorText(err: unknown, language: Language): string {
  if (err instanceof CommandError) return wireErrorText(err.error, language);
  return err instanceof Error ? err.message : String(err);
}

export interface DemoCommandRunner<D extends DemoId> {
  /** Runs `demo.action`; resolves with the result, or with undefined after recording the error. */
  run<A extends DemoAction<D>>(action: A, ...args: ArgsParam<DemoArgs<D, A>>): Promise<DemoResult<D, A> | undefined>;
  /** Commands sent and not yet answered. */
  pending: boolean;
  /** The last command's failure, in the current language; null once a command starts or succeeds. */
  error: string | null;
  /** Records a failure that did not come from run() (a step of the view's own). */
  fail(err: unknown): void;
}

export function useDemoCommand<D extends DemoId>(demo: D): DemoCommandRunner<D> {
  const { socket, language } = useLab();
  const [inFlight, setInFlight] = useState(0);
  // The failure itself is kept, not its text, so switching language re-tells it.
  const [failure, setFailure] = useState<{ err: unknown } | null>(null);
  const run = useCallback(
    async <A extends DemoAction<D>>(
      action: A,
      ...args: ArgsParam<DemoArgs<D, A>>
    ): Promise<DemoResult<D, A> | undefined> => {
      setFailure(null);
      setInFlight((n) => n + 1);
      try {
        return await socket.command(demo, action, ...args);
      } catch (err) {
        setFailure({ err });
        return undefined;
      } finally {
        setInFlight((n) => n - 1);
      }
    },
    [socket, demo],
  );
  const fail = useCallback((err: unknown) => setFailure({ err }), []);
  return { run, pending: inFlight > 0, error: failure ? commandErrorText(failure.err, language) : null, fail };
}
