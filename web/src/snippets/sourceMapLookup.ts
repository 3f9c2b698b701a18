// Maps a position in sucrase's output back to the student's TypeScript: decodes a v3 source map's VLQ mappings
// into per-line segments and finds the segment at or before a column. Pure.

/** One mapping: generated column → original line and column (all 0-based). */
interface Segment {
  genColumn: number;
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one line's segments ("AAAA,CAAC") continuing the running source line/column across lines. */
function decodeLine(text: string, state: { line: number; column: number }): Segment[] {
  const out: Segment[] = [];
  let genColumn = 0;
  for (const seg of text.split(',')) {
    if (seg === '') continue;
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const c of seg) {
      const d = DIGIT.get(c);
      if (d === undefined) throw new Error(`bad base64 digit ${c} in source map`);
      value += (d & 31) << shift;
      if (d & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    genColumn += fields[0] ?? 0;
    if (fields.length >= 4) {
      state.line += fields[2]!;
      state.column += fields[3]!;
      out.push({ genColumn, line: state.line, column: state.column });
    }
  }
  return out;
}

export class SourceMapLookup {
  private readonly lines: Segment[][];

  constructor(mappings: string) {
    const state = { line: 0, column: 0 };
    this.lines = mappings.split(';').map((l) => decodeLine(l, state));
  }

  /**
   * The original position of a generated one (1-based line and column, as stack traces print them), or the same
   * line when the line has no mapping (sucrase keeps line numbers).
   */
  original(line: number, column: number): { line: number; column: number } {
    const segs = this.lines[line - 1];
    if (!segs || segs.length === 0) return { line, column };
    let best = segs[0]!;
    for (const s of segs) {
      if (s.genColumn <= column - 1) best = s;
      else break;
    }
    // A position between segments is inside text sucrase inserted (`_gonet.go.call(void 0, …`): the token that
    // text stands for is the segment's, so its start is the answer.
    return { line: best.line + 1, column: best.column + 1 };
  }
}
