// The editable TypeScript editor of a snippet: Monaco with the runtime's types, Ctrl/Cmd+Enter to run, and the
// run's error shown as a marker at the student's line and column.
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { monaco, monacoTheme } from '../editor/monacoSetup';
import type { SourcePosition } from './compileSnippet';
import { installSnippetTypes, snippetModelPath } from './monacoTypes';

export interface EditorMarker {
  position: SourcePosition;
  message: string;
}

type MonacoEditor = Parameters<OnMount>[0];

export default function SnippetEditor(props: {
  slug: string;
  file: string;
  value: string;
  theme: 'dark' | 'light';
  marker: EditorMarker | null;
  onChange(text: string): void;
  onRun(): void;
}) {
  const editorRef = useRef<MonacoEditor | null>(null);
  const onRunRef = useRef(props.onRun);
  // Monaco's keybinding is registered once at mount; it calls the latest onRun through this ref.
  useLayoutEffect(() => {
    onRunRef.current = props.onRun;
  });
  installSnippetTypes();
  const path = snippetModelPath(props.slug, props.file);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRunRef.current());
  };

  // The marker of the last run: at the reported position, to the end of the word there.
  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(path));
    if (!model) return;
    const m = props.marker;
    if (!m || m.position.file !== props.file) {
      monaco.editor.setModelMarkers(model, 'snippet-run', []);
      return;
    }
    const line = Math.min(Math.max(1, m.position.line), model.getLineCount());
    const column = Math.max(1, m.position.column);
    const word = model.getWordAtPosition({ lineNumber: line, column });
    monaco.editor.setModelMarkers(model, 'snippet-run', [
      {
        severity: monaco.MarkerSeverity.Error,
        message: m.message,
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: word ? Math.max(word.endColumn, column + 1) : model.getLineMaxColumn(line),
      },
    ]);
    editorRef.current?.revealLineInCenterIfOutsideViewport(line);
  }, [props.marker, path, props.file, props.value]);

  return (
    <Editor
      height="100%"
      path={path}
      defaultLanguage="typescript"
      value={props.value}
      theme={monacoTheme(props.theme)}
      onMount={onMount}
      onChange={(v) => props.onChange(v ?? '')}
      options={{
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 13,
        automaticLayout: true,
        tabSize: 2,
        fixedOverflowWidgets: true,
      }}
    />
  );
}
