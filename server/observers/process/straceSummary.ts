// Reads the summary table `strace -c` prints (calls, errors and time per system call) into numbers. Pure.

/** One row of the table: a system call and how often it was made while strace watched. */
export interface StraceRow {
  syscall: string;
  calls: number;
  /** Calls that returned an error (EAGAIN from a non-blocking read counts here). */
  errors: number;
  /** Seconds spent in the call as strace measured it (system time with -c; wall time with -w). */
  seconds: number;
}

export interface StraceSummary {
  rows: StraceRow[];
  /** The table's total line. */
  totalCalls: number;
  totalErrors: number;
}

/**
 * Parses the table strace -c writes (to stderr, or to the -o file) when it detaches:
 *
 *     % time     seconds  usecs/call     calls    errors syscall
 *     ------ ----------- ----------- --------- --------- ----------------
 *      86.64    5.636462        5739       982        47 futex
 *       1.25    0.081599         407       200           read
 *     ------ ----------- ----------- --------- --------- ----------------
 *     100.00    5.717061                  1182        47 total
 *
 * Lines before the header (attach messages) are skipped. strace 5.x–6.x also print a `usecs/call` column only for
 * rows, and newer ones may add min/max columns: the columns are found by the header's names, not by position.
 * Returns null when there is no table (strace failed before it could count anything).
 */
export function parseStraceSummary(text: string): StraceSummary | null {
  const lines = text.split('\n');
  const headerAt = lines.findIndex((l) => /^\s*% time\s+seconds\b.*\bcalls\b.*\bsyscall\s*$/.test(l));
  if (headerAt < 0) return null;
  // The numbers are right-aligned under their names, and a blank cell (no errors; the total's usecs/call) leaves
  // a gap: each number belongs to the column whose name ends nearest to where the number ends.
  const columns = cellsOf(lines[headerAt]!.replace('% time', '%time'));
  const numberColumns = columns.slice(0, -1);
  const rows: StraceRow[] = [];
  let total: { calls: number; errors: number } | null = null;
  for (const line of lines.slice(headerAt + 1)) {
    const trimmed = line.trim();
    if (trimmed === '' || /^-+(\s+-+)*$/.test(trimmed)) continue;
    const cells = cellsOf(line);
    const syscall = cells.pop()!.text;
    const values: Record<string, number> = {};
    for (const cell of cells) {
      const value = Number(cell.text);
      if (!Number.isFinite(value)) return null;
      let best = numberColumns[0]!;
      for (const c of numberColumns) if (Math.abs(c.end - cell.end) < Math.abs(best.end - cell.end)) best = c;
      values[best.text] = value;
    }
    const calls = values['calls'];
    if (calls === undefined) return null;
    const errors = values['errors'] ?? 0;
    if (syscall === 'total') {
      total = { calls, errors };
      break;
    }
    rows.push({ syscall, calls, errors, seconds: values['seconds'] ?? 0 });
  }
  return {
    rows,
    totalCalls: total?.calls ?? rows.reduce((s, r) => s + r.calls, 0),
    totalErrors: total?.errors ?? rows.reduce((s, r) => s + r.errors, 0),
  };
}

interface Cell {
  text: string;
  /** The column just past the cell's last character. */
  end: number;
}

function cellsOf(line: string): Cell[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], end: m.index! + m[0].length }));
}
