// Compiling snippets with sucrase and mapping positions back to the student's TypeScript.
import { describe, expect, it } from 'vitest';
import { compileSnippet } from './compileSnippet';
import { ModuleLoader, SnippetCompileError } from './moduleLoader';
import { SourceMapLookup } from './sourceMapLookup';

const SOURCE = `import { hi } from 'gonet';
export function main(): string {
  const n: number = 2;
  return hi('x' + n);
}
export function boom(): void {
  const v: Array<number> = []; (v as unknown as { nope(): void }).nope();
}
`;

describe('compileSnippet', () => {
  it('keeps line numbers and maps columns shifted by removed types back to the source', () => {
    const r = compileSnippet(SOURCE, 'main.ts', 'gonet-t-main.ts');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const line7 = r.module.code.split('\n')[6]!;
    // In the output ".nope" sits left of where it is in the source (the type assertion is gone).
    const generated = line7.indexOf('.nope') + 2;
    const source = SOURCE.split('\n')[6]!.indexOf('.nope') + 2;
    expect(generated).toBeLessThan(source);
    expect(r.module.map.original(7, generated)).toEqual({ line: 7, column: source });
  });

  it('reports a syntax error at the student’s line and column', () => {
    const r = compileSnippet('let x = 3;\n  a b', 'main.ts', 'u');
    expect(r).toMatchObject({ ok: false, position: { file: 'main.ts', line: 2, column: 5 } });
    if (!r.ok) expect(r.message).toMatch(/Unexpected token/);
  });
});

describe('SourceMapLookup', () => {
  it('decodes VLQ segments, carrying source positions across lines', () => {
    // Line 1: gen 0 → src (0,0); gen 4 → src (0,10). Line 2: gen 2 → src (2,3) (relative +2 lines, -7 columns).
    const map = new SourceMapLookup('AAAA,IAAU;EAEP');
    expect(map.original(1, 1)).toEqual({ line: 1, column: 1 });
    expect(map.original(1, 5)).toEqual({ line: 1, column: 11 });
    expect(map.original(2, 3)).toEqual({ line: 3, column: 4 });
    // Between segments (text the compiler inserted) the segment before stands for it.
    expect(map.original(1, 8)).toEqual({ line: 1, column: 11 });
    // Lines without mappings keep their number.
    expect(map.original(9, 4)).toEqual({ line: 9, column: 4 });
  });
});

describe('ModuleLoader', () => {
  const builtins = (name: string) => (name === 'gonet' ? { hi: (s: string) => `hi ${s}` } : undefined);

  it('runs a module with the lab’s built-ins and rewrites stack traces to the student’s positions', () => {
    const loader = new ModuleLoader(builtins);
    loader.add('main.ts', SOURCE);
    const mod = loader.load('main.ts') as { main(): string; boom(): void };
    expect(mod.main()).toBe('hi x2');
    let thrown: unknown;
    try {
      mod.boom();
    } catch (err) {
      thrown = err;
    }
    const column = SOURCE.split('\n')[6]!.indexOf('.nope') + 2;
    expect(loader.locate(thrown)).toEqual({ file: 'main.ts', line: 7, column });
    const stack = loader.mapStack((thrown as Error).stack!);
    expect(stack).toContain(`(main.ts:7:${column})`);
    expect(stack).not.toMatch(/moduleLoader|node_modules/);
  });

  it('throws a compile error with the position, and names what can be imported', () => {
    const loader = new ModuleLoader(builtins);
    expect(() => loader.add('main.ts', 'export function (')).toThrow(SnippetCompileError);
    loader.add('other.ts', "import fs from 'node:fs'; export const x = fs;");
    expect(() => loader.load('other.ts')).toThrow(/Cannot find module 'node:fs'.*'gonet'/);
  });

  it('resolves relative imports between the run’s files', () => {
    const loader = new ModuleLoader(builtins, (spec, from) =>
      from === 'checks.ts' && spec === './start' ? 'mine.ts' : undefined,
    );
    loader.add('mine.ts', 'export const answer: number = 42;');
    loader.add('checks.ts', "import { answer } from './start'; export const doubled = answer * 2;");
    expect(loader.load('checks.ts').doubled).toBe(84);
  });
});
