// A read-only Monaco editor showing one lesson file with syntax highlighting (loaded lazily by CodePane).
import Editor from '@monaco-editor/react';
import { monacoTheme } from './monacoSetup';

export default function CodeViewer({
  text,
  language,
  theme,
}: {
  text: string;
  language: string;
  theme: 'dark' | 'light';
}) {
  return (
    <Editor
      height="100%"
      value={text}
      language={language}
      theme={monacoTheme(theme)}
      options={{
        readOnly: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 13,
        automaticLayout: true,
      }}
    />
  );
}
