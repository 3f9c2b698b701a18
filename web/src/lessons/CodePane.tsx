// The lesson's code files in tabs, shown in Monaco (lazy: the editor loads after the lesson text).
import { lazy, Suspense, useState } from 'react';
import type { LessonFile } from '@protocol/lessons';
import { useText } from '../app/labContext';

const CodeViewer = lazy(() => import('../editor/CodeViewer'));

export function CodePane({ files, theme }: { files: LessonFile[]; theme: 'dark' | 'light' }) {
  const [active, setActive] = useState(0);
  const t = useText();
  const file = files[active];
  if (!file) return null;
  return (
    <section className="panel code-pane" aria-label={t('code')}>
      <div className="tabs" role="tablist">
        {files.map((f, i) => (
          <button key={f.name} type="button" role="tab" aria-selected={i === active} onClick={() => setActive(i)}>
            {f.name}
          </button>
        ))}
      </div>
      <div className="editor-box" data-testid="code-editor" data-file={file.name}>
        <Suspense fallback={<pre className="code-fallback">{file.text}</pre>}>
          <CodeViewer text={file.text} language={file.language === 'text' ? 'plaintext' : file.language} theme={theme} />
        </Suspense>
      </div>
    </section>
  );
}
