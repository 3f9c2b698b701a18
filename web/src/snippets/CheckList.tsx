// The results of an exercise's checks, one line each (✓/✗, name, why it failed), in the student's language: the
// TypeScript snippet's checks and the Go exercise's checks are shown alike.
import type { LocalizedText } from '@core/protocol/errors';
import { SNIPPET_TEXT } from './snippetText';

export interface CheckLine {
  index: number;
  name: LocalizedText;
  pass: boolean;
  message: LocalizedText | null;
}

export function CheckList({
  checks,
  running,
  language,
  testId = 'snippet-checks',
}: {
  checks: readonly CheckLine[];
  /** The check under way, shown last. */
  running?: LocalizedText | null;
  language: 'en' | 'zh';
  testId?: string;
}) {
  return (
    <ol className="snippet-checks" data-testid={testId}>
      {checks.map((c) => (
        <li key={c.index} className={c.pass ? 'pass' : 'fail'} data-testid="check-result" data-pass={c.pass}>
          <span className="mark">{c.pass ? '✓' : '✗'}</span> <strong>{c.name[language]}</strong>{' '}
          <span className="muted">{(c.pass ? SNIPPET_TEXT.passed : SNIPPET_TEXT.failed)[language]}</span>
          {c.message && <div className="check-message">{c.message[language]}</div>}
        </li>
      ))}
      {running && (
        <li className="running">
          <span className="mark">…</span> {running[language]}
        </li>
      )}
    </ol>
  );
}
