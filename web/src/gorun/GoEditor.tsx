// The Go tab's editor: Monaco with Go highlighting (Monaco's basic Go language, from npm), the student's copy of
// main.go, the snippet editor's keys (Ctrl/Cmd+Enter runs; Ctrl/Cmd+Shift+Enter stops; Shift+Alt+F formats), and
// compile errors as markers.
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { monaco, monacoTheme } from '../editor/monacoSetup';
import type { GoMarker } from './goCompileMarkers';

type MonacoEditor = Parameters<OnMount>[0];

export interface GoEditorKeys {
  onRun(): void;
  onStop(): void;
  onFormat(): void;
}

export default function GoEditor(
  props: {
    slug: string;
    value: string;
    theme: 'dark' | 'light';
    markers: readonly GoMarker[];
    onChange(text: string): void;
  } & GoEditorKeys,
) {
  const editorRef = useRef<MonacoEditor | null>(null);
  // Keybindings are registered once at mount; they call the latest handlers through this ref.
  const keys = useRef<GoEditorKeys>(props);
  useLayoutEffect(() => {
    keys.current = props;
  });
  const path = `file:///go/${props.slug}/main.go`;

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => keys.current.onRun());
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => keys.current.onStop());
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF, () => keys.current.onFormat());
  };

  useEffect(() => {
    const model = monaco.editor.getModel(monaco.Uri.parse(path));
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'go-build',
      props.markers.map((m) => ({
        severity: monaco.MarkerSeverity.Error,
        message: m.message,
        startLineNumber: m.line,
        startColumn: m.startColumn,
        endLineNumber: m.line,
        endColumn: m.endColumn,
      })),
    );
    const first = props.markers[0];
    if (first) editorRef.current?.revealLineInCenterIfOutsideViewport(first.line);
  }, [props.markers, path]);

  return (
    <Editor
      height="100%"
      path={path}
      defaultLanguage="go"
      language="go"
      value={props.value}
      theme={monacoTheme(props.theme)}
      onMount={onMount}
      onChange={(v) => props.onChange(v ?? '')}
      options={{
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 13,
        automaticLayout: true,
        tabSize: 4,
        insertSpaces: false,
        fixedOverflowWidgets: true,
        // A dimmed number for the line after the final newline is under AA contrast; gofmt always ends with one.
        renderFinalNewline: 'on',
      }}
    />
  );
}
