// Reads the lines lessons/28-dns/main.go prints for each lookup back into fields, so the page can set what Go
// reported beside the packets the lookup sent. Pure.
import type { GoLookupLine } from '../../../core/protocol/demos/dns.js';

const OK = /^lookup (\S+?)\.?: ok (.*) in \S+$/;
const ERR =
  /^lookup (\S+?)\.?: error ("(?:[^"\\]|\\.)*")(?: err=("(?:[^"\\]|\\.)*") IsNotFound=(\w+) IsTimeout=(\w+) IsTemporary=(\w+))?/;

export function parseGoLookups(output: string): GoLookupLine[] {
  const lines: GoLookupLine[] = [];
  for (const line of output.split('\n')) {
    const ok = OK.exec(line);
    if (ok) {
      lines.push({
        name: ok[1],
        result: ok[2],
        ok: true,
        isNotFound: false,
        isTimeout: false,
        isTemporary: false,
        err: '',
      });
      continue;
    }
    const err = ERR.exec(line);
    if (err) {
      lines.push({
        name: err[1],
        result: unquote(err[2]),
        ok: false,
        isNotFound: err[4] === 'true',
        isTimeout: err[5] === 'true',
        isTemporary: err[6] === 'true',
        err: err[3] ? unquote(err[3]) : '',
      });
    }
  }
  return lines;
}

/** Go's %q of an ASCII string is a JSON string literal. */
function unquote(q: string): string {
  try {
    return JSON.parse(q) as string;
  } catch {
    return q.slice(1, -1);
  }
}
