// Gives Monaco's TypeScript service the real sources of the runtime and of the 'gonet' library, so completion and
// hover in the editor show exactly what snippets can call (nothing is declared twice). Runs once per page.
import { monaco } from '../editor/monacoSetup';

/** The virtual root the sources are mirrored under (their repository paths below it). */
const ROOT = 'file:///lab/';

const sources = import.meta.glob(
  [
    '../../../core/runtime/*.ts',
    '!../../../core/runtime/*.test.ts',
    '../../../core/protocol/errors.ts',
    '../../../core/protocol/bridge.ts',
    '../../../core/protocol/events/goroutine.ts',
    '../../../core/protocol/events/socket.ts',
    '../../../core/bridge/bridgeClient.ts',
    './gonet/*.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
) as Record<string, string>;

/** The repository path of a glob key: '../../../core/runtime/chan.ts' → 'core/runtime/chan.ts'. */
function repoPath(key: string): string {
  if (key.startsWith('../../../')) return key.slice('../../../'.length);
  return `web/src/snippets/${key.replace(/^\.\//, '')}`;
}

let installed = false;

export function installSnippetTypes(): void {
  if (installed) return;
  installed = true;
  const ts = monaco.typescript;
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
    esModuleInterop: true,
    skipLibCheck: true,
    lib: ['es2023', 'dom'],
    baseUrl: ROOT,
    paths: {
      gonet: ['web/src/snippets/gonet/index.ts'],
      'gonet/check': ['web/src/snippets/gonet/check.ts'],
      '@core/*': ['core/*'],
    },
  });
  ts.typescriptDefaults.setEagerModelSync(true);
  ts.typescriptDefaults.setExtraLibs(
    Object.entries(sources).map(([key, content]) => ({ content, filePath: `${ROOT}${repoPath(key)}` })),
  );
}

/** The model URI of a lesson's snippet file, inside the virtual tree (so 'gonet' resolves from it). */
export function snippetModelPath(slug: string, file: string): string {
  return `${ROOT}lessons/${slug}/${file}`;
}
