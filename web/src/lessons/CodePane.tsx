// The lesson's code files in tabs, shown in Monaco (lazy: the editor loads after the lesson text). A lesson with
// a TypeScript twin gets the snippet workbench instead: the twin editable and runnable beside the Go code.
import { lazy, Suspense, useMemo, useState } from 'react';
import { lessonFileText, type Lesson, type LessonFile } from '@core/protocol/lessons';
import { useLab, useText } from '../app/labContext';
import { snippetConfigOf } from '../snippets/snippetConfig';

const CodeViewer = lazy(() => import('../editor/CodeViewer'));
const SnippetWorkbench = lazy(() => import('../snippets/SnippetWorkbench'));

export function CodePane({ files, theme, lesson }: { files: LessonFile[]; theme: 'dark' | 'light'; lesson?: Lesson }) {
  const [active, setActive] = useState(0);
  const t = useText();
  const { language } = useLab();
  const snippet = useMemo(() => (lesson ? snippetConfigOf(lesson) : null), [lesson]);
  const file = files[active];
  if (lesson && snippet) {
    return (
      <Suspense fallback={<section className="panel code-pane placeholder">{t('loadingEditor')}</section>}>
        <SnippetWorkbench key={lesson.slug} lesson={lesson} config={snippet} theme={theme} />
      </Suspense>
    );
  }
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
        <Suspense fallback={<pre className="code-fallback">{lessonFileText(file, language)}</pre>}>
          <CodeViewer
            text={lessonFileText(file, language)}
            language={file.language === 'text' ? 'plaintext' : file.language}
            theme={theme}
          />
        </Suspense>
      </div>
    </section>
  );
}
