// The Chinese text fixer: zhlint's full-width punctuation and spacing in Chinese prose, and nothing else touched
// (code, placeholders, frontmatter keys, Go code, multi-line templates, emphasis).
import { describe, expect, it } from 'vitest';
import { emphasisChanged, fixGoComments, fixLessonMarkdown, fixPiece, fixTypeScriptStrings } from './chineseText.js';

describe('fixPiece', () => {
  it('gives Chinese prose full-width punctuation and spaces Latin words and numbers', () => {
    expect(fixPiece('消息,并不等于')).toBe('消息，并不等于');
    expect(fixPiece('缓冲区:可能一次拿到两条(最多 20 条);对吗?')).toBe(
      '缓冲区：可能一次拿到两条（最多 20 条）；对吗？',
    );
    expect(fixPiece('发出了"三条消息"')).toBe('发出了“三条消息”');
    expect(fixPiece('调用conn.Close()就')).toBe('调用 conn.Close() 就');
  });

  it('leaves code, calls, literals, placeholders, JSON and key names as they are', () => {
    expect(fixPiece('读取(就像 Go 的 `conn.Read(buf)`),还可以')).toBe('读取（就像 Go 的 `conn.Read(buf)`），还可以');
    expect(fixPiece("和 Python 的 struct.pack('!I', n) 相同")).toBe("和 Python 的 struct.pack('!I', n) 相同");
    expect(fixPiece('开启 Nagle (SetNoDelay(false))')).toBe('开启 Nagle（SetNoDelay(false)）');
    expect(fixPiece('在 **{{host}}:{{port:worker-pool}}** 上')).toBe('在 **{{host}}:{{port:worker-pool}}** 上');
    expect(fixPiece('第 ${n} 课:${a}')).toBe('第 ${n} 课：${a}');
    // A check question's number stays the style guide's marker, so it stays bold.
    expect(fixPiece('**1.** 一帧有多长?\n\n**2.** 为什么?')).toBe('**1.** 一帧有多长？\n\n**2.** 为什么？');
    expect(fixPiece('必须是 {"type":"hello"}。')).toBe('必须是 {"type":"hello"}。');
    expect(fixPiece('L 语言 · ? 帮助')).toBe('L 语言 · ? 帮助');
    expect(fixPiece('no Chinese here: (a, b)')).toBe('no Chinese here: (a, b)');
  });
});

describe('the file fixers', () => {
  it('fixes a lesson’s title and prose, not its frontmatter keys, code blocks or diagrams', () => {
    const lesson =
      '---\ntitle: "练习:限制并发"\ndemos: [echo]\ncode: [main.go]\n---\n\n正文,这里。\n\n```go\nx := f(a, b) // 注释,不改\n```\n';
    expect(fixLessonMarkdown(lesson)).toBe(
      '---\ntitle: "练习：限制并发"\ndemos: [echo]\ncode: [main.go]\n---\n\n正文，这里。\n\n```go\nx := f(a, b) // 注释,不改\n```\n',
    );
  });

  it('fixes the Chinese labels of a Mermaid diagram, not its syntax', () => {
    const lesson =
      '---\ntitle: 图\n---\n\n```mermaid\nflowchart LR\n    W["3 次 Write(每次 16 字节)"] --> S[(服务器)]\n    Body --> Failed: 遇到 EOF,截断\n```\n';
    expect(fixLessonMarkdown(lesson)).toBe(
      '---\ntitle: 图\n---\n\n```mermaid\nflowchart LR\n    W["3 次 Write（每次 16 字节）"] --> S[(服务器)]\n    Body --> Failed: 遇到 EOF，截断\n```\n',
    );
  });

  it('fixes the Chinese comments of a Go file and nothing else', () => {
    const go =
      'package main\n\n// 第 1 课:回显服务器。\n//\n//\tgo run main.go -addr 127.0.0.1:9000\nfunc f() { s := "a,b" } // 注释,这里\n';
    expect(fixGoComments(go)).toBe(
      'package main\n\n// 第 1 课：回显服务器。\n//\n//\tgo run main.go -addr 127.0.0.1:9000\nfunc f() { s := "a,b" } // 注释，这里\n',
    );
  });

  it('fixes one-line Chinese strings of TypeScript, not English ones or multi-line templates', () => {
    const ts =
      "const a = { en: 'Slow reader, TCP', zh: '慢速读取端:TCP' };\nconst b = `第 ${n} 课,好`;\nconst c = `\n中文,代码(a, b)\n`;\n";
    expect(fixTypeScriptStrings(ts)).toBe(
      "const a = { en: 'Slow reader, TCP', zh: '慢速读取端：TCP' };\nconst b = `第 ${n} 课，好`;\nconst c = `\n中文,代码(a, b)\n`;\n",
    );
  });

  it('notices a fix that would undo emphasis', () => {
    expect(emphasisChanged('- **内存。** 每个请求', '- **内存。**每个请求')).toBe(true);
    expect(emphasisChanged('- **内存**。每个请求', '- **内存**。每个请求')).toBe(false);
  });
});
