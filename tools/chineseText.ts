// Chinese punctuation and spacing for the lab's Chinese text, checked and fixed with zhlint (a maintained linter
// for Chinese text): the Chinese lessons (their frontmatter titles and their Markdown), the Chinese comments of the
// Go copies (main.zh.go) and the Chinese string literals of the interface. Code, identifiers,
// placeholders ({{host}}, ${n}) and Markdown syntax are left as they are.
//
//   npm run lint:zh        lists every piece of Chinese text zhlint would change, and fails if there is one
//   npm run lint:zh:fix    rewrites them
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { run } from 'zhlint';

/** zhlint's default preset, with full-width brackets in Chinese prose and “” quotes set tight, as the lab writes. */
export const ZHLINT_RULES = {
  preset: 'default',
  halfwidthPunctuation: '',
  fullwidthPunctuation: '，。：；？！“”‘’（）',
  adjustedFullwidthPunctuation: '',
};

const CJK = /[\u3400-\u9fff]/;
// Kept byte for byte, as code: a lesson placeholder or template expression (alone or as host:port), a call written
// in prose without backticks (conn.Close(), SetNoDelay(false)), a single-quoted literal ('\n'), JSON, a key name.
const VERBATIM = new RegExp(
  [
    String.raw`(?:\{\{[^}]*\}\}|\$\{[^}]*\})(?::(?:\{\{[^}]*\}\}|\$\{[^}]*\}))*`,
    String.raw`[A-Za-z_][\w.]*\((?:[^()\u3400-\u9fff]|\([^()\u3400-\u9fff]*\))*\)`,
    String.raw`'[^'\u3400-\u9fff\n]*'`,
    // JSON or a {placeholder} of interface text, and a key name standing alone (the ? of "? help").
    String.raw`\{[^{}\u3400-\u9fff\n]*\}`,
    String.raw`(?<=^|\s)[!-/:-@[-\`{-~](?=\s|$)`,
    // A check question's number at the start of a line (**1.**): the style guide's marker, not prose.
    String.raw`(?<=^|\n)\*\*\d+\.\*\*`,
  ].join('|'),
  'g',
);

/** One piece of Chinese text through zhlint, code-like parts masked as code spans so it leaves them alone. */
export function fixPiece(text: string): string {
  if (!CJK.test(text)) return text;
  const kept: string[] = [];
  // Inline code is skipped by zhlint already; only what lies outside it is masked.
  const masked = text.replace(/(`+)[\s\S]*?\1|([^`]+)/g, (m, _ticks: string | undefined, plain: string | undefined) =>
    plain === undefined ? m : plain.replace(VERBATIM, (v) => `\`\u2063${kept.push(v) - 1}\u2063\``),
  );
  const fixed = run(masked, { rules: ZHLINT_RULES }).result;
  return fixed.replace(/`\u2063(\d+)\u2063`/g, (_, i: string) => kept[Number(i)]!);
}

/**
 * The labels of a Mermaid diagram: quoted node text ("…") and a transition's text after `: `. The diagram's own
 * syntax (arrows, ids, shapes such as [(…)]) is left alone.
 */
export function fixMermaidLabels(diagram: string): string {
  return diagram
    .split('\n')
    .map((line) =>
      line
        .replace(/"([^"]*)"/g, (_q, label: string) => `"${fixPiece(label)}"`)
        .replace(/^(\s*\S+\s*-->\s*\S+\s*:\s*)([^"]*)$/, (_, head: string, label: string) => head + fixPiece(label)),
    )
    .join('\n');
}

/** A Chinese lesson: the title and summary in its frontmatter, then its Markdown body (zhlint skips code). */
export function fixLessonMarkdown(text: string): string {
  const m = /^(---\r?\n)([\s\S]*?)(\r?\n---\r?\n?)([\s\S]*)$/.exec(text);
  if (!m) return fixPiece(text);
  const front = m[2]!.replace(/^((?:title|summary):\s*)(.*)$/gm, (_, key: string, value: string) => {
    const quoted = /^(["'])(.*)\1$/.exec(value);
    return quoted ? `${key}${quoted[1]}${fixPiece(quoted[2]!)}${quoted[1]}` : `${key}${fixPiece(value)}`;
  });
  // zhlint trims a piece's trailing newline: keep the file's.
  const body = m[4]!;
  const fixedBody = (fixPiece(body).replace(/\n*$/, '') + (body.match(/\n*$/)?.[0] ?? '')).replace(
    /(```mermaid\n)([\s\S]*?)(```)/g,
    (_, open: string, diagram: string, close: string) => open + fixMermaidLabels(diagram) + close,
  );
  return `${m[1]}${front}${m[3]}${fixedBody}`;
}

/** Where a line's // comment starts, outside Go string and rune literals; -1 when it has none. */
function goCommentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return i;
  }
  return -1;
}

/** A Go file: each comment written in Chinese, whole-line or after code (a tab-indented doc comment line is code). */
export function fixGoComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const at = goCommentStart(line);
      if (at < 0) return line;
      const [, lead = '', comment = ''] = /^(\/\/ ?)(.*)$/.exec(line.slice(at)) ?? [];
      if (!CJK.test(comment) || comment.startsWith('\t')) return line;
      return line.slice(0, at) + lead + fixPiece(comment);
    })
    .join('\n');
}

/** A TypeScript file: each string literal holding Chinese (quotes, escapes and template expressions kept). */
export function fixTypeScriptStrings(text: string): string {
  return text.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (lit) => {
    const body = lit.slice(1, -1);
    // A template literal spanning lines holds code or a document, not a line of interface text.
    if (!CJK.test(body) || body.includes('\n')) return lit;
    const fixed = fixPiece(body);
    // A fix that would put the literal's own quote inside it is not made.
    return fixed.includes(lit[0]!) ? lit : lit[0] + fixed + lit[0];
  });
}

/**
 * Whether a fix changed what the Markdown emphasises. CommonMark closes `**` after punctuation only before a space
 * or punctuation, so a fix that removes the space in `**上。** Go` leaves `**上。**Go`, which is no longer bold
 * (rephrase as `**上**。Go`).
 */
export function emphasisChanged(before: string, after: string): boolean {
  const count = (md: string) => (marked.parse(md, { async: false }).match(/<(strong|em)>/g) ?? []).length;
  return count(before) !== count(after);
}

const root = fileURLToPath(new URL('..', import.meta.url));

function files(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => keep(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** Every file with Chinese text the lab shows, and how to fix it. */
export function chineseTextFiles(): Array<{ file: string; fix: (text: string) => string }> {
  return [
    ...files('lessons', (f) => f.endsWith('lesson.zh.md')).map((file) => ({ file, fix: fixLessonMarkdown })),
    ...files('lessons', (f) => f.endsWith('.zh.go')).map((file) => ({ file, fix: fixGoComments })),
    // Tests and walks that quote interface text are updated by hand with it: a fixer must not rewrite expectations.
    ...['web/src', 'core', 'server']
      .flatMap((d) => files(d, (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)))
      .map((file) => ({ file, fix: fixTypeScriptStrings })),
  ];
}

function main(): void {
  const fix = process.argv.includes('--fix');
  let changed = 0;
  const broken: string[] = [];
  for (const { file, fix: fixer } of chineseTextFiles()) {
    const before = readFileSync(path.join(root, file), 'utf8');
    const after = fixer(before);
    if (file.endsWith('.md') && emphasisChanged(before, after)) broken.push(file);
    if (after === before) continue;
    changed++;
    const a = before.split('\n');
    const b = after.split('\n');
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] !== b[i]) console.log(`${file}:${i + 1}\n  - ${a[i] ?? ''}\n  + ${b[i] ?? ''}`);
    }
    if (fix && !broken.includes(file)) writeFileSync(path.join(root, file), after);
  }
  for (const b of broken)
    console.error(`${b}: the fix would change what is bold or italic (move punctuation out of ** **); not written`);
  if (changed === 0) console.log('Chinese text: punctuation and spacing are fine.');
  else console.log(`${changed} file(s) ${fix ? 'fixed' : 'need fixing: npm run lint:zh:fix'}.`);
  if (broken.length > 0 || (!fix && changed > 0)) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
