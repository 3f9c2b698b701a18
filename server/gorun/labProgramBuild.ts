// Builds a Go program the lab itself runs (a demo's helper or server, never a student's) once per source and
// toolchain, with the lab's Go toolchain and shared build cache, and keeps the binary under the lab's cache folder,
// named by the source's hash, so a later lab start reuses it.
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError } from '../../core/protocol/errors.js';
import { defaultLabCacheDir, runBuild } from './goRunner.js';
import { findGoToolchain, goBuildEnv, runModuleFile, type GoToolchain } from './goToolchain.js';

/** The first build compiles the standard library into the cache (about a minute on a busy 2-core machine). */
const BUILD_MS = 240_000;

export interface LabProgramOptions {
  /** The lab's cache folder (default: the Go runner's). */
  cacheDir?: string;
  /** The go command (tests name a missing one); ignored when `toolchain` is given. */
  go?: string;
  /** Finds the toolchain (a demo that already looks it up passes its own). */
  toolchain?: () => Promise<GoToolchain>;
}

/**
 * The path of the built program (`source` is its main.go; `name` names its folder in the cache). Rejects with
 * E_GO_NOT_INSTALLED when there is no Go toolchain and E_GO_BUILD_FAILED when the build fails; a binary built before
 * from the same source and toolchain is used as it is.
 */
export async function buildLabProgram(source: string, name: string, options: LabProgramOptions = {}): Promise<string> {
  const text = await readFile(source, 'utf8');
  const toolchain = await (options.toolchain ?? (() => findGoToolchain(options.go)))();
  const cacheDir = options.cacheDir ?? defaultLabCacheDir();
  const hash = createHash('sha256').update(toolchain.version).update(text).digest('hex').slice(0, 16);
  const binDir = join(cacheDir, name);
  const binary = join(binDir, `${name}-${hash}`);
  if (
    await access(binary).then(
      () => true,
      () => false,
    )
  )
    return binary;
  await mkdir(binDir, { recursive: true });
  const dir = await mkdtemp(join(binDir, 'build-'));
  try {
    await writeFile(join(dir, 'main.go'), text);
    await writeFile(join(dir, 'go.mod'), runModuleFile(toolchain.version));
    const build = await runBuild(
      toolchain.go,
      dir,
      goBuildEnv(cacheDir),
      BUILD_MS,
      () => false,
      () => {},
    );
    if (build.spawnError) throw new LabError('E_GO_NOT_INSTALLED', build.spawnError);
    if (build.code !== 0)
      throw new LabError(
        'E_GO_BUILD_FAILED',
        build.timedOut ? `the build took longer than ${BUILD_MS} ms` : build.output.trim().slice(0, 4000),
      );
    // Renamed into place, so two labs building at once never run a half-written file.
    await rename(join(dir, 'program'), binary);
    return binary;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One build per process: later callers share the first one's result (a failed build is tried again next time). */
export class LabProgram {
  private built: Promise<string> | null = null;

  constructor(
    private readonly source: string,
    private readonly name: string,
    private readonly options: LabProgramOptions = {},
  ) {}

  path(): Promise<string> {
    if (!this.built) {
      this.built = buildLabProgram(this.source, this.name, this.options);
      this.built.catch(() => (this.built = null));
    }
    return this.built;
  }
}
