import { describe, expect, it } from 'vitest';
import { compileMarkers, explainCompileError } from './goCompileMarkers';

const SOURCE = ['package main', '', 'func main() {', '\tx := 1', '\tfmt.Println("hi")', '}'].join('\n');

describe('compileMarkers', () => {
  it('puts a marker at the line and column, to the end of the word there', () => {
    const [m] = compileMarkers(
      [{ file: 'main.go', line: 4, col: 2, message: 'declared and not used: x' }],
      'main.go',
      SOURCE,
      'en',
    );
    expect(m).toMatchObject({ line: 4, startColumn: 2, endColumn: 3, compiler: 'declared and not used: x' });
    expect(m!.message).toContain('never read');
    expect(m!.message.endsWith('declared and not used: x')).toBe(true);
  });

  it('tells the explanation in the student’s language, with the compiler’s text unchanged', () => {
    const [m] = compileMarkers(
      [{ file: 'main.go', line: 5, col: 2, message: 'undefined: fmt' }],
      'main.go',
      SOURCE,
      'zh',
    );
    expect(m!.message).toMatch(/^这里没有声明这个名字。/);
    expect(m!.message).toContain('undefined: fmt');
    expect(m!.endColumn).toBe(5);
  });

  it('keeps only the errors of the editor’s file (with or without a folder)', () => {
    const errors = [
      { file: 'other.go', line: 1, col: 1, message: 'x' },
      { file: './main.go', line: 1, col: 1, message: 'a' },
      { file: 'main.go', line: 3, col: 6, message: 'b' },
    ];
    expect(compileMarkers(errors, 'main.go', SOURCE, 'en').map((m) => m.compiler)).toEqual(['a', 'b']);
  });

  it('clamps a line past the end to the last line and a column past the line to its last character', () => {
    const [m] = compileMarkers(
      [{ file: 'main.go', line: 99, col: 40, message: 'syntax error: unexpected EOF' }],
      'main.go',
      SOURCE,
      'en',
    );
    expect(m).toMatchObject({ line: 6, startColumn: 1, endColumn: 2 });
  });

  it('marks the whole line from its first non-blank character when the compiler gave no column', () => {
    const [m] = compileMarkers(
      [{ file: 'main.go', line: 4, col: 0, message: 'missing return' }],
      'main.go',
      SOURCE,
      'en',
    );
    expect(m).toMatchObject({ line: 4, startColumn: 2, endColumn: 8 });
  });

  it('never marks an empty range, even on an empty line', () => {
    const [m] = compileMarkers([{ file: 'main.go', line: 2, col: 1, message: 'x' }], 'main.go', SOURCE, 'en');
    expect(m!.endColumn).toBeGreaterThan(m!.startColumn);
    expect(m!.message).toBe('x');
  });
});

describe('explainCompileError', () => {
  it.each([
    ['declared but not used: n', 'never read'],
    ['"os" imported and not used', 'imported but not used'],
    ['undefined: conn', 'not declared'],
    ['conn.Rread undefined (type net.Conn has no field or method Rread)', 'no field or method'],
    ['missing return', 'without a return'],
    ['no new variables on left side of :=', 'Use ='],
    ['assignment mismatch: 1 variable but ln.Accept returns 2 values', 'does not match'],
    ['cannot use s (variable of type string) as []byte value in argument to conn.Write', 'do not fit'],
    ['syntax error: unexpected newline, expecting comma or )', 'cannot read'],
  ])('explains %j', (message, words) => {
    expect(explainCompileError(message)?.en).toContain(words);
    expect(explainCompileError(message)?.zh).toMatch(/[。：]/);
  });

  it('has no explanation for a message it does not know', () => {
    expect(explainCompileError('invalid recursive type T')).toBeNull();
  });
});
