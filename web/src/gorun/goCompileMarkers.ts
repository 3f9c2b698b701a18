// Go compile errors as editor markers: each at its file:line:col (clamped into the student's text), with the lab's
// explanation in the student's language above the compiler's own words. Pure.
import type { LocalizedText } from '@core/protocol/errors';
import type { GoCompileError } from '@core/protocol/events/goRun';

/** What the editor draws: a 1-based range and the message. */
export interface GoMarker {
  line: number;
  startColumn: number;
  endColumn: number;
  message: string;
  /** The compiler's message alone (the status line and tests read it). */
  compiler: string;
}

interface Explanation {
  /** Matches the compiler's message (gc's wording from Go 1.19 on; older and newer spellings both). */
  pattern: RegExp;
  text: LocalizedText;
}

/** The common first errors of students, most specific first. Anything else shows the compiler's text alone. */
const EXPLANATIONS: readonly Explanation[] = [
  {
    pattern: /declared (?:but|and) not used/,
    text: {
      en: 'A variable is declared but never read. Go refuses unused variables: use it, or assign to _ instead.',
      zh: '变量声明了但从未使用。Go 不允许未使用的变量：使用它，或改为赋值给 _。',
    },
  },
  {
    pattern: /imported and not used/,
    text: {
      en: 'A package is imported but not used. Remove the import, or use the package.',
      zh: '导入了包但没有使用。删除这个导入，或使用这个包。',
    },
  },
  {
    pattern: /^undefined: /,
    text: {
      en: 'This name is not declared here. Check the spelling (Go is case-sensitive) and that it is in scope.',
      zh: '这里没有声明这个名字。检查拼写（在 Go 中，Name 和 name 是两个不同的名字），以及它是否在作用域内。',
    },
  },
  {
    pattern: /has no field or method/,
    text: {
      en: 'The value has no field or method by this name. Check the spelling and the type (exported names start with a capital letter).',
      zh: '这个值没有这个名字的字段或方法。检查拼写和类型（导出的名字以大写字母开头）。',
    },
  },
  {
    pattern: /^missing return/,
    text: {
      en: 'The function declares results but can reach its end without a return statement.',
      zh: '函数声明了返回值，但可能走到末尾都没有 return 语句。',
    },
  },
  {
    pattern: /no new variables on left side of :=/,
    text: {
      en: 'Every name on the left of := already exists here. Use = to assign to existing variables.',
      zh: ':= 左边的名字在这里都已存在。给已有变量赋值请用 =。',
    },
  },
  {
    pattern: /assignment mismatch|(?:too many|not enough) (?:return values|arguments)/,
    text: {
      en: 'The number of values does not match: count what the function returns or takes, and the names you give them.',
      zh: '值的个数不匹配：数一数函数返回或接收的值，以及你给出的名字。',
    },
  },
  {
    pattern: /cannot use .* as .* (?:value|type)|mismatched types|invalid operation/,
    text: {
      en: 'The types do not fit. Go converts nothing implicitly: convert explicitly (for example `[]byte(s)`, `string(b)`, `int(n)`).',
      zh: '类型不匹配。Go 不做隐式转换：请显式转换（例如 `[]byte(s)`、`string(b)`、`int(n)`）。',
    },
  },
  {
    pattern: /\(value of type error\) is not used|is not used$/,
    text: {
      en: 'A value is computed and thrown away. Assign it (err := …) or remove the expression.',
      zh: '计算出的值被丢弃了。把它赋给变量（err := …），或删除这个表达式。',
    },
  },
  {
    pattern: /^syntax error/,
    text: {
      en: 'Go cannot read the code here: look for a missing or extra brace, parenthesis or comma just before this point.',
      zh: 'Go 无法解析这里的代码：检查这一位置之前是否缺少或多了花括号、圆括号或逗号。',
    },
  },
];

/** The lab's explanation of a compiler message, or null when it has none. */
export function explainCompileError(message: string): LocalizedText | null {
  const first = message.split('\n')[0] ?? '';
  return EXPLANATIONS.find((e) => e.pattern.test(first))?.text ?? null;
}

/**
 * Markers for the errors in `file` (the editor's file, e.g. "main.go"), over a text of these lines. A line past
 * the end is put on the last line; a missing column (0) marks the whole line; a column past the line's end marks
 * its last character. The marked range runs to the end of the word at the column.
 */
export function compileMarkers(
  errors: readonly GoCompileError[],
  file: string,
  text: string,
  language: 'en' | 'zh',
): GoMarker[] {
  const lines = text.split('\n');
  return errors
    .filter((e) => e.file === file || e.file.endsWith(`/${file}`))
    .map((e) => {
      const line = Math.min(Math.max(1, e.line), lines.length);
      const content = lines[line - 1] ?? '';
      const lineEnd = content.length + 1;
      const startColumn = e.col <= 0 ? firstNonBlank(content) : Math.min(e.col, Math.max(1, lineEnd - 1));
      const endColumn = e.col <= 0 ? lineEnd : wordEnd(content, startColumn);
      const explanation = explainCompileError(e.message);
      return {
        line,
        startColumn,
        endColumn: Math.max(endColumn, startColumn + 1),
        message: explanation ? `${explanation[language]}\n\n${e.message}` : e.message,
        compiler: e.message,
      };
    });
}

function firstNonBlank(content: string): number {
  const i = content.search(/\S/);
  return i < 0 ? 1 : i + 1;
}

/** The column just past the identifier (or the single character) starting at `column`. */
function wordEnd(content: string, column: number): number {
  const rest = content.slice(column - 1);
  const m = /^[\p{L}\p{N}_]+/u.exec(rest);
  return column + (m ? m[0].length : 1);
}
