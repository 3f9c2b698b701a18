// Monaco from npm, never a CDN: its workers are bundled by Vite and @monaco-editor/react is pointed at this copy.
import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import TsWorker from 'monaco-editor/language/typescript/ts.worker.js?worker';
import { loader } from '@monaco-editor/react';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker();
  },
};

loader.config({ monaco });

export { monaco };

// Monaco's own dark theme draws comments in #608b4e on #1e1e1e (4.2:1), under WCAG AA's 4.5:1 for text; the lab's
// themes inherit Monaco's and only lift the comments (5.0:1 on the dark background, 5.1:1 on the light one). Code
// the TypeScript checker finds unused is faded to a third by default, too faint to read: it keeps full opacity and
// is marked with a dotted underline instead.
const readableUnused = { 'editorUnnecessaryCode.opacity': '#000000ff', 'editorUnnecessaryCode.border': '#8b98a8' };
monaco.editor.defineTheme('lab-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '6a9955' }],
  colors: readableUnused,
});
monaco.editor.defineTheme('lab-light', {
  base: 'vs',
  inherit: true,
  rules: [{ token: 'comment', foreground: '008000' }],
  colors: { ...readableUnused, 'editorUnnecessaryCode.border': '#59636e' },
});

/** The Monaco theme that goes with the lab's theme. */
export function monacoTheme(theme: 'dark' | 'light'): string {
  return theme === 'dark' ? 'lab-dark' : 'lab-light';
}
