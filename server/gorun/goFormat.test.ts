// gofmt on a program's text, with the machine's real gofmt: the formatted text, or syntax errors at line:col.
import { describe, expect, it } from 'vitest';
import { formatGoSource, parseGofmtErrors } from './goFormat.js';

describe('parseGofmtErrors', () => {
  it('names the student’s file for errors gofmt reports on its input', () => {
    expect(parseGofmtErrors("<standard input>:2:20: expected operand, found '}'\n")).toEqual([
      { file: 'main.go', line: 2, col: 20, message: "expected operand, found '}'" },
    ]);
  });
});

describe('formatGoSource', { timeout: 30_000 }, () => {
  it('formats a program', async () => {
    const out = await formatGoSource('package main\nfunc main(){\nx:=1\n_ = x}\n', 'gofmt');
    expect(out).toEqual({ source: 'package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n', errors: [] });
  });
  it('gives syntax errors at line:col instead of text', async () => {
    const out = await formatGoSource('package main\n\nfunc main() {\n\tx := \n}\n', 'gofmt');
    expect(out.source).toBeNull();
    expect(out.errors[0]).toMatchObject({ file: 'main.go', line: 5, col: 1 });
  });
  it('refuses with E_GO_NOT_INSTALLED when there is no gofmt', async () => {
    await expect(formatGoSource('package main\n', '/nonexistent/gofmt')).rejects.toMatchObject({
      code: 'E_GO_NOT_INSTALLED',
    });
  });
});
