// The port-reuse demo's Go helper (reuseProgram/main.go), built once by the lab's own-program builder
// (server/gorun/labProgramBuild.ts) and kept under the lab's cache folder.
import { fileURLToPath } from 'node:url';
import { buildLabProgram, LabProgram, type LabProgramOptions } from '../../gorun/labProgramBuild.js';

/** The helper's source, beside this module. */
export const REUSE_HELPER_SOURCE = fileURLToPath(new URL('./reuseProgram/main.go', import.meta.url));

export type HelperBuildOptions = Pick<LabProgramOptions, 'cacheDir' | 'go'>;

/** The path of the built helper (E_GO_NOT_INSTALLED without Go, E_GO_BUILD_FAILED when the build fails). */
export function buildReuseHelper(options: HelperBuildOptions = {}): Promise<string> {
  return buildLabProgram(REUSE_HELPER_SOURCE, 'port-reuse', options);
}

/** One build per process: later callers share the first one's result (a failed build is tried again next time). */
export class ReuseHelper extends LabProgram {
  constructor(options: HelperBuildOptions = {}) {
    super(REUSE_HELPER_SOURCE, 'port-reuse', options);
  }
}
