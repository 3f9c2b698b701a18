// Renders a lesson's Markdown; ```mermaid blocks become diagrams that load mermaid only when they scroll into view.
import { lazy, Suspense, useMemo } from 'react';
import { marked, type Token, type TokensList } from 'marked';
import { useText } from '../app/labContext';

const MermaidDiagram = lazy(() => import('./MermaidDiagram'));

type Part = { kind: 'html'; html: string } | { kind: 'mermaid'; code: string };

/** Splits Markdown into HTML runs and mermaid diagrams. Pure. */
export function splitLesson(markdown: string): Part[] {
  const tokens = marked.lexer(markdown);
  const parts: Part[] = [];
  let run: Token[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const list = Object.assign(run, { links: tokens.links }) as TokensList;
    parts.push({ kind: 'html', html: marked.parser(list) });
    run = [];
  };
  for (const token of tokens) {
    if (token.type === 'code' && (token as { lang?: string }).lang === 'mermaid') {
      flush();
      parts.push({ kind: 'mermaid', code: (token as { text: string }).text });
    } else run.push(token);
  }
  flush();
  return parts;
}

export function LessonMarkdown({ markdown, theme }: { markdown: string; theme: 'dark' | 'light' }) {
  const parts = useMemo(() => splitLesson(markdown), [markdown]);
  const t = useText();
  return (
    <div className="prose">
      {parts.map((part, i) =>
        part.kind === 'html' ? (
          // Lesson text is the lab's own content from lessons/, not user input.
          <div key={i} dangerouslySetInnerHTML={{ __html: part.html }} />
        ) : (
          <Suspense key={i} fallback={<div className="diagram placeholder">{t('loadingDiagram')}</div>}>
            <MermaidDiagram code={part.code} theme={theme} />
          </Suspense>
        ),
      )}
    </div>
  );
}
