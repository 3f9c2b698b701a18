// Turns a student's TypeScript into a function the worker can call: sucrase strips the types and turns imports into
// require() calls (keeping line numbers), and a source map takes stack positions back to the student's columns.
import { transform } from 'sucrase';
import { SourceMapLookup } from './sourceMapLookup';

export interface SourcePosition {
  /** The file as the student knows it, e.g. "main.ts". */
  file: string;
  line: number;
  column: number;
}

export interface CompiledModule {
  /** The name stack traces show for this module's code (`//# sourceURL`). */
  url: string;
  /** CommonJS body: `function (require, exports, module) { … }`. */
  code: string;
  map: SourceMapLookup;
}

export type CompileResult =
  { ok: true; module: CompiledModule } | { ok: false; message: string; position: SourcePosition };

/**
 * Compiles one file. `url` must be unique per run (it names the code in stack traces, which is how errors are
 * mapped back), e.g. "snippet-main.ts".
 */
export function compileSnippet(source: string, file: string, url: string): CompileResult {
  try {
    const out = transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: file,
      production: true,
      disableESTransforms: true,
      sourceMapOptions: { compiledFilename: url },
    });
    return { ok: true, module: { url, code: out.code, map: new SourceMapLookup(out.sourceMap?.mappings ?? '') } };
  } catch (err) {
    const e = err as Error & { loc?: { line: number; column: number } };
    // Sucrase reports "Unexpected token (3:14)" with a 1-based line and column.
    const m = /\((\d+):(\d+)\)\s*$/.exec(e.message);
    const line = e.loc?.line ?? (m ? Number(m[1]) : 1);
    const column = e.loc?.column ?? (m ? Number(m[2]) : 1);
    const message = e.message.replace(/\s*\(\d+:\d+\)\s*$/, '').replace(/^Error transforming [^:]*: /, '');
    return { ok: false, message, position: { file, line, column } };
  }
}
