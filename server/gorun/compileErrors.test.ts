// Compile errors from real `go build` output (Go 1.19) into file:line:col.
import { describe, expect, it } from 'vitest';
import { parseCompileErrors } from './compileErrors.js';

describe('parseCompileErrors', () => {
  it('reads each error with its file, line, column and message', () => {
    const out = [
      '# gonetlab/run',
      './main.go:8:14: cannot use "s" (untyped string constant) as int value in variable declaration',
      './main.go:9:7: assignment mismatch: 1 variable but f returns 2 values',
      './main.go:10:14: undefined: undefinedThing',
      '',
    ].join('\n');
    expect(parseCompileErrors(out)).toEqual([
      {
        file: 'main.go',
        line: 8,
        col: 14,
        message: 'cannot use "s" (untyped string constant) as int value in variable declaration',
      },
      { file: 'main.go', line: 9, col: 7, message: 'assignment mismatch: 1 variable but f returns 2 values' },
      { file: 'main.go', line: 10, col: 14, message: 'undefined: undefinedThing' },
    ]);
  });

  it('joins indented notes to the error above and ignores lines that name no file', () => {
    const out =
      '# gonetlab/run\n./main.go:4:9: cannot use c (variable of type *T) as I value:\n\t*T does not implement I (missing method M)\nmain.go:12: missing return\ntoo many errors\n';
    expect(parseCompileErrors(out)).toEqual([
      {
        file: 'main.go',
        line: 4,
        col: 9,
        message: 'cannot use c (variable of type *T) as I value:\n*T does not implement I (missing method M)',
      },
      { file: 'main.go', line: 12, col: 0, message: 'missing return' },
    ]);
  });

  it('finds nothing in output that is not a compile error (a toolchain failure)', () => {
    expect(parseCompileErrors('go: cannot find GOROOT directory: /nowhere\n')).toEqual([]);
  });
});
