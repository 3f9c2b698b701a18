// The Chinese glossary (lessons/glossary.md) holds: no Chinese lesson, Chinese copy of a Go program or Chinese text
// of the interface uses a rejected variant of a glossary term.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const CJK = /[\u3400-\u9fff]/;

interface Term {
  en: string;
  zh: string;
  rejected: string[];
}

interface Glossary {
  terms: Term[];
  /** Words that contain a rejected variant without being one (发送方向 contains 发送方). */
  allowed: string[];
}

/** Reads the glossary's table and its list of allowed words. */
function parseGlossary(markdown: string): Glossary {
  const rows = markdown.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*(English|---)/.test(l));
  const terms = rows.map((row) => {
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    const [en = '', zh = '', rejected = ''] = cells;
    return {
      en,
      zh,
      rejected: rejected
        .split('、')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    };
  });
  const allowedLine = /^Words that contain a rejected variant but are not one: (.*)\.$/m.exec(markdown)?.[1] ?? '';
  return {
    terms,
    allowed: allowedLine
      .split('、')
      .map((w) => w.trim())
      .filter((w) => w !== ''),
  };
}

interface Finding {
  variant: string;
  term: string;
  line: number;
  text: string;
}

/**
 * Rejected variants in Chinese text. Latin variants (channel) count only outside code spans and outside the
 * parenthesis that introduces a term (通道（channel）); Chinese variants count everywhere, diagrams included.
 */
function findVariants(text: string, glossary: Glossary, document = false): Finding[] {
  const found: Finding[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((raw, i) => {
    const opening = /^\s*```(\w*)/.exec(raw);
    if (opening) fence = fence === null ? opening[1]! : null;
    // In a Chinese document every line counts (an English diagram label too), code blocks aside; elsewhere
    // (strings of the interface, a Go copy's comments) only lines written in Chinese.
    if (document ? fence !== null && fence !== 'mermaid' : !CJK.test(raw)) return;
    let line = raw;
    for (const w of glossary.allowed) line = line.split(w).join('·');
    const prose = line.replace(/`[^`]*`/g, '·');
    for (const t of glossary.terms) {
      for (const v of t.rejected) {
        if (CJK.test(v)) {
          if (line.includes(v)) found.push({ variant: v, term: t.en, line: i + 1, text: raw.trim() });
        } else {
          const glossed = prose.replace(new RegExp(`${t.zh}\\**[（(]${v}[）)]`, 'g'), '·');
          if (new RegExp(`\\b${v}\\b`, 'i').test(glossed))
            found.push({ variant: v, term: t.en, line: i + 1, text: raw.trim() });
        }
      }
    }
  });
  return found;
}

/** The string literals of a TypeScript file that hold Chinese: the interface's Chinese text. */
function chineseStrings(source: string): string {
  const out: string[] = [];
  for (const m of source.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)) {
    if (CJK.test(m[0])) out.push(m[0].slice(1, -1).replace(/\n/g, ' '));
  }
  return out.join('\n');
}

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => keep(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

const glossary = parseGlossary(readFileSync(path.join(root, 'lessons/glossary.md'), 'utf8'));

describe('the Chinese glossary', () => {
  it('has the terms the lab leans on, each with one Chinese word', () => {
    const byTerm = new Map(glossary.terms.map((t) => [t.en, t]));
    expect(byTerm.get('goroutine')?.zh).toBe('goroutine');
    expect(byTerm.get('goroutine')?.rejected).toContain('协程');
    expect(byTerm.get('channel')?.zh).toBe('通道');
    expect(byTerm.get('loopback')?.zh).toBe('回环');
    expect(byTerm.get('loopback')?.rejected).toContain('环回');
    expect(glossary.terms.length).toBeGreaterThanOrEqual(20);
    for (const t of glossary.terms) expect(t.rejected, t.en).not.toContain(t.zh);
    expect(glossary.allowed).toContain('发送方向');
  });

  it('finds a variant in prose and diagrams, and leaves code, glosses and allowed words alone', () => {
    const found = (s: string) => findVariants(s, glossary).map((f) => f.variant);
    expect(found('每个连接一个读取协程。')).toEqual(['协程']);
    expect(found('    C1[客户端] --> R1["读取协程"]')).toEqual(['协程']);
    expect(found('把任务放进一个 channel,然后关闭它。')).toEqual(['channel']);
    expect(found('Go 的答案是**通道**（channel）：')).toEqual([]);
    expect(found('用 `chan` 建一个 `done channel`。')).toEqual([]);
    expect(found('关闭自己的发送方向。')).toEqual([]);
    expect(found('the channel is closed')).toEqual([]); // not Chinese text
    const doc = '通道\n```mermaid\n  J["jobs channel"] --> W\n```\n```go\nch := make(chan int) // a channel\n```\n';
    expect(findVariants(doc, glossary, true).map((f) => f.line)).toEqual([3]);
    expect(chineseStrings(`const a = { en: 'Slow reader', zh: '慢读者' };`)).toBe('慢读者');
  });

  const sources: Array<{ file: string; text: () => string; document?: boolean }> = [
    ...filesUnder('lessons', (f) => f.endsWith('lesson.zh.md') || f.endsWith('.zh.go')).map((file) => ({
      file,
      text: () => readFileSync(path.join(root, file), 'utf8'),
      document: file.endsWith('.md'),
    })),
    ...['web/src', 'core', 'server']
      .flatMap((d) => filesUnder(d, (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f)))
      .map((file) => ({ file, text: () => chineseStrings(readFileSync(path.join(root, file), 'utf8')) })),
  ];

  it('is followed by every Chinese lesson, Go copy and interface text', () => {
    expect(sources.filter((s) => s.file.endsWith('lesson.zh.md')).length).toBeGreaterThanOrEqual(13);
    const problems = sources.flatMap((s) =>
      findVariants(s.text(), glossary, s.document).map(
        (f) =>
          `${s.file}:${f.line}: ${f.variant} (say ${glossary.terms.find((t) => t.en === f.term)?.zh}): ${f.text.slice(0, 80)}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
