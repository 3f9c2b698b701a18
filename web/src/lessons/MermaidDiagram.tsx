// One mermaid diagram. mermaid itself is imported only once a diagram is about to be on screen.
import { useEffect, useRef, useState } from 'react';
import { useText } from '../app/labContext';

let nextId = 0;

export default function MermaidDiagram({ code, theme }: { code: string; theme: 'dark' | 'light' }) {
  const box = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(false);
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const t = useText();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          setVisible(true);
          io.disconnect();
        }
      },
      { rootMargin: '200px' },
    );
    io.observe(el);
    return () => io.disconnect();
  }, []);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    void (async () => {
      try {
        const { default: mermaid } = await import('mermaid');
        mermaid.initialize({
          startOnLoad: false,
          theme: theme === 'dark' ? 'dark' : 'default',
          securityLevel: 'strict',
        });
        const { svg } = await mermaid.render(`lesson-diagram-${nextId++}`, code);
        if (!cancelled) setSvg(svg);
      } catch (err) {
        if (!cancelled) setError(err instanceof Error ? err.message : String(err));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [visible, code, theme]);

  return (
    <div ref={box} className="diagram" data-testid="mermaid-diagram" data-rendered={svg ? 'true' : 'false'}>
      {error ? (
        <p className="error">
          {t('diagramFailed')}: {error}
        </p>
      ) : svg ? (
        <div dangerouslySetInnerHTML={{ __html: svg }} />
      ) : (
        <div className="placeholder">{t('loadingDiagram')}</div>
      )}
    </div>
  );
}
