// Runs compiled snippet files as CommonJS modules: `require('gonet')` gets the lab's built-in modules, relative
// requires get the other files of the run, and stack traces are rewritten to the student's file:line:column.
import { compileSnippet, type CompiledModule, type SourcePosition } from './compileSnippet';

export class SnippetCompileError extends Error {
  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    readonly position: SourcePosition,
  ) {
    super(`${position.file}:${position.line}:${position.column}: ${reason}`);
    this.name = 'SnippetCompileError';
  }
}

type ModuleFunction = (
  require: (name: string) => unknown,
  exports: Record<string, unknown>,
  module: { exports: unknown },
) => void;

let functionLineOffset: number | null = null;

/** How many lines `new Function` puts before the body (engines differ), measured once with a probe. */
function lineOffset(): number {
  if (functionLineOffset !== null) return functionLineOffset;
  functionLineOffset = 2;
  try {
    new Function('throw new Error("probe")\n//# sourceURL=gonet-line-probe.js')();
  } catch (err) {
    const m = /gonet-line-probe\.js:(\d+):\d+/.exec(String((err as Error).stack));
    if (m) functionLineOffset = Number(m[1]) - 1;
  }
  return functionLineOffset;
}

interface LoadedFile {
  file: string;
  compiled: CompiledModule;
  exports: Record<string, unknown> | null;
}

let runCounter = 0;

export class ModuleLoader {
  private readonly files = new Map<string, LoadedFile>();
  private readonly byUrl = new Map<string, LoadedFile>();
  private readonly tag = `r${++runCounter}`;

  /**
   * @param builtin what `require(name)` in file `from` returns for the lab's modules ('gonet', …), or undefined
   * @param resolveRelative maps a relative specifier seen in `from` (e.g. './start' in checks.ts) to a file name
   */
  constructor(
    private readonly builtin: (name: string, from: string) => unknown,
    private readonly resolveRelative: (specifier: string, from: string) => string | undefined = (s) =>
      s.replace(/^\.\//, '').replace(/(\.ts)?$/, '.ts'),
  ) {}

  /** Compiles a file; throws SnippetCompileError at the student's line and column. */
  add(file: string, source: string): void {
    const url = `gonet-${this.tag}-${file}`;
    const r = compileSnippet(source, file, url);
    if (!r.ok) throw new SnippetCompileError(r.message, r.position);
    const loaded: LoadedFile = { file, compiled: r.module, exports: null };
    this.files.set(file, loaded);
    this.byUrl.set(url, loaded);
  }

  /** Evaluates a file (once) and returns its exports. */
  load(file: string): Record<string, unknown> {
    const f = this.files.get(file);
    if (!f) throw new Error(`no file ${file} in this run`);
    if (f.exports) return f.exports;
    const exports: Record<string, unknown> = {};
    f.exports = exports;
    const module = { exports: exports as unknown };
    const fn = new Function(
      'require',
      'exports',
      'module',
      `${f.compiled.code}\n//# sourceURL=${f.compiled.url}`,
    ) as ModuleFunction;
    fn((name) => this.require(name, f.file), exports, module);
    if (module.exports !== exports) f.exports = module.exports as Record<string, unknown>;
    return f.exports;
  }

  private require(name: string, from: string): unknown {
    const module = name.startsWith('.') ? undefined : this.builtin(name, from);
    if (module !== undefined) return module;
    if (name.startsWith('.')) {
      const target = this.resolveRelative(name, from);
      if (target !== undefined && this.files.has(target)) return this.load(target);
    }
    throw new Error(`Cannot find module '${name}': a snippet imports what it needs from 'gonet'`);
  }

  /** A position in generated code (from a stack frame) → the student's file, line and column. */
  private original(url: string, line: number, column: number): SourcePosition | null {
    const f = this.byUrl.get(url);
    if (!f) return null;
    const pos = f.compiled.map.original(line - lineOffset(), column);
    return { file: f.file, line: pos.line, column: pos.column };
  }

  /** Rewrites every frame of a stack that points into this run's code; drops the lab's own frames. */
  mapStack(stack: string): string {
    const out: string[] = [];
    for (const raw of stack.split('\n')) {
      const m = /^(\s*at (?:async )?)(.*?)\(?(gonet-[\w-]+\.ts):(\d+):(\d+)\)?$/.exec(raw);
      if (m) {
        const pos = this.original(m[3]!, Number(m[4]), Number(m[5]));
        if (pos) {
          const fn = m[2]!.trim();
          out.push(`${m[1]}${fn ? `${fn} ` : ''}(${pos.file}:${pos.line}:${pos.column})`);
          continue;
        }
      }
      if (/^\s*at /.test(raw)) continue;
      out.push(raw);
    }
    return out.join('\n');
  }

  /** The first frame of an error's stack that is in the student's code (or in `only`, if given). */
  locate(error: unknown, only?: (file: string) => boolean): SourcePosition | null {
    const stack = error instanceof Error ? error.stack : undefined;
    if (!stack) return null;
    const re = /(gonet-[\w-]+\.ts):(\d+):(\d+)/g;
    for (let m = re.exec(stack); m; m = re.exec(stack)) {
      const pos = this.original(m[1]!, Number(m[2]), Number(m[3]));
      if (pos && (!only || only(pos.file))) return pos;
    }
    return null;
  }

  /** Rewrites "gonet-r1-main.ts:12:5" positions inside any text (a goroutine dump's creation sites). */
  mapText(text: string): string {
    return text.replace(/(gonet-[\w-]+\.ts):(\d+):(\d+)/g, (whole, url: string, line: string, col: string) => {
      const pos = this.original(url, Number(line), Number(col));
      return pos ? `${pos.file}:${pos.line}:${pos.column}` : whole;
    });
  }
}
