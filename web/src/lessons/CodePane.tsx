// The lesson's code: a Go tab (the student's runnable copy of main.go) beside the TypeScript snippet workbench when
// the lesson has one; the other files read-only in Monaco. Editors load lazily, after the lesson text.
import { lazy, Suspense, useMemo, useState } from 'react';
import { lessonFileText, type Lesson, type LessonFile } from '@core/protocol/lessons';
import { useLab, useText } from '../app/labContext';
import { snippetConfigOf } from '../snippets/snippetConfig';
import { GO_TAB_TEXT } from '../gorun/goRunText';

const CodeViewer = lazy(() => import('../editor/CodeViewer'));
const SnippetWorkbench = lazy(() => import('../snippets/SnippetWorkbench'));
const GoWorkbench = lazy(() => import('../gorun/GoWorkbench'));

/** The file the Go tab runs; an exercise's Go tab holds its start instead, which Check checks. */
const GO_MAIN = 'main.go';
const GO_EXERCISE_START = 'start.go';

export function CodePane({ files, theme, lesson }: { files: LessonFile[]; theme: 'dark' | 'light'; lesson?: Lesson }) {
  const t = useText();
  const { language } = useLab();
  const snippet = useMemo(() => (lesson ? snippetConfigOf(lesson) : null), [lesson]);
  const goFile = lesson
    ? (files.find((f) => f.name === GO_EXERCISE_START) ?? files.find((f) => f.name === GO_MAIN))
    : undefined;
  // Without a snippet the other files sit beside the Go tab; with one, the snippet workbench shows them.
  const others = snippet ? [] : files.filter((f) => f !== goFile);
  const tabs = [
    ...(goFile ? [{ id: 'go', label: `${GO_TAB_TEXT.goTab[language]} · ${GO_TAB_TEXT.yourCopy[language]}` }] : []),
    ...(snippet ? [{ id: 'ts', label: GO_TAB_TEXT.tsTab[language] }] : []),
    ...others.map((f) => ({ id: `file:${f.name}`, label: f.name })),
  ];
  // The TypeScript twin stays first where there is one (it runs with nothing installed).
  const [active, setActive] = useState(snippet ? 'ts' : (tabs[0]?.id ?? ''));
  // The Go tab is mounted when first opened and kept, so a run goes on while the student reads the twin.
  const [goOpened, setGoOpened] = useState(active === 'go');
  const open = (id: string) => {
    setActive(id);
    if (id === 'go') setGoOpened(true);
  };
  const other = others.find((f) => `file:${f.name}` === active);
  if (tabs.length === 0) return null;

  return (
    <div className="code-area" data-testid="code-area" data-active={active}>
      {tabs.length > 1 && (
        <div className="code-lang-tabs" role="tablist" aria-label={t('code')}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              aria-selected={active === tab.id}
              onClick={() => open(tab.id)}
              data-testid={`code-tab-${tab.id.replace('file:', '')}`}
            >
              {tab.label}
            </button>
          ))}
        </div>
      )}
      {lesson && goFile && goOpened && (
        <div hidden={active !== 'go'}>
          <Suspense fallback={<section className="panel code-pane placeholder">{t('loadingEditor')}</section>}>
            <GoWorkbench key={lesson.slug} lesson={lesson} file={goFile} theme={theme} />
          </Suspense>
        </div>
      )}
      {lesson && snippet && (
        <div hidden={active !== 'ts'}>
          <Suspense fallback={<section className="panel code-pane placeholder">{t('loadingEditor')}</section>}>
            <SnippetWorkbench key={lesson.slug} lesson={lesson} config={snippet} theme={theme} />
          </Suspense>
        </div>
      )}
      {other && (
        <section className="panel code-pane" aria-label={t('code')}>
          <div className="editor-box" data-testid="code-editor" data-file={other.name}>
            <Suspense
              fallback={
                <pre className="code-fallback" tabIndex={0}>
                  {lessonFileText(other, language)}
                </pre>
              }
            >
              <CodeViewer
                text={lessonFileText(other, language)}
                language={other.language === 'text' ? 'plaintext' : other.language}
                theme={theme}
              />
            </Suspense>
          </div>
        </section>
      )}
    </div>
  );
}
