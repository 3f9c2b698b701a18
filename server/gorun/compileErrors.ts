// Reads `go build` output into compile errors at file:line:col, for the editor's markers. Pure.
import type { GoCompileError } from '../../core/protocol/events/goRun.js';

/** `./main.go:8:14: message` (the column is missing in some vet-style messages). */
const ERROR_LINE = /^(?:\.\/)?([^\s:][^:]*\.go):(\d+)(?::(\d+))?: (.*)$/;

/**
 * The errors in `go build` output, in the order printed. A tab-indented line continues the error above it
 * (Go's "have … want …" notes). Lines that name no file (`# package`, "too many errors") are not errors.
 */
export function parseCompileErrors(output: string): GoCompileError[] {
  const errors: GoCompileError[] = [];
  for (const line of output.split('\n')) {
    const m = ERROR_LINE.exec(line);
    if (m) {
      errors.push({ file: m[1]!, line: Number(m[2]), col: m[3] ? Number(m[3]) : 0, message: m[4]! });
      continue;
    }
    const last = errors[errors.length - 1];
    if (last && line.startsWith('\t')) last.message += `\n${line.trim()}`;
  }
  return errors;
}
