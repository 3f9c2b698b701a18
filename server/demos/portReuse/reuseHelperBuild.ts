// Builds the port-reuse demo's Go helper (reuseProgram/main.go) once, with the lab's Go toolchain and shared build
// cache (server/gorun), and keeps the binary under the lab's cache folder, named by the source's hash.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../../core/protocol/errors.js';
import { defaultLabCacheDir, runBuild } from '../../gorun/goRunner.js';
import { findGoToolchain, goBuildEnv, runModuleFile } from '../../gorun/goToolchain.js';

/** The helper's source, beside this module. */
export const REUSE_HELPER_SOURCE = fileURLToPath(new URL('./reuseProgram/main.go', import.meta.url));
const BUILD_MS = 120_000;

export interface HelperBuildOptions {
  /** The lab's cache folder (default: the Go runner's). */
  cacheDir?: string;
  /** The go command (tests name a missing one). */
  go?: string;
}

/**
 * The path of the built helper. Rejects with E_GO_NOT_INSTALLED when there is no Go toolchain and
 * E_GO_BUILD_FAILED when the build fails; a binary built before from the same source is used as it is.
 */
export async function buildReuseHelper(options: HelperBuildOptions = {}): Promise<string> {
  const source = readFileSync(REUSE_HELPER_SOURCE, 'utf8');
  const toolchain = await findGoToolchain(options.go);
  const cacheDir = options.cacheDir ?? defaultLabCacheDir();
  const hash = createHash('sha256').update(toolchain.version).update(source).digest('hex').slice(0, 16);
  const binDir = join(cacheDir, 'port-reuse');
  const binary = join(binDir, `helper-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(binDir, { recursive: true });
  const dir = mkdtempSync(join(binDir, 'build-'));
  try {
    writeFileSync(join(dir, 'main.go'), source);
    writeFileSync(join(dir, 'go.mod'), runModuleFile(toolchain.version));
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
    renameSync(join(dir, 'program'), binary);
    return binary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One build per process: later callers share the first one's result (a failed build is tried again next time). */
export class ReuseHelper {
  private built: Promise<string> | null = null;

  constructor(private readonly options: HelperBuildOptions = {}) {}

  path(): Promise<string> {
    if (!this.built) {
      this.built = buildReuseHelper(this.options);
      this.built.catch(() => (this.built = null));
    }
    return this.built;
  }
}
